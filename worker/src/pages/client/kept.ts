/**
 * The closed voting page's script: the receipt this phone kept when the member voted (the voting page
 * stores it under the vote, by the code's hash), shown again after the close, with the link to check
 * it on the board. Nothing is sent: it only reads this browser's storage.
 */
import type { ReceiptFile } from '@union-vote/election/members';
import { whenInWords } from '@union-vote/election/language';

interface PageData { voteId: string; lang: string; timeZone?: string }
interface Kept { localId: string; trackingCode: string; receiptFile: ReceiptFile }

const data = JSON.parse(document.getElementById('page-data')!.textContent!) as PageData;
const prefix = `union-vote:receipt:${data.voteId}:`;
// One entry per code that voted from this browser (a phone can be shared in a household).
const kept: Kept[] = [];
try {
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(prefix)) continue;
    const k = JSON.parse(localStorage.getItem(key) ?? 'null') as Kept | null;
    if (k?.trackingCode && k.receiptFile?.receipt) kept.push(k);
  }
} catch {
  // private mode or a damaged entry: nothing to show
}
const template = document.getElementById('kept-one') as HTMLTemplateElement | null;
for (const k of kept) {
  const one = template!.content.cloneNode(true) as DocumentFragment;
  one.querySelector('[data-kept="tracking"]')!.textContent = k.trackingCode;
  one.querySelector('[data-kept="at"]')!.textContent = whenInWords(k.receiptFile.receipt.issuedAt, data.timeZone, data.lang);
  one.querySelector('[data-kept="check"]')!.setAttribute('href', `/board/${encodeURIComponent(data.voteId)}?track=${k.trackingCode}`);
  document.getElementById('kept-list')!.append(one);
}
if (kept.length) document.getElementById('kept')!.hidden = false;
