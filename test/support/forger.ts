/**
 * What a dishonest operator holding the board's secret key (read from the database) does to an
 * election record, thoroughly: it changes the manifest and re-signs everything the board signs, so
 * that the only things left to catch it are the ones it does not hold (the trustees' keys, the
 * fingerprint people were given, monitors' copies, members' receipts and codes).
 */
import {
  fromHex, generateSigningKey, signStatement, signTreeHead, toHex,
} from '@union-vote/crypto';
import {
  actHash, computeResults, eligibleFromActs, manifestBytes, manifestFingerprint, trusteeRegistrationBytes,
  type Act, type ElectionRecord, type Manifest, type Results,
} from '@union-vote/election';

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

/** The results the record's decrypted counts give under its (possibly changed) manifest. */
export function recomputeResults(r: ElectionRecord): void {
  const results = r.results as Results | null;
  if (!results) return;
  const m = r.manifest as Manifest;
  const counts = results.questions.flatMap((q) => q.locals.map((l) => ({ questionId: q.questionId, localId: l.localId, ballots: l.ballots, yes: l.yes, no: l.no })));
  r.results = computeResults(m.definition, Object.fromEntries(eligibleFromActs(m.eligible, r.acts as Act[])), counts);
}
