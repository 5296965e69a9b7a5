/**
 * The board page's script, all in the browser:
 *  - "Was my code used?": the code's pseudonym looked up in the issuance log; the code is never sent.
 *  - "Check my receipt": the receipt file checked against the board as it is now.
 *  - "Verify in this browser": the independent verifier in a worker, with the fingerprint given.
 * Each check recomputes the vote's fingerprint from its manifest, and compares it with the one given.
 */
import { VotingClient, VotingError, checkPromiseFile, checkReceiptFile, lookUpCode } from '@union-vote/client';
import { PROMISE_FILE_FORMAT, normalizeFingerprint, type PromiseFile, type ReceiptFile } from '@union-vote/election/members';
import { whenInWords } from '@union-vote/election/language';
import { fill } from '../fill.ts';

interface Check { id: string; name: string; ok: boolean; details: string[] }

type Words = Record<'lookingUp' | 'checkedAgainst' | 'notInLog' | 'tokenDrawn' | 'revoked' | 'notUsed' | 'challengedUsed' | 'challengedUnused' | 'checkingReceipt' | 'notReceipt' | 'otherVote' | 'receiptOk' | 'promiseKept' | 'promiseWaiting' | 'badFingerprint', string>;
const data = JSON.parse(document.getElementById('page-data')!.textContent!) as { voteId: string; locals: string[]; lang: string; timeZone?: string; words: Words };
const w = data.words;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const client = new VotingClient({ baseUrl: '' });
const when = (iso: string) => whenInWords(iso, data.timeZone, data.lang);

function say(target: HTMLElement, kind: 'success' | 'alert' | 'status', lines: string[]): void {
  target.replaceChildren(...lines.map((l) => Object.assign(document.createElement('p'), { className: kind, textContent: l })));
}

/** A fingerprint typed by the member: undefined if left empty; throws in words if it cannot be one. */
function typedFingerprint(input: HTMLInputElement): string | undefined {
  const v = input.value.trim();
  if (!v) return undefined;
  const fp = normalizeFingerprint(v);
  if (!fp) throw new VotingError('bad_fingerprint', w.badFingerprint);
  return fp;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

$('code-used-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = $('code-used-result');
  say(out, 'status', [w.lookingUp]);
  try {
    const { history, fingerprint, challenge } = await lookUpCode(client, data.voteId, $<HTMLInputElement>('code-used').value, typedFingerprint($<HTMLInputElement>('code-used-fp')));
    const checked = fill(w.checkedAgainst, { fp: fingerprint });
    // A challenged code is not in the log: its ballot, if any, is in the box under the challenge's nullifier.
    if (challenge) {
      const where = { challenge: challenge.id, local: challenge.localId };
      if (challenge.leafIndex !== undefined) say(out, 'alert', [fill(w.challengedUsed, { ...where, n: String(challenge.leafIndex + 1) }), checked]);
      else say(out, 'success', [fill(w.challengedUnused, where), checked]);
    } else if (!history) say(out, 'alert', [w.notInLog, checked]);
    else if (history.token) say(out, 'alert', [fill(w.tokenDrawn, { local: history.localId, time: when(history.token.at) }), checked]);
    else if (history.revoked) say(out, 'alert', [fill(w.revoked, { local: history.localId, time: when(history.revoked.at) }), checked]);
    else say(out, 'success', [fill(w.notUsed, { local: history.localId, time: when(history.issued.at) }), checked]);
  } catch (e) {
    say(out, 'alert', [messageOf(e)]);
  }
});

$('receipt-check-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const out = $('receipt-check-result');
  say(out, 'status', [w.checkingReceipt]);
  try {
    const file = $<HTMLInputElement>('receipt-file').files?.[0];
    const text = file ? await file.text() : $<HTMLTextAreaElement>('receipt-text').value;
    let receipt: ReceiptFile;
    try {
      receipt = JSON.parse(text) as ReceiptFile;
    } catch {
      throw new VotingError('not_a_receipt', w.notReceipt);
    }
    // The board's promise, kept by a member whose receipt never came.
    const promise = receipt as unknown as PromiseFile;
    if (promise?.format === PROMISE_FILE_FORMAT) {
      if (promise.promise?.voteId !== data.voteId) throw new VotingError('other_vote', fill(w.otherVote, { vote: String(promise.promise?.voteId) }));
      const { steps, inBox } = await checkPromiseFile(client, promise);
      return say(out, inBox ? 'success' : 'status', [...steps, inBox ? w.promiseKept : w.promiseWaiting]);
    }
    if (receipt?.receipt?.voteId !== data.voteId) throw new VotingError('other_vote', fill(w.otherVote, { vote: String(receipt?.receipt?.voteId) }));
    const { steps } = await checkReceiptFile(client, receipt);
    say(out, 'success', [...steps, w.receiptOk]);
  } catch (e) {
    say(out, 'alert', [messageOf(e)]);
  }
});

// The letter's "was my code used?" link carries the code and the fingerprint in the fragment (never
// sent to the server): fill the form with them, drop them from the address, and look the code up.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('code')) {
  $<HTMLInputElement>('code-used').value = fragment.get('code')!;
  $<HTMLInputElement>('code-used-fp').value = fragment.get('fp') ?? '';
  history.replaceState(null, '', location.pathname + location.search);
  $<HTMLFormElement>('code-used-form').requestSubmit();
}

const button = document.getElementById('verify') as HTMLButtonElement | null;
button?.addEventListener('click', () => {
  const status = $('verify-status');
  const progress = $<HTMLProgressElement>('verify-progress');
  const list = $('verify-checks');
  let fingerprint: string | undefined;
  try {
    fingerprint = typedFingerprint($<HTMLInputElement>('verify-fp'));
  } catch (e) {
    status.textContent = messageOf(e);
    return;
  }
  button.disabled = true;
  list.replaceChildren();
  progress.hidden = false;
  progress.value = 0;
  status.textContent = 'Starting the verifier…';
  const worker = new Worker('/assets/verify-worker.js', { type: 'module' });
  worker.onerror = (e) => {
    worker.terminate();
    button.disabled = false;
    progress.hidden = true;
    status.textContent = `The verifier could not run: ${e.message || 'its script failed to load'}`;
  };
  worker.onmessage = (e: MessageEvent<{ type: 'progress'; step: string; done: number; total: number } | { type: 'report'; report: { ok: boolean; anchored: boolean; fingerprint?: string; checks: Check[] }; seconds: number; workers: number; wasm: boolean } | { type: 'error'; message: string }>) => {
    const m = e.data;
    if (m.type === 'progress') {
      progress.max = Math.max(1, m.total);
      progress.value = m.done;
      status.textContent = `Checking ${m.step}: ${m.done.toLocaleString('en-US')} of ${m.total.toLocaleString('en-US')}`;
      return;
    }
    worker.terminate();
    button.disabled = false;
    progress.hidden = true;
    if (m.type === 'error') {
      status.textContent = `The verifier could not run: ${m.message}`;
      return;
    }
    for (const c of m.report.checks) {
      const li = document.createElement('li');
      const mark = document.createElement('strong');
      mark.className = c.ok ? 'passed' : 'failed';
      mark.textContent = c.ok ? 'PASS' : 'FAIL';
      li.append(mark, ` ${c.id}: ${c.name}`);
      if (c.details.length) {
        const more = document.createElement('ul');
        for (const d of c.details.slice(0, 20)) { const x = document.createElement('li'); x.textContent = d; more.append(x); }
        li.append(more);
      }
      list.append(li);
    }
    const failed = m.report.checks.filter((c) => !c.ok).length;
    status.textContent = m.report.ok
      ? `The record verifies: all ${m.report.checks.length} checks passed${m.report.anchored ? `, against the fingerprint ${m.report.fingerprint}` : `. No fingerprint was given, so it was checked only against itself: its fingerprint is ${m.report.fingerprint}; compare it with a letter or the trustees' announcement`}.`
      : `The record does NOT verify: ${failed} of ${m.report.checks.length} checks failed.`;
    const proofs = m.workers ? ` Ballot proofs checked on ${m.workers} ${m.workers === 1 ? 'worker' : 'workers'}${m.wasm ? ' with WebAssembly' : ''}.` : '';
    status.textContent += ` It took ${m.seconds.toFixed(1)} seconds.${proofs}`;
    status.className = `status ${m.report.ok ? 'passed' : 'failed'}`;
  };
  worker.postMessage({ voteId: data.voteId, fingerprint });
});
