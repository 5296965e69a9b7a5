/**
 * The voting page's script: code → choices → review → cast → receipt. The token is blinded and
 * the ballot encrypted here, by the voting client; only the code, the blinded element and the
 * encrypted ballot leave the phone. Recovery: the device seed and the encrypted ballot are kept in
 * this browser's storage before anything is sent, so a crash or a lost connection is resumed with
 * the same code and casts the same ballot (which gets the same receipt), never a second one.
 */
import { VotingClient, VotingError, type Choice } from '@union-vote/client';
import { codeIssue, normalizeCode } from '@union-vote/election/members';
import { randomBytes, toHex, fromHex } from '@union-vote/crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { renderSVG } from 'uqr';
import type { Strings } from '../i18n.ts';

interface PageData { voteId: string; lang: string; strings: Strings }
interface Kept { localId: string; trackingCode: string; receipt: { leafIndex: number; issuedAt: string; signature: string; voteId: string; trackingCode: string } }

const data = JSON.parse(document.getElementById('page-data')!.textContent!) as PageData;
const t = data.strings;
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

// This browser's storage, per vote and per code (by its hash: the code itself is not kept).
const storage = {
  get: (k: string) => { try { return localStorage.getItem(k); } catch { return null; } },
  set: (k: string, v: string) => { try { localStorage.setItem(k, v); } catch { /* private mode: no recovery, still votes */ } },
};
const client = new VotingClient({ baseUrl: '', store: storage });
const keyFor = (code: string, what: string) => `union-vote:${what}:${data.voteId}:${toHex(sha256(new TextEncoder().encode(code))).slice(0, 32)}`;

let code = '';
let localId = '';
let choices: Record<string, Choice> = {};

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
      case 'token_spent': return t.codeUsedElsewhere;
      case 'vote_closed': case 'not_open': return t.closedNow;
      case 'bad_response': return t.networkError;
      default: return fill(t.serverError, { message: e.message });
    }
  }
  // fetch rejects with a TypeError when the network is gone.
  return t.networkError;
}

function showReceipt(kept: Kept, already: boolean): void {
  $('receipt-title').textContent = already ? t.alreadyTitle : t.receiptTitle;
  $('receipt-body').textContent = already ? t.alreadyBody : t.receiptBody;
  $('tracking').textContent = kept.trackingCode;
  $('leaf').textContent = String(kept.receipt.leafIndex + 1);
  $('cast-at').textContent = new Date(kept.receipt.issuedAt).toLocaleString(data.lang);
  const check = `/board/${encodeURIComponent(data.voteId)}?track=${kept.trackingCode}`;
  $<HTMLAnchorElement>('check').href = check;
  // A QR code of the look-up address, to photograph or scan later from another device.
  $<HTMLImageElement>('qr').src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(location.origin + check, { border: 2 }))}`;
  $('copy').onclick = async () => {
    try { await navigator.clipboard.writeText(kept.trackingCode); $('copy-status').textContent = t.copied; } catch { $('copy-status').textContent = kept.trackingCode; }
  };
  $('download').onclick = () => {
    const blob = new Blob([JSON.stringify({ ...kept.receipt, localId: kept.localId, board: `${location.origin}/board/${data.voteId}` }, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `receipt-${data.voteId}-${kept.trackingCode.slice(0, 12)}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  show('receipt');
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
  code = canonical;
  const kept = storage.get(keyFor(code, 'receipt'));
  if (kept) return showReceipt(JSON.parse(kept) as Kept, true);
  error.textContent = t.checking;
  try {
    const checked = await client.checkCode(data.voteId, code);
    localId = checked.localId;
    const pending = storage.get(keyFor(code, 'choices'));
    if (checked.tokenIssued && !storage.get(keyFor(code, 'seed'))) {
      error.textContent = t.codeUsedElsewhere;
      return;
    }
    error.textContent = '';
    if (pending) {
      // A vote begun on this phone and interrupted: the same ballot is sent again.
      choices = JSON.parse(pending) as Record<string, Choice>;
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
  for (const [id, choice] of Object.entries(choices)) {
    const dt = document.createElement('dt');
    dt.textContent = document.querySelector(`fieldset[data-question="${CSS.escape(id)}"] legend`)?.textContent ?? id;
    const dd = document.createElement('dd');
    dd.textContent = t[choice];
    list.append(dt, dd);
  }
  // Once a ballot may have been encrypted and sent, the choices are fixed.
  $('change').hidden = storage.get(keyFor(code, 'choices')) !== null;
  show('review');
}

async function onCast(): Promise<void> {
  const button = $<HTMLButtonElement>('cast');
  button.disabled = true;
  $('cast-error').textContent = '';
  $('cast-status').textContent = t.casting;
  try {
    let seed = storage.get(keyFor(code, 'seed'));
    if (!seed) {
      seed = toHex(randomBytes(32));
      storage.set(keyFor(code, 'seed'), seed);
    }
    storage.set(keyFor(code, 'choices'), JSON.stringify(choices));
    $('change').hidden = true;
    const result = await client.vote({ voteId: data.voteId, code, localId, deviceSeed: fromHex(seed), choices });
    const kept: Kept = { localId: result.localId, trackingCode: result.trackingCode, receipt: result.receipt as Kept['receipt'] };
    storage.set(keyFor(code, 'receipt'), JSON.stringify(kept));
    $('cast-status').textContent = '';
    showReceipt(kept, false);
  } catch (e) {
    $('cast-status').textContent = '';
    $('cast-error').textContent = serverMessage(e);
    button.textContent = t.retry;
  } finally {
    button.disabled = false;
  }
}

$('code-form').addEventListener('submit', (e) => void onCode(e));
$('choose-form').addEventListener('submit', onChoose);
$('cast').addEventListener('click', () => void onCast());
$('change').addEventListener('click', () => show('choose'));

// The language switch carries the typed code along in the fragment.
for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.lang a')) {
  a.addEventListener('click', () => {
    const typed = $<HTMLInputElement>('code').value.trim();
    a.href = `?lang=${a.dataset.lang}${typed ? `#code=${encodeURIComponent(typed)}` : ''}`;
  });
}

// The mailer's link carries the code in the fragment (never sent to the server); take it, then
// drop it from the address bar and history.
const fragment = new URLSearchParams(location.hash.slice(1));
const fromLink = fragment.get('code');
if (fromLink) {
  $<HTMLInputElement>('code').value = fromLink;
  history.replaceState(null, '', location.pathname + location.search);
  void onCode();
}
