/**
 * The trustee page's steps, run in this browser with the trustee's own key file: the key ceremony
 * (join, deal, check), the approval of the sealed vote, and the decryption after the close. The
 * same code as `union-vote trustee` (packages/cli): the key file is read here and never sent; the
 * server sees the signed messages, the approval and the partial decryptions, as from the command
 * line. After a step that changes the key file, the page offers the new file to save (it keeps the
 * fingerprint approved, the record decrypted, and, in the ceremony, the trustee's share).
 */
import {
  SHARE_FILE_FORMAT, approve, checkCeremony, dealCeremony, decrypt, joinCeremony, readKeyFile, shareKeyOf, type ShareFile,
} from '@union-vote/cli';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
let csrf = '';

/** The session's cookie and CSRF token stand in for the command line's API token. */
const pageFetch = (url: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  headers.delete('authorization');
  if (init.method && init.method !== 'GET') headers.set('x-csrf-token', csrf);
  return fetch(url, { ...init, headers, credentials: 'same-origin' });
};

const log = (line: string) => {
  const out = $('kb-log');
  out.textContent = `${out.textContent ? `${out.textContent}\n` : ''}${line}`;
};

let keyJson: Record<string, unknown> | undefined;
let keyName = 'trustee-key.json';

function offer(json: unknown, name: string): void {
  keyJson = json as Record<string, unknown>;
  const a = $<HTMLAnchorElement>('kb-save');
  if (a.href) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([JSON.stringify(json, null, 2) + '\n'], { type: 'application/json' }));
  a.download = name;
  a.hidden = false;
  log(`Save your updated key file (${name}) in place of the old one. Keep the old one only until you have checked the new one opens, then delete it: it does not remember what this step did.`);
}

const passphrase = () => $<HTMLInputElement>('kb-pass').value;
const voteId = () => $<HTMLSelectElement>('kb-vote').value;
const options = () => ({ baseUrl: '', fetch: pageFetch, voteId: voteId(), apiToken: '', passphrase: passphrase() });
function needKey(): Record<string, unknown> {
  if (!keyJson) throw new Error('choose your key file first');
  return keyJson;
}
/** The key the approval and decryption use, from either kind of key file. */
const keyOf = (json: Record<string, unknown>) => (json.format === SHARE_FILE_FORMAT ? shareKeyOf(json, passphrase()) : readKeyFile(json));

async function step(name: string, body: () => Promise<void>): Promise<void> {
  const buttons = document.querySelectorAll<HTMLButtonElement>('#kb-actions button');
  buttons.forEach((b) => (b.disabled = true));
  $('kb-log').textContent = '';
  $('kb-save').hidden = true;
  log(`${name}…`);
  try {
    await body();
  } catch (e) {
    log(`Not done: ${(e as Error).message}`);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

async function main(): Promise<void> {
  const me = await (await pageFetch('/api/session')).json() as { user?: { username: string; role: string }; csrfToken?: string };
  if (me.user?.role !== 'trustee') return;
  csrf = me.csrfToken ?? '';
  const username = me.user.username;
  const votes = ((await (await pageFetch('/api/votes')).json()) as { votes?: { id: string; title: string; status: string }[] }).votes ?? [];
  const select = $<HTMLSelectElement>('kb-vote');
  for (const v of votes) select.append(new Option(`${v.title} (${v.status})`, v.id));

  $<HTMLInputElement>('kb-file').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      keyJson = JSON.parse(await file.text()) as Record<string, unknown>;
      keyName = file.name;
      $('kb-log').textContent = `Read ${file.name} in this browser (${String(keyJson.trusteeId)}, vote ${String(keyJson.voteId)}); it is not sent anywhere.`;
      if (typeof keyJson.voteId === 'string' && votes.some((v) => v.id === keyJson!.voteId)) select.value = keyJson.voteId;
    } catch {
      keyJson = undefined;
      $('kb-log').textContent = `${file.name} is not a key file (it is not JSON).`;
    }
  });

  const save = (file: ShareFile) => offer(file, keyName);
  $('kb-join').addEventListener('click', () => void step('Joining the key ceremony', async () => {
    keyName = `trustee-${username}-${voteId()}.json`;
    const r = await joinCeremony({ ...options(), trusteeId: username });
    r.lines.forEach(log);
    offer(r.file, keyName);
  }));
  $('kb-deal').addEventListener('click', () => void step('Dealing', async () => (await dealCeremony(options(), needKey(), save)).lines.forEach(log)));
  $('kb-check').addEventListener('click', () => void step('Checking your shares', async () => (await checkCeremony(options(), needKey(), save)).lines.forEach(log)));
  $('kb-approve').addEventListener('click', () => void step('Reading the sealed vote', async () => {
    const json = needKey();
    const result = await approve({
      ...options(), key: keyOf(json), log,
      confirm: (lines) => {
        lines.forEach(log);
        return window.confirm(`Approve this vote, exactly as shown on the page, with your key?\n\nFingerprint: ${lines.find((l) => l.startsWith('Fingerprint'))?.slice(13) ?? ''}`);
      },
    });
    offer({ ...json, approvedFingerprint: result.fingerprint }, keyName);
  }));
  $('kb-decrypt').addEventListener('click', () => void step('Checking the record, then decrypting', async () => {
    const json = needKey();
    const witnesses = await Promise.all([...($<HTMLInputElement>('kb-witness').files ?? [])].map(async (f) => ({ name: f.name, content: JSON.parse(await f.text()) as unknown })));
    // What this browser remembers decrypting stands in for a key file saved without it: a second version
    // of the count is refused either way (two versions a ruling apart would show a ballot).
    const memory = `union-vote:decrypted:${voteId()}:${String(json.trusteeId)}`;
    const remembered = localStorage.getItem(memory);
    const key = remembered && !json.decrypted ? { ...json, decrypted: remembered } : json;
    // The updated key file (remembering this closing) is saved before any share is sent.
    const out = await decrypt({
      ...options(), key: keyOf(key), log, verify: { witnesses },
      remember: async (closing) => {
        localStorage.setItem(memory, closing);
        offer({ ...json, decrypted: closing }, keyName);
        log('Save your updated key file now: your decryption is sent once you have saved it. It remembers which count you decrypted, so that you refuse to decrypt another version of it.');
        await new Promise<void>((resolve) => $('kb-save').addEventListener('click', () => resolve(), { once: true }));
      },
    });
    log(out.complete ? 'Enough trustees have decrypted: the results are published.' : 'Your decryptions are in; the results are published when enough trustees have decrypted.');
  }));
}

void main();
