/**
 * The trustee's side of the key ceremony (k of n, docs/trustees.md), for the command line and the
 * trustee page alike (pure: the server is reached through the `fetch` given, files by the caller):
 *  - join: a fresh Ed25519 signing key and X25519 share key, kept in the trustee's key file, and the
 *    signed join message sent to the server;
 *  - deal: once every trustee has joined, a polynomial of degree k − 1 (kept in the key file, to
 *    answer complaints), its commitments with proofs, and one share sealed to each trustee;
 *  - check: once every trustee has dealt, opens and checks each share dealt to this trustee and
 *    sends the check with a complaint against each wrong one; answers any complaint against this
 *    trustee by revealing the share; and, once the ceremony is over, sums the shares into this
 *    trustee's share of the election key, checks it against the public share, and keeps it.
 * Each step says what it did, and whose turn it is now.
 *
 * The key file (format `union-vote/trustee-share/v1`) holds its secrets encrypted with the trustee's
 * passphrase: scrypt (RFC 7914) for the key, XChaCha20-Poly1305 for the secrets, both from @noble;
 * the vote and trustee are bound as associated data. It never leaves the trustee's machine.
 */
import { scrypt } from '@noble/hashes/scrypt.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import {
  G, fromHex, generateShareKeyPair, generateSigningKey, mulSecret, pointToHex, randomBytes, scalarFromHex, scalarToHex, shareKeyPublic, signingKeyFromSecret, toHex, utf8ToBytes, type Scalar,
} from '@union-vote/crypto';
import {
  answerMessage, canonicalJson, checkMessage, dealMessage, evaluateCeremony, joinMessage, joinsDigest, openDealtShares, secretShareOf, type DkgMessages,
} from '@union-vote/election';

export const SHARE_FILE_FORMAT = 'union-vote/trustee-share/v1';

/** What the key file keeps encrypted. */
export interface CeremonySecrets {
  signingKey: string;
  shareSecret: string;
  /** The dealt polynomial's coefficients (kept, to answer a complaint whenever one comes). */
  coefficients?: string[];
  /** The joins (`joinsDigest`) those coefficients were dealt to: never dealt again to others. */
  dealtTo?: string;
  /** This trustee's share of the election key, once the ceremony is over. */
  share?: string;
}

export interface ShareFile {
  format: typeof SHARE_FILE_FORMAT;
  voteId: string;
  trusteeId: string;
  sealed: { kdf: 'scrypt'; N: number; r: number; p: number; salt: string; nonce: string; ciphertext: string };
  approvedFingerprint?: string;
  decrypted?: string;
}

/** scrypt's cost: N = 2¹⁷ (about half a second here), r = 8, p = 1. */
export const DEFAULT_COST = 2 ** 17;

function fileKey(passphrase: string, s: { N: number; r: number; p: number; salt: string }): Uint8Array {
  if (passphrase.length < 8) throw new Error('the passphrase must be at least 8 characters');
  return scrypt(utf8ToBytes(passphrase.normalize('NFC')), fromHex(s.salt, 16, 'salt'), { N: s.N, r: s.r, p: s.p, dkLen: 32 });
}
const fileAad = (voteId: string, trusteeId: string) => utf8ToBytes(canonicalJson({ format: SHARE_FILE_FORMAT, voteId, trusteeId }));

/** Encrypts the secrets into the file (a fresh salt and nonce each time). */
export function sealShareFile(base: Pick<ShareFile, 'voteId' | 'trusteeId' | 'approvedFingerprint' | 'decrypted'>, secrets: CeremonySecrets, passphrase: string, N = DEFAULT_COST): ShareFile {
  const params = { N, r: 8, p: 1, salt: toHex(randomBytes(16)) };
  const nonce = randomBytes(24);
  const ciphertext = xchacha20poly1305(fileKey(passphrase, params), nonce, fileAad(base.voteId, base.trusteeId)).encrypt(utf8ToBytes(JSON.stringify(secrets)));
  return { ...base, format: SHARE_FILE_FORMAT, sealed: { kdf: 'scrypt', ...params, nonce: toHex(nonce), ciphertext: toHex(ciphertext) } };
}

/** Decrypts the secrets; a clear error for a wrong passphrase or a file that is not one. */
export function openShareFile(json: unknown, passphrase: string): { file: ShareFile; secrets: CeremonySecrets } {
  const file = json as ShareFile;
  if (typeof file !== 'object' || file === null || file.format !== SHARE_FILE_FORMAT || typeof file.sealed !== 'object') throw new Error(`not a trustee key file of the key ceremony (${SHARE_FILE_FORMAT})`);
  const s = file.sealed;
  if (s.kdf !== 'scrypt' || ![2 ** 10, 2 ** 12, 2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17, 2 ** 18].includes(s.N) || s.r !== 8 || s.p !== 1) throw new Error('the key file names an unknown or unsafe key derivation');
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(fileKey(passphrase, s), fromHex(s.nonce, 24, 'nonce'), fileAad(file.voteId, file.trusteeId)).decrypt(fromHex(s.ciphertext, undefined, 'ciphertext'));
  } catch (e) {
    if ((e as Error).message.startsWith('the passphrase')) throw e;
    throw new Error('the passphrase does not open this key file (or the file was changed)');
  }
  return { file, secrets: JSON.parse(new TextDecoder().decode(plain)) as CeremonySecrets };
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface CeremonyView {
  count: number;
  threshold: number;
  phase: 'join' | 'deal' | 'check' | 'answer' | 'done';
  waitingFor: string[];
  disqualified: { trusteeId: string; reason: string }[];
  qualified: string[];
  failed?: string;
  ended: boolean;
  messages: DkgMessages;
}

export interface CeremonyOptions {
  baseUrl: string;
  voteId: string;
  /** An API token of the trustee's account (uvt_…). */
  apiToken: string;
  passphrase: string;
  fetch?: Fetch;
  /** scrypt's N for a new key file (tests use a small one). */
  cost?: number;
}

async function call<T>(o: CeremonyOptions, path: string, body?: unknown): Promise<T> {
  const fetchFn = o.fetch ?? ((input, init) => fetch(input, init));
  const url = `${o.baseUrl}/api/votes/${encodeURIComponent(o.voteId)}/ceremony${path}`;
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${o.apiToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new Error(`could not reach the server (${url}): ${(e as Error).message}`);
  }
  const json = (await res.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`the server refused: ${json.error?.message ?? res.status}`);
  return json;
}

/** Where the ceremony stands, in words for the trustee. */
export function progress(v: CeremonyView): string[] {
  const lines = [`key ceremony: ${v.threshold} of ${v.count} trustees; ${v.messages.joins.length} joined, ${v.messages.deals.length} dealt, ${v.messages.checks.length} checked`];
  for (const d of v.disqualified) lines.push(`disqualified: ${d.trusteeId} (${d.reason})`);
  if (v.failed) lines.push(`FAILED: ${v.failed}`);
  else if (v.ended) lines.push(`over: ${v.qualified.join(', ')} hold shares of the election key; any ${v.threshold} of them decrypt`);
  else if (v.waitingFor.length) lines.push(`waiting for: ${v.waitingFor.join('; ')}`);
  return lines;
}

export interface StepResult {
  file: ShareFile;
  lines: string[];
  view: CeremonyView;
}

/** Step 1: a new key file and the signed join. */
export async function joinCeremony(o: CeremonyOptions & { trusteeId: string }): Promise<StepResult> {
  const signing = generateSigningKey();
  const share = generateShareKeyPair();
  const secrets: CeremonySecrets = { signingKey: toHex(signing.secretKey), shareSecret: toHex(share.secretKey) };
  const file = sealShareFile({ voteId: o.voteId, trusteeId: o.trusteeId }, secrets, o.passphrase, o.cost);
  const view = await call<CeremonyView>(o, '/joins', joinMessage(o.voteId, o.trusteeId, { signingSecret: signing.secretKey, signingKey: toHex(signing.publicKey), shareKey: toHex(share.publicKey) }));
  return {
    file, view,
    lines: [
      `${o.trusteeId} joined the key ceremony of ${o.voteId}`,
      `your signing key is ${toHex(signing.publicKey)}: tell the other trustees, and check theirs when you approve the sealed vote`,
      ...progress(view), next(view, o.trusteeId),
    ],
  };
}

function mine(file: ShareFile, secrets: CeremonySecrets, view: CeremonyView): void {
  const j = view.messages.joins.find((x) => x.trusteeId === file.trusteeId);
  if (!j) throw new Error(`${file.trusteeId} has not joined this ceremony (union-vote trustee join)`);
  if (j.signingKey !== toHex(signingKeyFromSecret(fromHex(secrets.signingKey, 32)).publicKey) || j.shareKey !== toHex(shareKeyPublic(fromHex(secrets.shareSecret, 32)))) {
    throw new Error(`the server lists other keys for ${file.trusteeId} than those in your key file: stop, and tell the other trustees and the monitors`);
  }
}

/** Step 2: deal, once everyone joined (the polynomial is kept in the file first, so a retry deals the same). */
export async function dealCeremony(o: CeremonyOptions, json: unknown, save: (file: ShareFile) => void | Promise<void>): Promise<StepResult> {
  const { file, secrets } = openShareFile(json, o.passphrase);
  let view = await call<CeremonyView>(o, '');
  mine(file, secrets, view);
  if (view.phase === 'join') return { file, view, lines: ['not yet: every trustee must join before anyone deals', ...progress(view)] };
  if (view.messages.deals.some((d) => d.dealer === file.trusteeId)) return { file, view, lines: ['you have already dealt', ...progress(view), next(view, file.trusteeId)] };
  refuseInvalid(o.voteId, view);
  // A retry deals the same polynomial to the same trustees' keys, never to others (a restarted
  // ceremony, or a server showing other keys, gets a fresh one).
  const to = joinsDigest(view.messages.joins);
  const coefficients = secrets.dealtTo === to && secrets.coefficients?.length === view.threshold ? secrets.coefficients.map((c) => scalarFromHex(c, 'coefficient')) : undefined;
  const { deal, coefficients: used } = await dealMessage(o.voteId, file.trusteeId, view.threshold, view.messages.joins, fromHex(secrets.signingKey, 32), coefficients);
  const kept = sealShareFile(file, { ...secrets, coefficients: used.map(scalarToHex), dealtTo: to }, o.passphrase, file.sealed.N);
  await save(kept);
  view = await call<CeremonyView>(o, '/deals', deal);
  return { file: kept, view, lines: [`dealt: ${view.threshold} commitments and ${deal.shares.length} sealed shares`, ...progress(view), next(view, file.trusteeId)] };
}

/**
 * Step 3: check the shares received (once), answer complaints against you, and once the ceremony is
 * over keep your share of the election key (checked against your public share). Run it again until
 * it says the ceremony is over.
 *
 * Nothing the server says of the ceremony is taken on its word: its phase, whether it ended and who
 * qualified are read again here from the signed messages, which must verify whole, must hold every
 * trustee's deal, the joins this trustee dealt to, and this trustee's own deal as their polynomial
 * makes it. Only then does it open, complain or answer. The polynomial stays in the key file (to
 * answer a complaint whenever one comes); the share is recomputed and replaced at each run.
 */
export async function checkCeremony(o: CeremonyOptions, json: unknown, save: (file: ShareFile) => void | Promise<void>): Promise<StepResult> {
  const { file, secrets } = openShareFile(json, o.passphrase);
  const me = file.trusteeId;
  let view = await call<CeremonyView>(o, '');
  mine(file, secrets, view);
  const lines: string[] = [];
  // Once the administrator ended it, a trustee who never dealt is out and the others go on (a
  // server that says so falsely only makes this trustee keep a share that `approve` then refuses).
  const ended = view.ended;
  const phase = evaluateCeremony(o.voteId, view.count, view.threshold, view.messages, ended).phase;
  if (!ended && (phase === 'join' || phase === 'deal')) return { file, view, lines: ['not yet: shares are checked once every trustee has dealt', ...progress(view)] };
  const verified = (v: CeremonyView) => {
    refuseInvalid(o.voteId, v);
    if (!secrets.coefficients || joinsDigest(v.messages.joins) !== secrets.dealtTo) throw new Error('the server shows other trustees\' keys than those you dealt to (or you have not dealt with this key file): do not go on, and tell the other trustees and the monitors');
    const commitments = secrets.coefficients.map((c) => pointToHex(mulSecret(G, scalarFromHex(c, 'coefficient'))));
    const own = v.messages.deals.find((d) => d.dealer === me);
    if (!own || own.commitments.join() !== commitments.join()) throw new Error('the server shows another deal of yours than the one you made: do not go on, and tell the other trustees and the monitors');
    if (!ended && v.messages.deals.length !== v.count) throw new Error('the server shows the ceremony without every trustee\'s deal: do not go on');
    return v;
  };
  verified(view);
  const opened = await openDealtShares(o.voteId, me, fromHex(secrets.shareSecret, 32), view.messages, view.count, view.threshold);
  if (!ended && !view.messages.checks.some((c) => c.trusteeId === me)) {
    view = verified(await call<CeremonyView>(o, '/checks', checkMessage(o.voteId, me, opened.complaints, fromHex(secrets.signingKey, 32), view.messages)));
    lines.push(opened.complaints.length ? `complained of ${opened.complaints.map((c) => `${c.dealer} (${c.reason})`).join(', ')}` : `all ${opened.shares.size} shares you received match their dealers' commitments`);
  }
  // Complaints against you, in checks signed for these very joins and deals, are answered.
  for (const c of ended ? [] : view.messages.checks) {
    if (!c.complaints.some((x) => x.dealer === me) || view.messages.answers.some((a) => a.dealer === me && a.recipient === c.trusteeId)) continue;
    view = verified(await call<CeremonyView>(o, '/answers', answerMessage(o.voteId, me, c.trusteeId, secrets.coefficients!.map((x) => scalarFromHex(x)), fromHex(secrets.signingKey, 32), view.messages)));
    lines.push(`answered ${c.trusteeId}'s complaint by revealing the share you dealt them`);
  }
  let kept = file;
  const state = evaluateCeremony(o.voteId, view.count, view.threshold, view.messages, view.ended);
  if (state.phase === 'done' && !state.failed) {
    if (!state.qualified.includes(me)) {
      lines.push(`you were disqualified: ${state.disqualified.find((d) => d.trusteeId === me)?.reason ?? 'see the ceremony'}; you hold no share of this vote's key`);
    } else {
      const y: Scalar = secretShareOf(me, state, opened.shares, view.messages);
      if (secrets.share !== scalarToHex(y)) {
        kept = sealShareFile(file, { ...secrets, share: scalarToHex(y) }, o.passphrase, file.sealed.N);
        await save(kept);
      }
      lines.push(`your share of the election key is in your key file; it matches your public share ${state.publicShares![me]!.slice(0, 16)}…`);
    }
  }
  return { file: kept, view, lines: [...lines, ...progress(view), next(view, me)] };
}

/** Refuses to go on with a ceremony the server shows that does not verify whole. */
function refuseInvalid(voteId: string, view: CeremonyView): void {
  const invalid = evaluateCeremony(voteId, view.count, view.threshold, view.messages).invalid;
  if (invalid.length) throw new Error(`the key ceremony as the server shows it does not verify (${invalid[0]}): do not go on, and tell the other trustees and the monitors`);
}

/**
 * (Before approving) The trustee's share recomputed from the manifest's own ceremony with their
 * share key: the shares dealt to them opened again, and their own complaints answered in it. A
 * manifest whose ceremony differs from what the trustee took part in (a complaint dropped, a deal
 * sealed to other keys) gives another share, or none.
 */
export async function shareFromManifest(m: { voteId: string; definition: { trustees?: { count: number; threshold: number } | undefined }; dkg?: DkgMessages }, trusteeId: string, shareSecret: Uint8Array): Promise<Scalar> {
  const wanted = m.definition.trustees;
  if (!m.dkg || !wanted) throw new Error('the manifest holds no key ceremony');
  const state = evaluateCeremony(m.voteId, wanted.count, wanted.threshold, m.dkg, true);
  const opened = await openDealtShares(m.voteId, trusteeId, shareSecret, m.dkg, wanted.count, wanted.threshold);
  return secretShareOf(trusteeId, state, opened.shares, m.dkg);
}

function next(view: CeremonyView, me: string): string {
  if (view.failed) return 'next: the administrator starts the ceremony again';
  if (view.ended) return view.qualified.includes(me) ? 'next: the administrator seals the vote; then approve it (union-vote trustee approve)' : 'nothing more for you in this vote';
  if (view.phase === 'join') return 'next: when everyone has joined, deal (union-vote trustee deal)';
  if (view.phase === 'deal') return view.messages.deals.some((d) => d.dealer === me) ? 'next: when everyone has dealt, check your shares (union-vote trustee check)' : 'next: deal (union-vote trustee deal)';
  return 'next: run union-vote trustee check again until the ceremony is over';
}

/** A ceremony key file as the key approve and decrypt use: its share of the election key. */
export function shareKeyOf(json: unknown, passphrase: string): { voteId: string; trusteeId: string; secretKey: Scalar; signingSecret: Uint8Array; shareSecret: Uint8Array; approvedFingerprint?: string; decrypted?: string } {
  const { file, secrets } = openShareFile(json, passphrase);
  if (!secrets.share) throw new Error(`this key file holds no share of the election key yet: run union-vote trustee check until the ceremony of ${file.voteId} is over`);
  return {
    voteId: file.voteId, trusteeId: file.trusteeId, secretKey: scalarFromHex(secrets.share, 'share'), signingSecret: fromHex(secrets.signingKey, 32), shareSecret: fromHex(secrets.shareSecret, 32),
    ...(file.approvedFingerprint ? { approvedFingerprint: file.approvedFingerprint } : {}), ...(file.decrypted ? { decrypted: file.decrypted } : {}),
  };
}
