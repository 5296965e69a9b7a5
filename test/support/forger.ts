/**
 * What a dishonest operator holding the board's secret key (read from the database) does to an
 * election record, thoroughly: it changes the manifest and re-signs everything the board signs, so
 * that the only things left to catch it are the ones it does not hold (the trustees' keys, the
 * fingerprint people were given, monitors' copies, members' receipts and codes).
 */
import {
  IDENTITY, addCiphertexts, ballotFromJson, challengedBallotNullifier, ballotLeafFromJson, ballotToJson, ciphertextFromJson, decryptTotal, fromHex, generateSigningKey, leafHash,
  partialDecryptionFromJson, pointToHex, questionCiphertexts, rootHash, signStatement, signTreeHead, toHex, trackingCode, type EncryptedBallot,
} from '@union-vote/crypto';
import {
  actHash, ballotShapeFor, challengeCounts, challengesFromActs, computeResults, eligibleFromActs, issuanceEntryHash, manifestBytes, manifestFingerprint, totalLabel, trusteeRegistrationBytes,
  type Act, type ChallengeCount, type DecryptedCount, type ElectionRecord, type IssuanceEntry, type Manifest, type Results,
} from '@union-vote/election';
import { decrypt, readKeyFile, type KeyFile } from '@union-vote/cli';
import type { VerifyOptions } from '@union-vote/verifier';

export interface ResealOptions {
  /** The board's secret key, from the database. */
  boardSecret: Uint8Array;
  /** What the operator changes in the manifest (a rule, a threshold, a delegate or eligible count, the window). */
  mutate: (m: Manifest) => void;
  /** Sign with a brand-new board key (named in the manifest) instead of the database's. */
  newBoardKey?: boolean;
  /** Also replace every trustee's signing key with one of the operator's, and forge their approvals. */
  newTrusteeKeys?: boolean;
}

/** The record with a changed manifest, every board signature redone, the results recomputed under it. */
export function reseal(record: ElectionRecord, o: ResealOptions): ElectionRecord {
  const r = structuredClone(record);
  const m = r.manifest as Manifest;
  o.mutate(m);
  let secret = o.boardSecret;
  if (o.newBoardKey) {
    const board = generateSigningKey();
    secret = board.secretKey;
    m.keys.board = toHex(board.publicKey);
  }
  const trusteeSecrets = new Map<string, Uint8Array>();
  if (o.newTrusteeKeys) {
    for (const t of m.trustees) {
      const k = generateSigningKey();
      trusteeSecrets.set(t.trusteeId, k.secretKey);
      t.signingKey = toHex(k.publicKey);
      t.registration = signStatement('trustee-registration', trusteeRegistrationBytes({ voteId: m.voteId, ...t }), k.secretKey);
    }
  }
  const bytes = manifestBytes(m);
  r.manifestSignature = signStatement('manifest', bytes, secret);
  if (o.newTrusteeKeys) r.approvals = m.trustees.map((t) => ({ trusteeId: t.trusteeId, signature: signStatement('manifest-approval', bytes, trusteeSecrets.get(t.trusteeId)!) }));
  resignActs(r, secret, { fingerprint: manifestFingerprint(m) });
  if (o.newBoardKey) {
    for (const e of r.issuanceLog) e.signature = signStatement('issuance', fromHex(e.hash), secret);
    r.treeHeads = r.treeHeads.map((h) => {
      const s = signTreeHead({ voteId: m.voteId, ...h }, secret);
      return { treeSize: s.treeSize, rootHash: s.rootHash, timestamp: s.timestamp, signature: s.signature };
    });
    // Monitors' cosignatures are over the old board's heads; the operator cannot redo them.
    r.cosignatures = [];
  }
  recomputeResults(r);
  return r;
}

/** Re-chains and re-signs the acts (from the sealing on); `sealed` replaces the sealing act's details. */
export function resignActs(r: ElectionRecord, secret: Uint8Array, sealed?: Record<string, string>): void {
  let prev = '0'.repeat(64);
  let signing = false;
  for (const a of r.acts) {
    if (a.act === 'vote sealed') {
      signing = true;
      if (sealed) a.details = { ...a.details, ...sealed };
    }
    a.prev = prev;
    a.hash = actHash(r.manifest.voteId, a as Act);
    a.signature = signing ? signStatement('act', fromHex(a.hash), secret) : null;
    prev = a.hash;
  }
}

/** The record's challenged ballots as its acts rule on them: nullifiers not counted, and the counts per local. */
export function challengesOf(r: ElectionRecord): { uncounted: Set<string>; counts: ChallengeCount[] } {
  const challenges = challengesFromActs(r.acts);
  const uncounted = new Set<string>();
  const cast = new Set<string>();
  for (const c of challenges.values()) {
    const nullifier = toHex(challengedBallotNullifier(r.manifest.voteId, c.localId, c.id));
    if (!r.ballots.some((b) => b.nullifier === nullifier)) continue;
    cast.add(c.id);
    if (c.ruling !== 'accepted') uncounted.add(nullifier);
  }
  return { uncounted, counts: challengeCounts(r.manifest.definition.locals.map((l) => l.id), challenges, cast) };
}

/** The results the record's decrypted counts give under its (possibly changed) manifest. */
export function recomputeResults(r: ElectionRecord): void {
  const results = r.results as Results | null;
  if (!results) return;
  const m = r.manifest as Manifest;
  const counts = results.questions.flatMap((q) => q.locals.map((l) => ({ questionId: q.questionId, localId: l.localId, ballots: l.ballots, yes: l.yes, no: l.no })));
  r.results = computeResults(m.definition, Object.fromEntries(eligibleFromActs(m.eligible, r.acts as Act[])), counts, challengesOf(r).counts);
}

type NewAct = Omit<Act, 'seq' | 'prev' | 'hash' | 'signature'>;

/** Inserts acts right before the first act of kind `before`, renumbers, re-chains and re-signs. */
export function insertActs(r: ElectionRecord, before: Act['act'], acts: NewAct[], secret: Uint8Array): void {
  const i = r.acts.findIndex((a) => a.act === before);
  if (i < 0) throw new Error(`no act ${before}`);
  r.acts.splice(i, 0, ...acts.map((a) => ({ ...a, seq: 0, prev: '', hash: '', signature: null })));
  r.acts.forEach((a, k) => (a.seq = k));
  resignActs(r, secret);
}

/** Appends acts at the end, re-chains and re-signs. */
export function appendActs(r: ElectionRecord, acts: NewAct[], secret: Uint8Array): void {
  r.acts.push(...acts.map((a) => ({ ...a, seq: 0, prev: '', hash: '', signature: null })));
  r.acts.forEach((a, k) => (a.seq = k));
  resignActs(r, secret);
}

/** Re-chains and re-signs the issuance log. */
export function resignIssuance(r: ElectionRecord, secret: Uint8Array): void {
  let prev = '0'.repeat(64);
  r.issuanceLog.forEach((e, i) => {
    e.seq = i;
    e.prev = prev;
    e.hash = issuanceEntryHash(r.manifest.voteId, e as IssuanceEntry);
    e.signature = signStatement('issuance', fromHex(e.hash), secret);
    prev = e.hash;
  });
}

/**
 * Renumbers the leaves and recomputes the encrypted totals from the record's ballots: all of them
 * but the challenged ones no ruling accepted, or with `everyBallot` all of them.
 */
export function recomputeTotals(r: ElectionRecord, everyBallot = false): void {
  const { uncounted } = everyBallot ? { uncounted: new Set<string>() } : challengesOf(r);
  const m = r.manifest as Manifest;
  r.ballots.forEach((b, i) => (b.leafIndex = i));
  type Sum = { questionId: string; localId: string; option: number; ballots: number; ct: ReturnType<typeof ciphertextFromJson> };
  const sums = new Map<string, Sum>();
  for (const q of m.definition.questions) for (const l of q.locals) for (const o of [0, 1]) sums.set(totalLabel(q.id, l, o), { questionId: q.id, localId: l, option: o, ballots: 0, ct: { alpha: IDENTITY, beta: IDENTITY } });
  for (const b of r.ballots) {
    if (uncounted.has(b.nullifier)) continue;
    const ballot = ballotFromJson(b.ballot);
    const shapes = ballotShapeFor(m.definition, b.localId);
    ballot.questions.forEach((q, k) => questionCiphertexts(q, shapes[k]!).forEach((ct, o) => {
      const sum = sums.get(totalLabel(q.questionId, b.localId, o))!;
      sum.ct = addCiphertexts(sum.ct, ct);
      sum.ballots++;
    }));
  }
  r.encryptedTotals = [...sums.values()].map(({ ct, ...t }) => ({ ...t, alpha: pointToHex(ct.alpha), beta: pointToHex(ct.beta) }));
}

/** A head of the record's first `size` ballots, signed with the board key at `timestamp`. */
export function signHead(r: ElectionRecord, secret: Uint8Array, size: number, timestamp: string): ElectionRecord['treeHeads'][number] {
  const leaves = r.ballots.slice(0, size).map((b) => leafHash(ballotLeafFromJson(b.ballot)));
  const h = signTreeHead({ voteId: r.manifest.voteId, treeSize: size, rootHash: toHex(rootHash(leaves)), timestamp }, secret);
  return { treeSize: h.treeSize, rootHash: h.rootHash, timestamp: h.timestamp, signature: h.signature };
}

/** The record's entry for a ballot of the operator's (its leaf index set by recomputeTotals). */
export function ballotEntry(b: EncryptedBallot): ElectionRecord['ballots'][number] {
  const json = ballotToJson(b);
  return { leafIndex: 0, localId: b.localId, nullifier: json.nullifier, trackingCode: trackingCode(b), ballot: json };
}

/**
 * Each trustee runs the real `trustee decrypt` against `served`, the record the operator's server
 * serves them, with what they were given (`verify`: a monitor's witness file…). Returns the shares
 * uploaded (the operator's server keeps them) and the key files as the CLI leaves them (remembering
 * the closing decrypted); throws what the first trustee to refuse says.
 */
export async function trusteesDecrypt(served: ElectionRecord, keyFiles: Record<string, KeyFile>, verify?: VerifyOptions): Promise<{ shares: ElectionRecord['decryptions']; keyFiles: Record<string, KeyFile> }> {
  const shares: ElectionRecord['decryptions'] = [];
  const after: Record<string, KeyFile> = {};
  for (const [id, file] of Object.entries(keyFiles)) {
    const fetch = async (url: string, init?: RequestInit) => {
      if (url.endsWith('/record')) return new Response(JSON.stringify(served));
      if (url.endsWith('/decryptions') && init?.method === 'POST') {
        const body = JSON.parse(String(init.body)) as { trusteeId: string; shares: Omit<ElectionRecord['decryptions'][number], 'trusteeId'>[] };
        shares.push(...body.shares.map((x) => ({ trusteeId: body.trusteeId, ...x })));
        return new Response(JSON.stringify({ complete: false }));
      }
      throw new Error(`unexpected ${url}`);
    };
    // What the CLI writes back to the key file, before the shares leave.
    await decrypt({ baseUrl: '', fetch, voteId: served.manifest.voteId, key: readKeyFile(file), apiToken: 'uvt_operator', ...(verify ? { verify } : {}), remember: (closing) => void (after[id] = { ...file, decrypted: closing }) });
  }
  return { shares, keyFiles: after };
}

/** The counts the shares decrypt, per question and local. */
export function countsFrom(r: ElectionRecord, shares: ElectionRecord['decryptions']): DecryptedCount[] {
  const counts = new Map<string, DecryptedCount>();
  for (const t of r.encryptedTotals) {
    const parts = shares.filter((s) => s.questionId === t.questionId && s.localId === t.localId && s.option === t.option).map((s) => partialDecryptionFromJson(s));
    const value = decryptTotal(ciphertextFromJson(t), parts, t.ballots);
    const key = `${t.questionId}/${t.localId}`;
    const c = counts.get(key) ?? { questionId: t.questionId, localId: t.localId, ballots: t.ballots, yes: 0, no: 0 };
    if (t.option === 0) c.yes = value;
    else c.no = value;
    counts.set(key, c);
  }
  return [...counts.values()];
}

/** A closed record plus the trustees' shares, made into the tallied record the operator's server would publish. */
export function publishTallied(r: ElectionRecord, shares: ElectionRecord['decryptions'], secret: Uint8Array, at: string): void {
  const m = r.manifest as Manifest;
  r.status = 'tallied';
  r.decryptions = shares;
  const results = computeResults(m.definition, Object.fromEntries(eligibleFromActs(m.eligible, r.acts as Act[])), countsFrom(r, shares), challengesOf(r).counts);
  appendActs(r, [
    ...[...new Set(shares.map((s) => s.trusteeId))].map((trusteeId) => ({ at, role: 'trustee', localId: null, act: 'decryptions submitted' as const, details: { trusteeId, shares: shares.filter((s) => s.trusteeId === trusteeId).length } })),
    { at, role: 'service', localId: null, act: 'results published' as const, details: Object.fromEntries(results.questions.map((q) => [q.questionId, q.outcome.passed ? 'passed' : 'failed'])) },
  ], secret);
  r.results = results;
}
