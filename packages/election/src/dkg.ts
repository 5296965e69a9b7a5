/**
 * The trustees' key ceremony as messages (crypto dkg.ts does the arithmetic): who joined, what each
 * dealt, who complained of whom, how each complaint was answered, and who qualified. One function,
 * `evaluateCeremony`, reads a set of messages the same way for the server (which relays them and
 * says what it waits for), the trustee's command line and page (which say the same to the trustee),
 * and the verifier (which recomputes everything from the transcript sealed into the manifest).
 *
 * Every message is signed by its author's Ed25519 key (statement kinds "dkg-join", "dkg-deal",
 * "dkg-check", "dkg-answer"); the join message binds the trustee's id to that key and to their
 * share-encryption key, and the trustees approve the manifest that holds the whole transcript. So
 * the operator relaying the messages can drop one (the ceremony waits, or the dealer is
 * disqualified in the open), but never forge, alter or reorder one unseen.
 *
 * Rules (Pedersen/GJKR, as ElectionGuard 2.0 §3.2): trustees are numbered 1…n in the order of their
 * ids; a dealer qualifies when its deal is signed, its k commitments prove themselves, it sealed one
 * share for every trustee, and every complaint against it was answered with a revealed share that
 * matches its commitments. Disqualified dealers take no further part. The election key and each
 * qualified trustee's public share follow from the qualified dealers' commitments alone.
 */
import {
  commitPolynomial, evaluatePolynomial, fromHex, jointKeyFromCommitments, knowledgeProofFromJson, knowledgeProofToJson, openShare, pointFromHex,
  pointToHex, publicShare, randomPolynomial, scalarFromHex, scalarToHex, sealShare, shareMatches, signStatement, verifyCommitments, verifyStatement,
  combineShares, lagrangeAtZero, shareKeyUsable, toHex, type Point, type Scalar,
} from '@union-vote/crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from './canonical.ts';

export interface DkgJoin { trusteeId: string; signingKey: string; shareKey: string; signature: string }
export interface DkgSealedShare { recipient: string; enc: string; ciphertext: string }
export interface DkgDeal { dealer: string; commitments: string[]; proofs: { u: string; s: string }[]; shares: DkgSealedShare[]; signature: string }
export type ComplaintReason = 'wrong share' | 'share does not open' | 'no share';
export interface DkgComplaint { dealer: string; reason: ComplaintReason }
export interface DkgCheck { trusteeId: string; complaints: DkgComplaint[]; signature: string }
export interface DkgAnswer { dealer: string; recipient: string; share: string; signature: string }

/** The messages of a ceremony; in the manifest with the qualified trustees (`DkgTranscript`). */
export interface DkgMessages {
  joins: DkgJoin[];
  deals: DkgDeal[];
  checks: DkgCheck[];
  answers: DkgAnswer[];
}
export interface DkgTranscript extends DkgMessages {
  /** k: how many trustees it takes to decrypt. */
  threshold: number;
  /** The trustees who qualified as dealers, by id (the manifest's trustees are exactly these). */
  qualified: string[];
}

const bytes = (o: unknown) => new TextEncoder().encode(canonicalJson(o));
export const joinBytes = (voteId: string, j: Omit<DkgJoin, 'signature'>) =>
  bytes({ format: 'union-vote/dkg-join/v1', voteId, trusteeId: j.trusteeId, signingKey: j.signingKey, shareKey: j.shareKey });
/**
 * The deal's signed bytes name the joins it was sealed to (`joinsDigest`): a dealer shown other
 * trustees' keys than the transcript's signs a deal that does not verify in it.
 */
export const dealBytes = (voteId: string, d: Omit<DkgDeal, 'signature'>, joins: string) =>
  bytes({ format: 'union-vote/dkg-deal/v2', voteId, joins, dealer: d.dealer, commitments: d.commitments, proofs: d.proofs, shares: d.shares });

/** SHA-256 (hex) of the joins as a dealer sees them: each trustee's id, signing key and share key, by id. */
export function joinsDigest(joins: readonly DkgJoin[]): string {
  const list = [...joins].sort((a, b) => (a.trusteeId < b.trusteeId ? -1 : a.trusteeId > b.trusteeId ? 1 : 0)).map((j) => ({ trusteeId: j.trusteeId, signingKey: j.signingKey, shareKey: j.shareKey }));
  return toHex(sha256(bytes({ format: 'union-vote/dkg-joins/v1', joins: list })));
}

/**
 * A check names the joins and the deals it was made against (`joinsDigest`, `dealsDigest`), and an
 * answer the same: a check a trustee signed in another view of the ceremony (other keys, other
 * deals) does not verify in this one, so it cannot be used to make a dealer reveal a share.
 */
export const checkBytes = (voteId: string, c: Omit<DkgCheck, 'signature'>, joins: string, deals: string) =>
  bytes({ format: 'union-vote/dkg-check/v2', voteId, joins, deals, trusteeId: c.trusteeId, complaints: c.complaints });
export const answerBytes = (voteId: string, a: Omit<DkgAnswer, 'signature'>, joins: string, deals: string) =>
  bytes({ format: 'union-vote/dkg-answer/v2', voteId, joins, deals, dealer: a.dealer, recipient: a.recipient, share: a.share });

/** SHA-256 (hex) of the deals as a trustee checked them, by dealer. */
export function dealsDigest(deals: readonly DkgDeal[]): string {
  const list = [...deals].sort((a, b) => (a.dealer < b.dealer ? -1 : a.dealer > b.dealer ? 1 : 0));
  return toHex(sha256(bytes({ format: 'union-vote/dkg-deals/v1', deals: list })));
}

/** Trustee indices: 1…n in the order of the trustee ids (code-point order, as canonical JSON sorts keys). */
export function trusteeIndices(joins: readonly { trusteeId: string }[]): Map<string, number> {
  const ids = [...new Set(joins.map((j) => j.trusteeId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(ids.map((id, i) => [id, i + 1]));
}

export type CeremonyPhase = 'join' | 'deal' | 'check' | 'answer' | 'done';

export interface CeremonyState {
  phase: CeremonyPhase;
  /** Whose turn it is, in words (e.g. "bob to deal", "alice to answer carol's complaint"). */
  waitingFor: string[];
  indices: Map<string, number>;
  /** Dealers disqualified so far, with the reason in words. */
  disqualified: { trusteeId: string; reason: string }[];
  /** Messages that do not verify (the server refuses them; the verifier names them). */
  invalid: string[];
  /** Once the phase is 'done', or when `final`: the dealers who qualified, in index order. */
  qualified: string[];
  /** When 'done' with fewer than k qualified: why the ceremony failed (it must start again). */
  failed?: string;
  /** With `qualified`: the election key and each qualified trustee's public share (hex). */
  electionKey?: string;
  publicShares?: Record<string, string>;
}

/**
 * Reads the ceremony's messages. `final`: the ceremony is over whatever is missing (the transcript
 * sealed into a manifest, or the administrator ended it): a dealer who did not deal or did not
 * answer a complaint is disqualified, and a trustee who did not check complained of nobody.
 */
export function evaluateCeremony(voteId: string, count: number, threshold: number, m: DkgMessages, final = false): CeremonyState {
  const invalid: string[] = [];
  const joins = new Map<string, DkgJoin>();
  for (const j of m.joins) {
    if (joins.has(j.trusteeId)) invalid.push(`${j.trusteeId} joined twice`);
    else if (!verifyStatement('dkg-join', joinBytes(voteId, j), j.signature, fromHex(j.signingKey, 32, 'signingKey'))) invalid.push(`${j.trusteeId}'s join is not signed by the signing key it names`);
    else if (!shareKeyUsable(fromHex(j.shareKey, 32, 'shareKey'))) invalid.push(`${j.trusteeId}'s share key cannot receive shares (a low-order X25519 point)`);
    else joins.set(j.trusteeId, j);
  }
  if (joins.size > count) invalid.push(`${joins.size} trustees joined; the vote has ${count}`);
  const indices = trusteeIndices([...joins.values()]);
  const ids = [...indices.keys()];
  const base = { indices, invalid, disqualified: [] as { trusteeId: string; reason: string }[], qualified: [] as string[] };
  if (joins.size < count) {
    if (final) invalid.push(`only ${joins.size} of ${count} trustees joined`);
    return { ...base, phase: 'join', waitingFor: [`${count - joins.size} more trustee(s) to join`] };
  }
  const signedBy = (id: string, kind: string, b: Uint8Array, sig: string) => verifyStatement(kind, b, sig, fromHex(joins.get(id)!.signingKey, 32, 'signingKey'));
  const digest = joinsDigest([...joins.values()]);
  const dealt = dealsDigest(m.deals);

  const deals = new Map<string, { deal: DkgDeal; commitments: Point[] }>();
  const dealProblems = new Map<string, string>();
  for (const d of m.deals) {
    if (!joins.has(d.dealer)) { invalid.push(`a deal by ${d.dealer}, who did not join`); continue; }
    if (deals.has(d.dealer) || dealProblems.has(d.dealer)) { invalid.push(`${d.dealer} dealt twice`); continue; }
    const problem = dealProblem(voteId, threshold, ids, digest, d, signedBy);
    if (typeof problem === 'string') { dealProblems.set(d.dealer, problem); invalid.push(`${d.dealer}'s deal: ${problem}`); }
    else deals.set(d.dealer, { deal: d, commitments: problem });
  }
  const complaints: { by: string; dealer: string; reason: string }[] = [];
  const checked = new Set<string>();
  for (const c of m.checks) {
    if (!joins.has(c.trusteeId) || checked.has(c.trusteeId)) { invalid.push(`a check by ${c.trusteeId}, who did not join or already checked`); continue; }
    if (!signedBy(c.trusteeId, 'dkg-check', checkBytes(voteId, c, digest, dealt), c.signature)) { invalid.push(`${c.trusteeId}'s check is not signed by their key for these joins and deals`); continue; }
    checked.add(c.trusteeId);
    for (const x of c.complaints) if (joins.has(x.dealer) && x.dealer !== c.trusteeId) complaints.push({ by: c.trusteeId, dealer: x.dealer, reason: x.reason });
  }
  const answers = new Map<string, DkgAnswer>();
  for (const a of m.answers) {
    const key = `${a.dealer}\u0000${a.recipient}`;
    if (!joins.has(a.dealer) || !joins.has(a.recipient) || answers.has(key)) { invalid.push(`an answer by ${a.dealer} to ${a.recipient} that answers nothing or is repeated`); continue; }
    if (!signedBy(a.dealer, 'dkg-answer', answerBytes(voteId, a, digest, dealt), a.signature)) { invalid.push(`${a.dealer}'s answer to ${a.recipient} is not signed by their key for these joins and deals`); continue; }
    answers.set(key, a);
  }

  const waitingFor: string[] = [];
  const disqualified = base.disqualified;
  for (const id of ids) {
    if (dealProblems.has(id)) disqualified.push({ trusteeId: id, reason: `their deal does not verify (${dealProblems.get(id)})` });
    else if (!deals.has(id)) {
      if (final) disqualified.push({ trusteeId: id, reason: 'they did not deal' });
      else waitingFor.push(`${id} to deal`);
    }
  }
  if (waitingFor.length) return { ...base, phase: 'deal', waitingFor };
  for (const id of ids) if (!checked.has(id) && !final) waitingFor.push(`${id} to check the shares they received`);
  if (waitingFor.length) return { ...base, phase: 'check', waitingFor };
  for (const c of complaints) {
    const deal = deals.get(c.dealer);
    if (!deal || disqualified.some((d) => d.trusteeId === c.dealer)) continue;
    const a = answers.get(`${c.dealer}\u0000${c.by}`);
    if (!a) {
      if (final) disqualified.push({ trusteeId: c.dealer, reason: `they did not answer ${c.by}'s complaint (${c.reason})` });
      else waitingFor.push(`${c.dealer} to answer ${c.by}'s complaint (${c.reason})`);
      continue;
    }
    let ok = false;
    try { ok = shareMatches(deal.commitments, indices.get(c.by)!, scalarFromHex(a.share, 'share')); } catch { ok = false; }
    if (!ok) disqualified.push({ trusteeId: c.dealer, reason: `the share they revealed to answer ${c.by}'s complaint (${c.reason}) does not match their commitments` });
  }
  if (waitingFor.length) return { ...base, phase: 'answer', waitingFor };
  const out = new Set(disqualified.map((d) => d.trusteeId));
  const qualified = ids.filter((id) => !out.has(id));
  if (qualified.length < threshold) {
    return { ...base, phase: 'done', waitingFor: [], qualified, failed: `only ${qualified.length} trustee(s) qualified (${qualified.join(', ') || 'none'}); decrypting needs ${threshold}: the ceremony must start again` };
  }
  const commitments = qualified.map((id) => deals.get(id)!.commitments);
  return {
    ...base, phase: 'done', waitingFor: [], qualified,
    electionKey: pointToHex(jointKeyFromCommitments(commitments)),
    publicShares: Object.fromEntries(qualified.map((id) => [id, pointToHex(publicShare(commitments, indices.get(id)!))])),
  };
}

function dealProblem(voteId: string, k: number, ids: string[], digest: string, d: DkgDeal, signedBy: (id: string, kind: string, b: Uint8Array, sig: string) => boolean): string | Point[] {
  if (!signedBy(d.dealer, 'dkg-deal', dealBytes(voteId, d, digest), d.signature)) return 'not signed by the dealer for the trustees of this ceremony (sealed to other keys, or changed since)';
  let commitments: Point[];
  try {
    commitments = d.commitments.map((c) => pointFromHex(c, 'commitment'));
    if (!verifyCommitments(voteId, d.dealer, commitments, d.proofs.map((p) => knowledgeProofFromJson(p, 'commitment proof')), k)) return `its ${d.commitments.length} commitment(s) do not prove knowledge of a polynomial of degree ${k - 1}`;
  } catch (e) {
    return (e as Error).message;
  }
  const recipients = d.shares.map((s) => s.recipient).sort();
  if (recipients.join('\u0000') !== [...ids].sort().join('\u0000')) return 'it does not seal exactly one share for each trustee';
  return commitments;
}

/**
 * How the decrypting trustees' shares combine: n of n, each as it is (`undefined`); k of n, each
 * weighed by its Lagrange coefficient over the set of trustees who decrypted (their ceremony indices).
 */
export function decryptionWeights(manifest: { dkg?: DkgTranscript }, decrypting: readonly string[]): Map<string, Scalar | undefined> {
  if (!manifest.dkg) return new Map(decrypting.map((id) => [id, undefined]));
  const indices = trusteeIndices(manifest.dkg.joins);
  const set = decrypting.map((id) => {
    const i = indices.get(id);
    if (i === undefined) throw new Error(`${id} did not take part in the key ceremony`);
    return i;
  });
  return new Map(decrypting.map((id, n) => [id, lagrangeAtZero(set, set[n]!)]));
}

/**
 * (Voting page, trustee) What is wrong with a k-of-n manifest's keys, or null: the ceremony read
 * again gives exactly its trustees, their public shares and signing keys, and its election key.
 */
export function ceremonyKeysProblem(m: { voteId: string; definition: { trustees?: { count: number; threshold: number } | undefined }; keys: { election: string }; trustees: readonly { trusteeId: string; publicKey: string; signingKey: string; registration: string }[]; dkg?: DkgTranscript }): string | null {
  const wanted = m.definition.trustees;
  if (!m.dkg || !wanted) return 'the manifest names k-of-n trustees without their key ceremony';
  if (m.dkg.threshold !== wanted.threshold) return 'the key ceremony\'s threshold is not the definition\'s';
  const state = evaluateCeremony(m.voteId, wanted.count, wanted.threshold, m.dkg, true);
  if (state.invalid.length) return `the key ceremony does not verify: ${state.invalid[0]}`;
  if (!state.electionKey) return state.failed ?? 'the key ceremony gives no election key';
  if (state.electionKey !== m.keys.election) return 'the election key is not the one the trustees\' key ceremony gives: someone else could read the ballots';
  if (state.qualified.join(',') !== m.dkg.qualified.join(',') || m.trustees.map((t) => t.trusteeId).sort().join(',') !== [...state.qualified].sort().join(',')) return 'the trustees are not those who qualified in the key ceremony';
  const joins = new Map(m.dkg.joins.map((j) => [j.trusteeId, j]));
  for (const t of m.trustees) {
    if (state.publicShares![t.trusteeId] !== t.publicKey) return `trustee ${t.trusteeId}'s public share is not the one the key ceremony gives`;
    if (joins.get(t.trusteeId)?.signingKey !== t.signingKey || joins.get(t.trusteeId)?.signature !== t.registration) return `trustee ${t.trusteeId}'s signing key is not the one they joined the key ceremony with`;
  }
  return null;
}

// ——— The trustee's side (command line and page) ———

/** (Trustee) The signed join message for a fresh signing key and share-encryption key. */
export function joinMessage(voteId: string, trusteeId: string, keys: { signingSecret: Uint8Array; signingKey: string; shareKey: string }): DkgJoin {
  const j = { trusteeId, signingKey: keys.signingKey, shareKey: keys.shareKey };
  return { ...j, signature: signStatement('dkg-join', joinBytes(voteId, j), keys.signingSecret) };
}

/** (Dealer) A polynomial of degree k − 1, its commitments with proofs, one sealed share per trustee, signed. */
export async function dealMessage(voteId: string, dealer: string, threshold: number, joins: readonly DkgJoin[], signingSecret: Uint8Array, coefficients: Scalar[] = randomPolynomial(threshold)): Promise<{ deal: DkgDeal; coefficients: Scalar[] }> {
  const indices = trusteeIndices(joins);
  const { commitments, proofs } = commitPolynomial(voteId, dealer, coefficients);
  const shares: DkgSealedShare[] = [];
  for (const j of joins) {
    if (!shareKeyUsable(fromHex(j.shareKey, 32, 'shareKey'))) throw new Error(`${j.trusteeId}'s share key cannot receive shares: do not deal, and tell the administrator`);
    const sealed = await sealShare(fromHex(j.shareKey, 32, 'shareKey'), evaluatePolynomial(coefficients, indices.get(j.trusteeId)!), { voteId, dealer, recipient: j.trusteeId }, commitments);
    shares.push({ recipient: j.trusteeId, ...sealed });
  }
  const body = { dealer, commitments: commitments.map(pointToHex), proofs: proofs.map(knowledgeProofToJson), shares };
  return { deal: { ...body, signature: signStatement('dkg-deal', dealBytes(voteId, body, joinsDigest(joins)), signingSecret) }, coefficients };
}

/**
 * (Trustee) Opens and checks every share dealt to them, once the ceremony as shown verifies whole
 * (every join, deal, check and answer signed and proven): a server that shows a deal changed, or
 * sealed to other keys, gets a refusal, not a complaint that would make an honest dealer reveal a
 * share. Returns the shares that match their dealers' commitments, and the complaints.
 */
export async function openDealtShares(voteId: string, trusteeId: string, shareSecret: Uint8Array, m: DkgMessages, count: number, threshold: number): Promise<{ shares: Map<string, Scalar>; complaints: DkgComplaint[] }> {
  const state = evaluateCeremony(voteId, count, threshold, m);
  if (state.invalid.length) throw new Error(`the key ceremony as the server shows it does not verify (${state.invalid[0]}): do not go on, and tell the other trustees and the monitors`);
  const me = state.indices.get(trusteeId);
  if (!me) throw new Error(`${trusteeId} has not joined this ceremony`);
  const shares = new Map<string, Scalar>();
  const complaints: DkgComplaint[] = [];
  for (const d of m.deals) {
    const sealed = d.shares.find((s) => s.recipient === trusteeId)!;
    const commitments = d.commitments.map((c) => pointFromHex(c, 'commitment'));
    let share: Scalar;
    try { share = await openShare(shareSecret, sealed, { voteId, dealer: d.dealer, recipient: trusteeId }, commitments); } catch {
      complaints.push({ dealer: d.dealer, reason: 'share does not open' });
      continue;
    }
    if (!shareMatches(commitments, me, share)) complaints.push({ dealer: d.dealer, reason: 'wrong share' });
    else shares.set(d.dealer, share);
  }
  return { shares, complaints };
}

export function checkMessage(voteId: string, trusteeId: string, complaints: DkgComplaint[], signingSecret: Uint8Array, m: Pick<DkgMessages, 'joins' | 'deals'>): DkgCheck {
  const c = { trusteeId, complaints };
  return { ...c, signature: signStatement('dkg-check', checkBytes(voteId, c, joinsDigest(m.joins), dealsDigest(m.deals)), signingSecret) };
}

/** (Dealer) Answers a complaint by revealing the share it dealt the complainer. */
export function answerMessage(voteId: string, dealer: string, recipient: string, coefficients: readonly Scalar[], signingSecret: Uint8Array, m: Pick<DkgMessages, 'joins' | 'deals'>): DkgAnswer {
  const a = { dealer, recipient, share: scalarToHex(evaluatePolynomial(coefficients, trusteeIndices(m.joins).get(recipient)!)) };
  return { ...a, signature: signStatement('dkg-answer', answerBytes(voteId, a, joinsDigest(m.joins), dealsDigest(m.deals)), signingSecret) };
}

/**
 * (Trustee, after the ceremony) Their secret share yⱼ = Σ_{i∈QUAL} sᵢⱼ: the shares they opened, or,
 * where their own signed check complained of a dealer, the share that dealer revealed in a signed
 * answer matching its commitments. Throws when a qualified dealer's share is missing, or when the sum
 * does not match the public share (then the trustee must not approve).
 */
export function secretShareOf(trusteeId: string, state: CeremonyState, opened: Map<string, Scalar>, m: DkgMessages): Scalar {
  if (state.invalid.length) throw new Error(`the key ceremony does not verify (${state.invalid[0]}): do not approve this vote, and tell the other trustees`);
  const me = state.indices.get(trusteeId)!;
  const mine = m.checks.find((c) => c.trusteeId === trusteeId);
  const parts: Scalar[] = [];
  for (const dealer of state.qualified) {
    let s = opened.get(dealer);
    if (s === undefined && mine?.complaints.some((c) => c.dealer === dealer)) {
      const answered = m.answers.find((a) => a.dealer === dealer && a.recipient === trusteeId);
      const deal = m.deals.find((d) => d.dealer === dealer);
      const revealed = answered ? scalarFromHex(answered.share, 'share') : undefined;
      if (revealed !== undefined && deal && shareMatches(deal.commitments.map((c) => pointFromHex(c)), me, revealed)) s = revealed;
    }
    if (s === undefined) throw new Error(`you hold no valid share from ${dealer}, who qualified: your complaint is not in the ceremony, or was not answered rightly. Do not approve this vote, and tell the other trustees`);
    parts.push(s);
  }
  const y = combineShares(parts);
  const expected = state.publicShares?.[trusteeId];
  if (!expected || !shareMatches([pointFromHex(expected)], 1, y)) throw new Error(`your share does not match the public share the ceremony gives ${trusteeId}: do not approve this vote, and tell the other trustees`);
  return y;
}
