/**
 * The closed voting page's script: the receipt this phone kept when the member voted (the voting page
 * stores it under the vote, by the code's hash), shown again after the close, with the link to check
 * it on the board. Nothing is sent: it only reads this browser's storage.
 */
import type { ReceiptFile } from '@union-vote/election/members';

interface PageData { voteId: string; lang: string }
interface Kept { localId: string; trackingCode: string; receiptFile: ReceiptFile }

const data = JSON.parse(document.getElementById('page-data')!.textContent!) as PageData;
const prefix = `union-vote:receipt:${data.voteId}:`;
let kept: Kept | undefined;
try {
  for (let i = 0; i < localStorage.length && !kept; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(prefix)) kept = JSON.parse(localStorage.getItem(key) ?? 'null') as Kept;
  }
} catch {
  // private mode or a damaged entry: nothing to show
}
if (kept?.trackingCode) {
  document.getElementById('kept-tracking')!.textContent = kept.trackingCode;
  document.getElementById('kept-at')!.textContent = new Date(kept.receiptFile.receipt.issuedAt).toLocaleString(data.lang);
  document.getElementById('kept-check')!.setAttribute('href', `/board/${encodeURIComponent(data.voteId)}?track=${kept.trackingCode}`);
  document.getElementById('kept')!.hidden = false;
}
