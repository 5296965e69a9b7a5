/**
 * The ballot box as a log (RFC 9162), and what members and monitors hold against it:
 *  - `ballot-log`: ballots in leaf order, each from a local of the vote, its listed local, nullifier
 *    and tracking code those of the ballot itself.
 *  - `nullifiers`: one ballot per token.
 *  - `tree-heads`: every head the board signed in the record: signed, its root the root of that
 *    prefix of the final log, sizes and times increasing, times within the vote (sealed → closed),
 *    the last covering every ballot.
 *  - `witnesses`: every head a monitor cosigned (in the record, and in monitors' own copies given
 *    with --witness): cosigned and board-signed, present in the record, its root the final log's
 *    prefix root (else the log was rewritten after it), not dated after the monitor saw it, in time
 *    order with every other head; two heads of one size with different roots are a split view. The
 *    acts and issuance log the monitor saw must be the start of the record's; a head seen when the
 *    board said the vote was closed, or after the manifest's closing time, must be the final box.
 *  - `receipts`: members' receipt files (--receipts): signed by this vote's board, the ballot in the
 *    final box at its leaf, in its local, and the receipt's head a prefix of the final log. A member
 *    whose receipt never came gives the board's signed promise instead (a promise file): the ballot
 *    with its tracking code must be in the final box, in its local.
 */
import {
  ballotLeafFromJson, fromHex, leafHash, prefixRoots, toHex, trackingCodeFromJson, verifyBallotPromise, verifyCosignature, verifyInclusion, verifyReceipt, verifyTreeHead,
} from '@union-vote/crypto';
import {
  CLOSING_GRACE_MS, PROMISE_FILE_FORMAT, PromiseFileJson, ReceiptFileJson, WitnessFileJson, fieldIssues, manifestFingerprint, normalizeFingerprint, type ActsSummary, type CosignedHead, type ElectionRecord, type Manifest,
} from '@union-vote/election';
import { failures, messageOf, type Checks } from '../report.ts';

/** A named input file given to the verifier (a receipt, a witness copy). */
export interface NamedFile {
  name: string;
  content: unknown;
}

/** The times a head may carry: from the sealing (an empty box) or the opening, to the close. */
export interface Bounds {
  sealedAt?: string | undefined;
  opensAt?: string | undefined;
  /** The earlier of the `vote closed` act and the manifest's closing time with its grace. */
  closedAt?: string | undefined;
  /** The manifest's closing time with its grace: after it, by a monitor's clock, the box is final. */
  finalAfter: number;
}

const time = (t: string | undefined) => (t === undefined || Number.isNaN(Date.parse(t)) ? undefined : Date.parse(t));

export function boundsOf(r: ElectionRecord, acts: ActsSummary): Bounds {
  const opened = [time(acts.openedAt), time(r.manifest.definition.opensAt)].filter((t): t is number => t !== undefined);
  const finalAfter = (time(r.manifest.definition.closesAt) ?? Number.POSITIVE_INFINITY) + CLOSING_GRACE_MS;
  const closed = Math.min(time(acts.closedAt) ?? Number.POSITIVE_INFINITY, finalAfter);
  return {
    sealedAt: time(acts.sealedAt) === undefined ? undefined : acts.sealedAt,
    opensAt: opened.length ? new Date(Math.max(...opened)).toISOString() : undefined,
    closedAt: Number.isFinite(closed) ? new Date(closed).toISOString() : undefined,
    finalAfter,
  };
}

/**
 * What is wrong with a head's time, if anything. A head of the final box may be signed after the
 * close (a reader asking for it then); any other head after the close is impossible.
 */
function timeProblem(size: number, at: string, b: Bounds, finalSize: number): string | null {
  const t = Date.parse(at);
  if (b.sealedAt && t < Date.parse(b.sealedAt)) return `dated ${at}, before the vote was sealed (${b.sealedAt})`;
  if (size > 0 && b.opensAt && t < Date.parse(b.opensAt)) return `dated ${at}, holding ${size} ballots before voting opened (${b.opensAt})`;
  if (b.closedAt && t > Date.parse(b.closedAt) && size !== finalSize) return `dated ${at}, after the vote closed or its closing time passed (${b.closedAt}), with ${size} ballots, not the final ${finalSize}`;
  return null;
}

export function checkBallotLog(r: ElectionRecord, checks: Checks): Uint8Array[] {
  const voteId = r.manifest.voteId;
  const localIds = new Set(r.manifest.definition.locals.map((l) => l.id));
  const problems: string[] = [];
  // Hashing works on the bytes as written; the points themselves are decoded with the proofs.
  const leaves = r.ballots.map((b, i) => {
    if (b.leafIndex !== i) problems.push(`ballot ${i} has leaf index ${b.leafIndex}`);
    if (!localIds.has(b.localId)) problems.push(`ballot ${i} is from local ${b.localId}, which is not in the vote`);
    if (b.ballot.localId !== b.localId) problems.push(`ballot ${i} is listed in local ${b.localId} but was cast in local ${b.ballot.localId}`);
    if (b.ballot.voteId !== voteId) problems.push(`ballot ${i} is for vote ${b.ballot.voteId}`);
    if (b.ballot.nullifier !== b.nullifier) problems.push(`ballot ${i}: its nullifier differs from the one listed`);
    try {
      if (trackingCodeFromJson(b.ballot) !== b.trackingCode) problems.push(`ballot ${i}: tracking code ${b.trackingCode.slice(0, 12)}… is not the hash of the ballot`);
      return leafHash(ballotLeafFromJson(b.ballot));
    } catch (e) {
      problems.push(`ballot ${i}: ${messageOf(e)}`);
      return new Uint8Array(32);
    }
  });
  checks.add('ballot-log', "ballots are in log order, from the vote's locals, with their tracking codes", failures(problems, `${r.ballots.length} ballots, leaf indexes 0 to ${r.ballots.length - 1}`));

  const seen = new Map<string, number>();
  const dupes: string[] = [];
  r.ballots.forEach((b, i) => {
    const first = seen.get(b.nullifier);
    if (first !== undefined) dupes.push(`ballots ${first} and ${i} share the nullifier ${b.nullifier.slice(0, 12)}…`);
    else seen.set(b.nullifier, i);
  });
  checks.add('nullifiers', 'each token cast one ballot: nullifiers are unique', failures(dupes, `${seen.size} distinct nullifiers`));
  return leaves;
}

/** The final log's root at each of `sizes` (hex). */
function rootsAt(leaves: Uint8Array[], sizes: number[]): Map<number, string> {
  return new Map([...prefixRoots(leaves, sizes)].map(([n, h]) => [n, toHex(h)]));
}

export function checkTreeHeads(r: ElectionRecord, leaves: Uint8Array[], bounds: Bounds, checks: Checks): void {
  checks.run('tree-heads', 'signed tree heads are consistent with the log, in order of size and time, and the final one covers every ballot', () => {
    const boardKey = fromHex(r.manifest.keys.board);
    const roots = rootsAt(leaves, r.treeHeads.map((h) => h.treeSize));
    const problems: string[] = [];
    let previous: { treeSize: number; timestamp: string } | undefined;
    for (const h of r.treeHeads) {
      const at = `the tree head of size ${h.treeSize}`;
      if (!verifyTreeHead({ voteId: r.manifest.voteId, ...h }, boardKey)) problems.push(`${at} is not signed by the board key`);
      if (previous && h.treeSize <= previous.treeSize) problems.push(`tree heads are not in increasing size (${h.treeSize} after ${previous.treeSize})`);
      if (previous && Date.parse(h.timestamp) < Date.parse(previous.timestamp)) problems.push(`${at} is dated ${h.timestamp}, before the smaller head of size ${previous.treeSize} (${previous.timestamp}): a head was backdated`);
      const time = timeProblem(h.treeSize, h.timestamp, bounds, leaves.length);
      if (time) problems.push(`${at} is ${time}`);
      previous = h;
      if (h.treeSize > leaves.length) problems.push(`${at} covers more ballots than the record holds (${leaves.length})`);
      else if (roots.get(h.treeSize) !== h.rootHash) problems.push(`the log's first ${h.treeSize} ballots do not hash to the root the board signed at that size: the log was rewritten`);
    }
    const final = r.treeHeads.at(-1)!;
    if (final.treeSize !== leaves.length) problems.push(`the final tree head covers ${final.treeSize} ballots, the record holds ${leaves.length}`);
    return failures(problems, `${r.treeHeads.length} signed heads, final size ${final.treeSize}, each root recomputed`);
  });
}

/** A cosigned head, and where the verifier found it (the record, or which witness file). */
type WitnessedHead = CosignedHead & { source: string };

export function checkWitnesses(r: ElectionRecord, witnessFiles: readonly NamedFile[], leaves: Uint8Array[], bounds: Bounds, checks: Checks): void {
  checks.run('witnesses', "every head a monitor cosigned is the board's, in the record, a prefix of the final log, and in time order; no split view", () => {
    const voteId = r.manifest.voteId;
    const fingerprint = manifestFingerprint(r.manifest as Manifest);
    const boardKey = fromHex(r.manifest.keys.board);
    const problems: string[] = [];
    const heads: WitnessedHead[] = r.cosignatures.map((c) => ({ ...c, source: `monitor ${c.witnessKey.slice(0, 8)}… (in the record)` }));
    for (const f of witnessFiles) {
      const parsed = WitnessFileJson.safeParse(f.content);
      if (!parsed.success) {
        problems.push(`${f.name} is not a witness file: ${fieldIssues(parsed.error).slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('; ')}`);
        continue;
      }
      const w = parsed.data;
      if (w.voteId !== voteId) problems.push(`${f.name} witnesses vote ${w.voteId}, not ${voteId}`);
      else if (normalizeFingerprint(w.fingerprint) !== fingerprint) problems.push(`${f.name} witnessed the vote with fingerprint ${w.fingerprint}; this record's manifest has ${fingerprint}: the monitor was shown another manifest`);
      else heads.push(...w.heads.map((h) => ({ ...h, source: `${f.name} (monitor ${h.witnessKey.slice(0, 8)}…)` })));
    }
    const roots = rootsAt(leaves, heads.map((h) => h.treeSize));
    const inRecord = new Map(r.treeHeads.map((h) => [h.treeSize, h]));
    for (const h of heads) {
      const at = `the head of size ${h.treeSize} dated ${h.timestamp}, cosigned by ${h.source}`;
      if (!verifyCosignature({ voteId, ...h })) {
        problems.push(`${at}: the cosignature does not verify`);
        continue;
      }
      if (!verifyTreeHead({ voteId, treeSize: h.treeSize, rootHash: h.rootHash, timestamp: h.timestamp, signature: h.headSignature }, boardKey)) {
        problems.push(`${at}: not signed by this vote's board key`);
        continue;
      }
      const recorded = inRecord.get(h.treeSize);
      if (!recorded) problems.push(`${at}: the board signed it, and the record leaves it out`);
      // The acts and the issuance log as the monitor saw them must be the start of the record's.
      if (h.actsSize > 0 && r.acts[h.actsSize - 1]?.hash !== h.actsHead) problems.push(`${at}: the monitor saw ${h.actsSize} official acts ending in ${h.actsHead.slice(0, 12)}…; the record's acts differ there: the history was rewritten after it was witnessed`);
      if (h.issuanceSize > 0 && r.issuanceLog[h.issuanceSize - 1]?.hash !== h.issuanceHead) problems.push(`${at}: the monitor saw ${h.issuanceSize} issuance entries ending in ${h.issuanceHead.slice(0, 12)}…; the record's log differs there: codes or tokens were written into the past`);
      const final = h.treeSize === leaves.length && roots.get(h.treeSize) === h.rootHash;
      if (h.closed && !final) problems.push(`${at}: the board said the vote was closed, and the final box is another: ballots were added or changed after the close`);
      if (Date.parse(h.seenAt) > bounds.finalAfter && !final) problems.push(`${at}: seen after the vote's closing time (with its grace), and the final box is another: ballots were added or changed after it`);
      if (h.treeSize > leaves.length) problems.push(`${at}: covers more ballots than the final box holds (${leaves.length}): ballots were dropped after it was witnessed`);
      else if (roots.get(h.treeSize) !== h.rootHash) problems.push(`${at}: the final box's first ${h.treeSize} ballots hash to another root: the box was rewritten after this head was witnessed`);
      if (Date.parse(h.timestamp) > Date.parse(h.seenAt) + 5 * 60_000) problems.push(`${at}: dated after the monitor saw it (${h.seenAt})`);
      const time = timeProblem(h.treeSize, h.timestamp, bounds, leaves.length);
      if (time) problems.push(`${at}: ${time}`);
    }
    // Every head anyone holds, by size: one root per size, and times that do not go backwards.
    const all = [...r.treeHeads.map((h) => ({ ...h, source: 'the record' })), ...heads];
    const bySize = new Map<number, typeof all>();
    for (const h of all) bySize.set(h.treeSize, [...(bySize.get(h.treeSize) ?? []), h]);
    for (const [size, list] of bySize) {
      const distinct = [...new Map(list.map((h) => [h.rootHash, h])).values()];
      if (distinct.length > 1) problems.push(`split view: the board signed ${distinct.length} different logs of size ${size}: ${distinct.map((h) => `root ${h.rootHash.slice(0, 12)}… shown to ${h.source}`).join('; ')}`);
    }
    const ordered = all.slice().sort((a, b) => a.treeSize - b.treeSize);
    let latest: (typeof all)[number] | undefined;
    for (const h of ordered) {
      if (latest && latest.treeSize < h.treeSize && Date.parse(h.timestamp) < Date.parse(latest.timestamp)) {
        problems.push(`the head of size ${h.treeSize} (${h.source}) is dated ${h.timestamp}, before the smaller head of size ${latest.treeSize} dated ${latest.timestamp} (${latest.source}): a head was backdated`);
      }
      if (!latest || Date.parse(h.timestamp) >= Date.parse(latest.timestamp)) latest = h;
    }
    if (heads.length === 0) return ['no monitor cosigned a head (monitors give their own copies with --witness FILE)'];
    const distinct = new Set(heads.map((h) => `${h.witnessKey}/${h.treeSize}`)).size;
    return failures(problems, `${distinct} cosigned heads from ${new Set(heads.map((h) => h.witnessKey)).size} monitors (in the record and the copies given), each consistent with the final log`);
  });
}

export function checkReceipts(r: ElectionRecord, receipts: readonly NamedFile[], leaves: Uint8Array[], bounds: Bounds, checks: Checks): void {
  checks.run('receipts', "every member's receipt (or, when none came, the board's promise) is the board's, and the final box holds that ballot in its local, a receipt's at its leaf", () => {
    if (receipts.length === 0) return ['no receipts were given (members give theirs, or the board\'s promise when no receipt came, with --receipts DIR)'];
    const voteId = r.manifest.voteId;
    const fingerprint = manifestFingerprint(r.manifest as Manifest);
    const boardKey = fromHex(r.manifest.keys.board);
    const problems: string[] = [];
    // A promise file is told by its format; anything else is read as a receipt file.
    const isPromise = (f: NamedFile) => typeof f.content === 'object' && f.content !== null && (f.content as { format?: unknown }).format === PROMISE_FILE_FORMAT;
    const promises = receipts.filter(isPromise);
    problems.push(...promiseProblems(r, promises, bounds, fingerprint, boardKey));
    const parsed = receipts.filter((f) => !isPromise(f)).map((f) => ({ f, p: ReceiptFileJson.safeParse(f.content) }));
    const roots = rootsAt(leaves, parsed.flatMap(({ p }) => (p.success ? [p.data.treeHead.treeSize] : [])));
    for (const { f, p } of parsed) {
      if (!p.success) {
        problems.push(`${f.name} is not a receipt file: ${fieldIssues(p.error).slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('; ')}`);
        continue;
      }
      const { receipt, treeHead, leafHash: leaf, inclusionProof } = p.data;
      const at = `${f.name} (tracking code ${receipt.trackingCode.slice(0, 12)}…, local ${receipt.localId}, leaf ${receipt.leafIndex})`;
      if (receipt.voteId !== voteId) { problems.push(`${at}: a receipt of vote ${receipt.voteId}`); continue; }
      if (normalizeFingerprint(p.data.fingerprint) !== fingerprint) problems.push(`${at}: the member's letter gave fingerprint ${p.data.fingerprint}, the record's manifest has ${fingerprint}`);
      // The board's own signature dates the ballot: outside the sealed window, the board took a ballot it had to refuse.
      const issued = Date.parse(receipt.issuedAt);
      if (issued > bounds.finalAfter) problems.push(`${at}: the board signed this receipt at ${receipt.issuedAt}, after the vote's closing time: it took a ballot it had to refuse`);
      if (bounds.opensAt && issued < Date.parse(bounds.opensAt)) problems.push(`${at}: the board signed this receipt at ${receipt.issuedAt}, before voting opened`);
      if (!verifyReceipt(receipt, boardKey)) problems.push(`${at}: not signed by this vote's board key (the board key was replaced, or the receipt altered)`);
      if (!verifyTreeHead({ voteId, ...treeHead }, boardKey)) problems.push(`${at}: its tree head is not signed by this vote's board key`);
      else if (!verifyInclusion(fromHex(leaf), receipt.leafIndex, treeHead.treeSize, inclusionProof.map((h) => fromHex(h)), fromHex(treeHead.rootHash))) problems.push(`${at}: its inclusion proof does not lead to its head`);
      else if (treeHead.treeSize > leaves.length || roots.get(treeHead.treeSize) !== treeHead.rootHash) problems.push(`${at}: the box the member was shown at casting (size ${treeHead.treeSize}) is not a prefix of the final box: it was rewritten`);
      const b = r.ballots[receipt.leafIndex];
      if (!b) problems.push(`${at}: the final box has no leaf ${receipt.leafIndex}: the ballot was dropped`);
      else if (b.trackingCode !== receipt.trackingCode || toHex(leaves[receipt.leafIndex]!) !== leaf) problems.push(`${at}: the final box holds another ballot at leaf ${receipt.leafIndex}: the member's ballot was ${r.ballots.some((x) => x.trackingCode === receipt.trackingCode) ? 'moved' : 'dropped or replaced'}`);
      else if (b.localId !== receipt.localId) problems.push(`${at}: the final box lists the ballot in local ${b.localId}`);
    }
    if (!promises.length) return failures(problems, `${parsed.length} receipts: each ballot is in the final box at its leaf, in its local`);
    return failures(problems, `${parsed.length} receipts, ${promises.length === 1 ? '1 promise' : `${promises.length} promises`}: each ballot is in the final box (a receipt's at its leaf), in its local`);
  });
}

/**
 * The board's promises members kept when their receipt did not come: each signed by this vote's
 * board, given within the vote, and its ballot in the final box in its local. A promised ballot
 * missing from the box was dropped by the board (a member's evidence against it, as a receipt is).
 */
function promiseProblems(r: ElectionRecord, files: readonly NamedFile[], bounds: Bounds, fingerprint: string, boardKey: Uint8Array): string[] {
  const problems: string[] = [];
  const byTrackingCode = new Map(r.ballots.map((b) => [b.trackingCode, b]));
  for (const f of files) {
    const p = PromiseFileJson.safeParse(f.content);
    if (!p.success) {
      problems.push(`${f.name} is not a promise file: ${fieldIssues(p.error).slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('; ')}`);
      continue;
    }
    const { promise } = p.data;
    const at = `${f.name} (the board's promise for tracking code ${promise.trackingCode.slice(0, 12)}…, local ${promise.localId})`;
    if (promise.voteId !== r.manifest.voteId) { problems.push(`${at}: a promise of vote ${promise.voteId}`); continue; }
    if (normalizeFingerprint(p.data.fingerprint) !== fingerprint) problems.push(`${at}: the member's letter gave fingerprint ${p.data.fingerprint}, the record's manifest has ${fingerprint}`);
    if (!verifyBallotPromise(promise, boardKey)) { problems.push(`${at}: not signed by this vote's board key (the board key was replaced, or the promise altered)`); continue; }
    // A ballot is promised the batch it was cast in: a batch that ends past the closing time and its grace was a cast the board had to refuse.
    const batchEnd = Date.parse(promise.batchEndsAt);
    if (batchEnd > bounds.finalAfter) problems.push(`${at}: the board promised it a batch ending at ${promise.batchEndsAt}, after the vote's closing time: it took a ballot it had to refuse`);
    const b = byTrackingCode.get(promise.trackingCode);
    if (!b) problems.push(`${at}: the board promised to put this ballot in the box by ${promise.sequencedBy}, and the final box does not hold it: the board dropped the member's ballot`);
    else if (b.localId !== promise.localId) problems.push(`${at}: the final box lists the ballot in local ${b.localId}`);
  }
  return problems;
}
