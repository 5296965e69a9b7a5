/**
 * The voting page's script: code → choices → review (the ballot encrypted and its check code shown;
 * "Check it first" opens it for the independent checker and encrypts afresh) → cast → receipt. The token is blinded and
 * the ballot encrypted here, by the voting client; only the code, the blinded element and the
 * encrypted ballot leave the phone. Before anything is asked, the board's manifest is checked
 * against the fingerprint in the letter's link (and every trustee's approval); the issuer key, the
 * election key and the board key come from that manifest only.
 *
 * Recovery: the device seed and the encrypted ballot (never the plain choice) are kept in this
 * browser's storage before anything is sent, so a crash or a lost connection is resumed with the
 * same code and casts the same ballot (which gets the same receipt), never a second one. Once the
 * receipt is verified they are wiped; the receipt file stays, to show on a second visit.
 */
import { VotingClient, VotingError, prepareChoices, spoilPrepared, type BoardView, type Choice, type DrawnToken, type PreparedChoices } from '@union-vote/client';
import { codeIssue, normalizeCode, shortTrackingCode, type PromiseFile, type ReceiptFile } from '@union-vote/election/members';
import { localizedVote, whenInWords } from '@union-vote/election/language';
import { CryptoError, randomBytes, toHex, fromHex } from '@union-vote/crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { renderSVG } from 'uqr';
import type { Strings } from '../i18n.ts';
import { turnoutInWords } from '../turnout-words.ts';
import { fill } from '../fill.ts';

interface PageData { voteId: string; lang: string; timeZone?: string; strings: Strings }
interface Kept { localId: string; trackingCode: string; checkCode?: string; receiptFile: ReceiptFile }

const data = JSON.parse(document.getElementById('page-data')!.textContent!) as PageData;
const t = data.strings;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// This browser's storage, per vote and per code (by its hash: the code itself is not kept).
const storage = {
  get: (k: string) => { try { return localStorage.getItem(k); } catch { return null; } },
  set: (k: string, v: string) => { try { localStorage.setItem(k, v); } catch { /* private mode: no recovery, still votes */ } },
  remove: (k: string) => { try { localStorage.removeItem(k); } catch { /* nothing kept */ } },
};
const client = new VotingClient({ baseUrl: '', store: storage });
const keyFor = (code: string, what: string) => `union-vote:${what}:${data.voteId}:${toHex(sha256(new TextEncoder().encode(code))).slice(0, 32)}`;

let code = '';
let localId = '';
let choices: Record<string, Choice> = {};
/** Set when the code leads to a ballot encrypted on this phone before and not yet confirmed. */
let resuming = false;
/** The token drawn when the code was accepted (kept in memory only; a reload draws the same again). */
let drawn: DrawnToken | undefined;
/** The board, its manifest checked (fingerprint from the letter's link when there is one); null if it failed. */
let board: Promise<BoardView | null> = Promise.resolve(null);
/** The fingerprint computed from the checked manifest. */
let boardFingerprint = '';
/**
 * The ballot encrypted for the choices on the review step and committed to (its check code shown):
 * cast as it is, or opened by "Check it first" and replaced by a fresh one.
 */
let prepared: PreparedChoices | undefined;

/**
 * The title, the turnout setting and the questions as the trustees sealed them, in the page's language: each legend and summary link is
 * taken from the checked manifest, not from what the server rendered (a database edited after the
 * sealing, or a page that words a question otherwise, no longer reaches the member).
 */
function showSealedTexts(b: BoardView): void {
  $('turnout-setting').textContent = turnoutInWords(t, b.manifest.definition.turnoutList);
  const sealed = localizedVote(b.manifest.definition, data.lang);
  document.title = sealed.title;
  const brand = document.querySelector<HTMLElement>('header .brand');
  if (brand) { brand.textContent = sealed.title; brand.lang = sealed.language; }
  for (const fs of document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-question]')) {
    const q = sealed.questions[fs.dataset.question!];
    if (!q) { fs.remove(); continue; }
    const legend = fs.querySelector('legend')!;
    legend.textContent = q.text;
    legend.lang = sealed.language;
    const link = fs.querySelector<HTMLAnchorElement>('a[target="_blank"]');
    if (link && q.summaryUrl) link.href = q.summaryUrl;
    else link?.parentElement?.remove();
  }
}

function checkBoard(fromLetter: string | undefined): void {
  const status = $('fingerprint-status');
  status.textContent = t.fingerprintChecking;
  board = client.checkedBoard(data.voteId, fromLetter).then(({ board: b, fingerprint }) => {
    $('fingerprint').textContent = fingerprint;
    boardFingerprint = fingerprint;
    showSealedTexts(b);
    status.textContent = fromLetter ? t.fingerprintMatches : t.fingerprintCompare;
    status.className = fromLetter ? 'success' : '';
    return b;
  }, (e: unknown) => {
    status.textContent = e instanceof VotingError && e.code === 'fingerprint_mismatch' ? fill(t.fingerprintMismatch, { message: e.message }) : fill(t.fingerprintProblem, { message: e instanceof Error ? e.message : String(e) });
    status.className = 'alert';
    status.setAttribute('role', 'alert');
    for (const b of document.querySelectorAll<HTMLButtonElement>('#step-code button, #cast, #check-first')) b.disabled = true;
    return null;
  });
}

function show(step: 'code' | 'choose' | 'review' | 'receipt'): void {
  for (const s of ['code', 'choose', 'review', 'receipt']) $(`step-${s}`).hidden = s !== step;
  const heading = document.querySelector<HTMLElement>(`#step-${step} h1`);
  heading?.focus();
}

function codeMessage(typed: string): string | null {
  const issue = codeIssue(typed);
  if (!issue) return null;
  return 'badCharacters' in issue ? fill(t.codeChars, { chars: issue.badCharacters.join(' ') }) : fill(t.codeLength, { n: issue.length });
}

function serverMessage(e: unknown): string {
  if (e instanceof VotingError) {
    switch (e.code) {
      case 'unknown_code': return t.unknownCode;
      case 'code_replaced': return t.replacedCode;
      case 'not_in_good_standing': return t.notInGoodStanding;
      case 'voted_on_paper': return t.votedOnPaper;
      case 'token_spent': return t.codeUsedElsewhere;
      case 'vote_closed': case 'not_open': return t.closedNow;
      case 'bad_response': return t.networkError;
      case 'not_sequenced': return t.notSequenced;
      case 'issuer_key_mismatch': return t.keyRefused;
      case 'fingerprint_mismatch': return fill(t.fingerprintMismatch, { message: e.message });
      default: return fill(t.serverError, { message: e.message });
    }
  }
  // The issuer's proof does not hold against the manifest's key: a tagged key.
  if (e instanceof CryptoError) return t.keyRefused;
  // fetch rejects with a TypeError when the network is gone.
  return t.networkError;
}

function showReceipt(kept: Kept, already: boolean): void {
  $('receipt-title').textContent = already ? t.alreadyTitle : t.receiptTitle;
  $('receipt-body').textContent = already ? t.alreadyBody : t.receiptBody;
  $('tracking').textContent = kept.trackingCode;
  // The short form people read and type (the board's look-up takes it, with or without spaces).
  $('tracking-short').textContent = shortTrackingCode(kept.trackingCode);
  $('cast-check-code').textContent = kept.checkCode ?? '';
  $('cast-check-code-row').hidden = !kept.checkCode;
  $('leaf').textContent = String(kept.receiptFile.receipt.leafIndex + 1);
  $('cast-at').textContent = whenInWords(kept.receiptFile.receipt.issuedAt, data.timeZone, data.lang);
  const check = `/board/${encodeURIComponent(data.voteId)}?track=${kept.trackingCode}`;
  $<HTMLAnchorElement>('check').href = check;
  // A QR code of the look-up address, to photograph or scan later from another device.
  $<HTMLImageElement>('qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(location.origin + check, { border: 2 }))}`;
  $('copy').onclick = async () => {
    try { await navigator.clipboard.writeText(kept.trackingCode); $('copy-status').textContent = t.copied; } catch { $('copy-status').textContent = kept.trackingCode; }
  };
  $('download').onclick = () => {
    // The receipt file: the board's signed receipt with the signed head and inclusion proof of the
    // moment of casting; any monitor or `union-vote-verify --receipts` checks it against the final box.
    const blob = new Blob([JSON.stringify(kept.receiptFile, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `receipt-${data.voteId}-${kept.trackingCode.slice(0, 12)}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  show('receipt');
}

/** After a cast the board promised but did not answer with a receipt: the promise file, to save. */
function offerPromise(): void {
  const file = storage.get(keyFor(code, 'promise'));
  $('promise').hidden = !file;
  if (!file) return;
  $('save-promise').onclick = () => {
    const promise = (JSON.parse(file) as PromiseFile).promise;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([file], { type: 'application/json' }));
    a.download = `promise-${data.voteId}-${promise.trackingCode.slice(0, 12)}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
}

async function onCode(ev?: Event): Promise<void> {
  ev?.preventDefault();
  const typed = $<HTMLInputElement>('code').value;
  const error = $('code-error');
  const input = $<HTMLInputElement>('code');
  const canonical = normalizeCode(typed);
  if (!canonical) {
    error.textContent = codeMessage(typed) ?? t.unknownCode;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  // Nothing goes to the server for a vote whose keys this page could not check against the letter.
  if (!(await board)) {
    error.textContent = '';
    return;
  }
  code = canonical;
  const kept = storage.get(keyFor(code, 'receipt'));
  if (kept) return showReceipt(JSON.parse(kept) as Kept, true);
  error.textContent = t.checking;
  try {
    const checked = await client.checkCode(data.voteId, code);
    // The letter names the member's local: a server that answers another (to count the ballot there,
    // or to single the member out in a local of one) is refused.
    if (letterLocal && checked.localId !== letterLocal) {
      error.textContent = fill(t.localMismatch, { server: checked.localId, letter: letterLocal });
      return;
    }
    localId = checked.localId;
    $('your-local').textContent = checked.challenge ? fill(t.challengedNote, { challenge: checked.challenge, local: localId }) : fill(t.yourLocal, { local: localId });
    let seed = storage.get(keyFor(code, 'seed'));
    if ((checked.tokenIssued || checked.cast) && !seed) {
      error.textContent = t.codeUsedElsewhere;
      return;
    }
    if (!seed) {
      seed = toHex(randomBytes(32));
      storage.set(keyFor(code, 'seed'), seed);
    }
    // The anonymous token is drawn now, before the member reads the questions: the token and the
    // cast are then minutes apart, and the server cannot pair them by their times.
    drawn = await client.obtainToken({ voteId: data.voteId, code, localId, deviceSeed: fromHex(seed), board: (await board)!, fingerprint: letterFingerprint, ...(checked.challenge ? { challenge: checked.challenge } : {}) });
    error.textContent = '';
    if (seed && storage.get(keyFor(code, 'pending'))) {
      // A vote begun on this phone and interrupted: the same encrypted ballot is sent again.
      resuming = true;
      review();
      return;
    }
    for (const fs of document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-question]')) fs.hidden = !fs.dataset.locals!.split(' ').includes(localId);
    show('choose');
  } catch (e) {
    error.textContent = serverMessage(e);
    input.setAttribute('aria-invalid', 'true');
  }
}

function onChoose(ev: Event): void {
  ev.preventDefault();
  choices = {};
  for (const fs of document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-question]:not([hidden])')) {
    const id = fs.dataset.question!;
    const picked = fs.querySelector<HTMLInputElement>('input:checked');
    if (!picked) {
      $('choose-error').textContent = fill(t.answerAll, { question: fs.querySelector('legend')!.textContent ?? id });
      fs.querySelector<HTMLInputElement>('input')!.focus();
      return;
    }
    choices[id] = picked.value as Choice;
  }
  $('choose-error').textContent = '';
  review();
}

function review(): void {
  const list = $('review-list');
  list.replaceChildren();
  $('review-body').textContent = resuming ? t.resumeBody : t.reviewBody;
  for (const [id, choice] of Object.entries(choices)) {
    const dt = document.createElement('dt');
    dt.textContent = document.querySelector(`fieldset[data-question="${CSS.escape(id)}"] legend`)?.textContent ?? id;
    const dd = document.createElement('dd');
    dd.textContent = t[choice];
    list.append(dt, dd);
  }
  // Once a ballot may have been encrypted and sent, the choices are fixed.
  $('change').hidden = resuming;
  $('checked').hidden = true;
  if (resuming) $<HTMLButtonElement>('cast').textContent = t.retry;
  show('review');
  if (!resuming) void prepareShown();
  else for (const id of ['commitment', 'check-first', 'check-first-help']) $(id).hidden = true;
}

/**
 * Encrypts the choices and records the commitment with the board before asking "Cast" or "Check it
 * first", and shows its check code: from here the ciphertexts are fixed, whichever the member picks.
 */
async function prepareShown(): Promise<void> {
  prepared = undefined;
  const buttons = [$<HTMLButtonElement>('cast'), $<HTMLButtonElement>('check-first')];
  for (const b of buttons) b.disabled = true;
  $('commitment').hidden = true;
  $('cast-error').textContent = '';
  $('cast-status').textContent = t.preparing;
  try {
    const checked = await board;
    if (!checked) return;
    prepared = prepareChoices({ manifest: checked.manifest, localId, choices });
    $('check-code').textContent = prepared.checkCode;
    $('commitment').hidden = false;
    $('cast-status').textContent = '';
  } catch (e) {
    $('cast-status').textContent = '';
    $('cast-error').textContent = serverMessage(e);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** "Check it first": the ballot is opened to the board as spoiled, the checker's link shown, and a fresh ballot prepared. */
async function onCheckFirst(): Promise<void> {
  const checked = await board;
  if (!checked) return;
  if (!prepared) return void prepareShown();
  // Neither button while the ballot is being opened: a cast of it now would be refused for good.
  const buttons = [$<HTMLButtonElement>('check-first'), $<HTMLButtonElement>('cast')];
  for (const b of buttons) b.disabled = true;
  $('cast-error').textContent = '';
  try {
    const spoiled = await spoilPrepared(client, { prepared, manifest: checked.manifest, fingerprint: boardFingerprint, origin: location.origin, lang: data.lang });
    $('checked-body').textContent = fill(t.checkedBody, { code: spoiled.checkCode });
    $('checker-warning').hidden = Boolean(checked.manifest.definition.checkerUrl);
    $<HTMLAnchorElement>('checker-link').href = spoiled.checkerLink;
    $<HTMLImageElement>('checker-qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(spoiled.checkerLink, { border: 2 }))}`;
    $('checked').hidden = false;
    $('checked-title').focus();
    // The opened ballot can never be cast: a new one, with a new code.
    await prepareShown();
  } catch (e) {
    $('cast-error').textContent = serverMessage(e);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

async function onCast(): Promise<void> {
  const button = $<HTMLButtonElement>('cast');
  button.disabled = true;
  $<HTMLButtonElement>('check-first').disabled = true;
  $('cast-error').textContent = '';
  $('cast-status').textContent = t.casting;
  try {
    const checked = await board;
    if (!checked) return;
    let seed = storage.get(keyFor(code, 'seed'));
    if (!seed) {
      seed = toHex(randomBytes(32));
      storage.set(keyFor(code, 'seed'), seed);
    }
    // From here the ballot may be encrypted and sent: a retry sends the same one (kept encrypted by the client).
    storage.set(keyFor(code, 'pending'), '1');
    resuming = true;
    $('change').hidden = true;
    for (const id of ['check-first', 'check-first-help', 'checked']) $(id).hidden = true;
    const result = await client.vote({
      voteId: data.voteId, code, localId, deviceSeed: fromHex(seed), choices, board: checked, fingerprint: letterFingerprint, ...(drawn ? { token: drawn } : {}),
      // The ballot whose check code the member was shown (a retry after a crash sends the stored one).
      ...(prepared ? { prepared } : {}),
      // The board has taken the ballot into its pool: the receipt comes with the ballot's batch.
      // The promise is kept until the receipt comes: if it does not, it is what the member shows the monitors.
      onPromise: (_promise, file) => {
        $('cast-status').textContent = t.waitingForBatch;
        storage.set(keyFor(code, 'promise'), JSON.stringify(file));
        // Offered at once: a board that never sequences the ballot must not also keep its promise out of the member's hands.
        offerPromise();
      },
    });
    const kept: Kept = { localId: result.localId, trackingCode: result.trackingCode, checkCode: result.checkCode, receiptFile: result.receiptFile };
    storage.set(keyFor(code, 'receipt'), JSON.stringify(kept));
    // The receipt is verified: what recovery needed goes (the client has already wiped the encrypted ballot).
    storage.remove(keyFor(code, 'seed'));
    storage.remove(keyFor(code, 'pending'));
    storage.remove(keyFor(code, 'promise'));
    resuming = false;
    $('cast-status').textContent = '';
    $('promise').hidden = true;
    showReceipt(kept, false);
  } catch (e) {
    $('cast-status').textContent = '';
    if (e instanceof VotingError && e.code === 'missing_choice') {
      // Nothing was encrypted before the interruption: choose again.
      storage.remove(keyFor(code, 'pending'));
      resuming = false;
      for (const fs of document.querySelectorAll<HTMLFieldSetElement>('fieldset[data-question]')) fs.hidden = !fs.dataset.locals!.split(' ').includes(localId);
      show('choose');
      return;
    }
    if (e instanceof VotingError && e.code === 'ballot_opened') {
      // This ballot was opened for checking (its choices public): the client forgot it; encrypt afresh.
      storage.remove(keyFor(code, 'pending'));
      resuming = false;
      $('change').hidden = false;
      for (const id of ['check-first', 'check-first-help']) $(id).hidden = false;
      $('cast-error').textContent = t.ballotOpened;
      void prepareShown();
      return;
    }
    $('cast-error').textContent = serverMessage(e);
    button.textContent = t.retry;
    offerPromise();
  } finally {
    button.disabled = false;
    $<HTMLButtonElement>('check-first').disabled = false;
  }
}

$('code-form').addEventListener('submit', (e) => void onCode(e));
$('choose-form').addEventListener('submit', onChoose);
$('cast').addEventListener('click', () => void onCast());
$('check-first').addEventListener('click', () => void onCheckFirst());
$('change').addEventListener('click', () => show('choose'));

// The language switch carries the typed code along in the fragment.
for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.lang a')) {
  a.addEventListener('click', () => {
    const typed = $<HTMLInputElement>('code').value.trim();
    const keep = new URLSearchParams();
    if (typed) keep.set('code', typed);
    if (letterLocal) keep.set('local', letterLocal);
    a.href = `?lang=${a.dataset.lang}${keep.size ? `#${keep}` : ''}`;
  });
}

// The mailer's link carries the code and the vote's fingerprint in the fragment (never sent to the
// server); take them, then drop them from the address bar and history. The fingerprint is kept for
// the language switch, so the check survives it.
const fragment = new URLSearchParams(location.hash.slice(1));
const fromLink = fragment.get('code');
const letterLocal = fragment.get('local') ?? undefined;
// The letter's fingerprint is kept in this browser (it is public), so a reload, the way back after a
// lost connection, still checks the board against it.
const fpKey = `union-vote:fp:${data.voteId}`;
if (fragment.get('fp')) storage.set(fpKey, fragment.get('fp')!);
const letterFingerprint = storage.get(fpKey) ?? undefined;
checkBoard(letterFingerprint);
if (fromLink || letterFingerprint) history.replaceState(null, '', location.pathname + location.search);
if (fromLink) {
  $<HTMLInputElement>('code').value = fromLink;
  void onCode();
}
