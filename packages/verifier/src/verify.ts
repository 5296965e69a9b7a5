/**
 * Verifies an election record (docs/election-record.md) from the record alone. Each check has a
 * stable id and says what it found; a record passes only if every check passes. Depends on
 * @union-vote/crypto and @union-vote/election only, so it runs in Node, a browser or anywhere else.
 */
import {
  IDENTITY, addCiphertexts, ballotFromJson, trackingCodeFromJson, ballotLeafFromJson, ciphertextEquals, ciphertextFromJson, combineDecryptions, fromHex, gPow,
  jointPublicKey, leafHash, partialDecryptionFromJson, pointFromHex, pointToHex, precomputeBase, questionCiphertexts, rootHash,
  toHex, trusteePublicKeyFromJson, verifyBallot, verifyBallots, verifyPartialDecryption, verifyStatement, verifyTreeHead,
  verifyTrusteeKey, type Ciphertext, type EncryptedBallot, type Point,
} from '@union-vote/crypto';
import {
  ElectionRecord, ballotShapeFor, canonicalJson, checkActs, computeResults, fieldIssues, manifestBytes, totalLabel, type DecryptedCount, type Results,
} from '@union-vote/election';

export interface Check {
  id: string;
  name: string;
  ok: boolean;
  details: string[];
}

export interface Report {
  ok: boolean;
  checks: Check[];
}

export interface VerifyOptions {
  /** Progress of the long steps (ballot proofs): done of total. */
  onProgress?: (step: string, done: number, total: number) => void;
  /**
   * Verifies ballot proofs: given the ballots (as JSON) of the record and the context they need,
   * returns the indexes of the ballots that fail. Defaults to batched verification in this thread;
   * the CLI passes one that spreads the work over worker threads.
   */
  verifyBallotProofs?: (job: BallotProofJob) => Promise<BallotProofResult>;
}

/** What checking ballot proofs yields: the failing indexes, and the encrypted sums of the rest. */
export interface BallotProofResult {
  bad: number[];
  /** Per "question/local/option": the sum of the ciphertexts and how many ballots went in. */
  sums: Record<string, { alpha: string; beta: string; ballots: number }>;
}

export interface BallotProofJob {
  voteId: string;
  electionKey: string;
  /** Per local, the question shapes its ballots carry. */
  shapes: Record<string, { id: string; options: number; blankAllowed: boolean }[]>;
  ballots: { localId: string; nullifier: string; ballot: unknown }[];
}

const BATCH = 2048;

/**
 * Batched verification of a slice of ballots (a failing batch is re-checked ballot by ballot), and
 * the homomorphic sums of the slice's ciphertexts, since the points are decoded here anyway.
 */
export function verifyBallotSlice(job: BallotProofJob, from = 0, to = job.ballots.length, onDone?: (n: number) => void): BallotProofResult {
  const key = precomputeBase(pointFromHex(job.electionKey));
  const bad: number[] = [];
  const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
  for (let start = from; start < to; start += BATCH) {
    const items: { index: number; ballot: EncryptedBallot; context: Parameters<typeof verifyBallot>[1] }[] = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      const b = job.ballots[i]!;
      try {
        const ballot = ballotFromJson(b.ballot);
        items.push({ index: i, ballot, context: { voteId: job.voteId, publicKey: key, nullifier: fromHex(b.nullifier, 32), questions: job.shapes[b.localId] ?? [] } });
      } catch {
        bad.push(i);
      }
    }
    if (!verifyBallots(items)) for (const it of items) if (!verifyBallot(it.ballot, it.context).ok) bad.push(it.index);
    for (const it of items) {
      const localId = job.ballots[it.index]!.localId;
      it.ballot.questions.forEach((q, k) => {
        const shape = job.shapes[localId]?.[k];
        if (!shape || shape.id !== q.questionId || q.choices.length !== (shape.blankAllowed ? shape.options : shape.options - 1)) return;
        questionCiphertexts(q, shape).forEach((ct, o) => {
          const k3 = totalLabel(q.questionId, localId, o);
          const s = sums.get(k3) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
          s.ct = addCiphertexts(s.ct, ct);
          s.ballots++;
          sums.set(k3, s);
        });
      });
    }
    onDone?.(Math.min(to, start + BATCH) - start);
  }
  return {
    bad: bad.sort((a, b) => a - b),
    sums: Object.fromEntries([...sums].map(([k, v]) => [k, { alpha: pointToHex(v.ct.alpha), beta: pointToHex(v.ct.beta), ballots: v.ballots }])),
  };
}

/** Merges the results of slices. */
export function mergeProofResults(parts: BallotProofResult[]): BallotProofResult {
  const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.sums)) {
      const s = sums.get(k) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
      s.ct = addCiphertexts(s.ct, ciphertextFromJson(v));
      s.ballots += v.ballots;
      sums.set(k, s);
    }
  }
  return {
    bad: parts.flatMap((p) => p.bad).sort((a, b) => a - b),
    sums: Object.fromEntries([...sums].map(([k, v]) => [k, { alpha: pointToHex(v.ct.alpha), beta: pointToHex(v.ct.beta), ballots: v.ballots }])),
  };
}

export async function verifyRecord(input: unknown, options: VerifyOptions = {}): Promise<Report> {
  const checks: Check[] = [];
  const check = (id: string, name: string, details: string[], ok = details.every((d) => !d.startsWith('FAIL'))) => {
    checks.push({ id, name, ok, details: details.map((d) => d.replace(/^FAIL /, '')) });
    return ok;
  };

  const parsed = ElectionRecord.safeParse(input);
  if (!parsed.success) {
    check('format', 'the record has the documented structure', fieldIssues(parsed.error).slice(0, 20).map((i) => `FAIL ${i.field}: ${i.message}`), false);
    return { ok: false, checks };
  }
  const r = parsed.data;
  const def = r.vote.definition;
  check('format', 'the record has the documented structure', [`format ${r.format}, vote ${r.vote.id}, ${r.ballots.length} ballots`]);
  const boardKey = fromHex(r.keys.board);

  // 1. The manifest: definition (rules, delegates), keys and trustees, as the board signed them at opening.
  const manifest = manifestBytes({ voteId: r.vote.id, definition: def, electionKey: r.keys.election, issuerKeys: r.keys.issuers, trustees: r.trustees.map((t) => ({ trusteeId: t.trusteeId, publicKey: t.publicKey })) });
  check('manifest', 'the definition, keys and trustees are those the board signed at opening', [
    verifyStatement('manifest', manifest, r.manifestSignature, boardKey) ? 'board signature over the manifest verifies' : 'FAIL the board signature over the manifest does not verify: the definition, a delegate count, a key or a trustee differs from what was signed',
    def.id === r.vote.id ? `definition is for vote ${def.id}` : `FAIL the definition is for vote ${def.id}, the record for ${r.vote.id}`,
  ]);

  // 1b. The official acts: an unbroken chain, signed by the board from the opening on, in an order
  // the rules allow (nothing changed after the opening, no codes issued after the close).
  const actProblems = checkActs(r.acts, {
    voteId: r.vote.id, status: r.vote.status, issuance: r.issuance,
    verifySignature: (hash, signature) => verifyStatement('act', fromHex(hash), signature, boardKey),
  });
  check('official-acts', 'the official acts form an unbroken, signed chain in an order the rules allow',
    actProblems.length ? actProblems.slice(0, 50).map((p) => `FAIL ${p}`) : [`${r.acts.length} acts: ${[...new Set(r.acts.map((a) => a.act))].join(', ')}`]);

  // 2. Trustees: proofs of knowledge, and the joint key.
  const trusteeDetails: string[] = [];
  const trusteeKeys = new Map<string, Point>();
  for (const t of r.trustees) {
    try {
      const k = trusteePublicKeyFromJson(t);
      trusteeKeys.set(t.trusteeId, k.publicKey);
      trusteeDetails.push(verifyTrusteeKey(r.vote.id, k) ? `trustee ${t.trusteeId}: proof of knowledge verifies` : `FAIL trustee ${t.trusteeId}: proof of knowledge does not verify`);
    } catch (e) {
      trusteeDetails.push(`FAIL trustee ${t.trusteeId}: ${(e as Error).message}`);
    }
  }
  try {
    const joint = jointPublicKey(r.trustees.map((t) => trusteePublicKeyFromJson(t)));
    trusteeDetails.push(pointToHex(joint) === r.keys.election ? 'the election key is the sum of the trustees\' keys' : 'FAIL the election key is not the sum of the trustees\' keys');
  } catch (e) {
    trusteeDetails.push(`FAIL ${(e as Error).message}`);
  }
  check('trustees', "trustees' keys and the joint election key", trusteeDetails);

  // 3. The ballot log: order, locals, tracking codes, nullifiers.
  const localIds = new Set(def.locals.map((l) => l.id));
  const logDetails: string[] = [];
  // Hashing works on the bytes as written; the points themselves are decoded with the proofs.
  const leaves: Uint8Array[] = r.ballots.map((b, i) => {
    if (b.leafIndex !== i) logDetails.push(`FAIL ballot ${i} has leaf index ${b.leafIndex}`);
    if (!localIds.has(b.localId)) logDetails.push(`FAIL ballot ${i} is from local ${b.localId}, which is not in the vote`);
    const json = b.ballot as { voteId?: unknown; nullifier?: unknown };
    try {
      if (json.voteId !== r.vote.id) logDetails.push(`FAIL ballot ${i} is for vote ${String(json.voteId)}`);
      if (json.nullifier !== b.nullifier) logDetails.push(`FAIL ballot ${i}: its nullifier differs from the one listed`);
      if (trackingCodeFromJson(b.ballot) !== b.trackingCode) logDetails.push(`FAIL ballot ${i}: tracking code ${b.trackingCode.slice(0, 12)}… is not the hash of the ballot`);
      return leafHash(ballotLeafFromJson(b.localId, b.ballot));
    } catch (e) {
      logDetails.push(`FAIL ballot ${i}: ${(e as Error).message}`);
      return new Uint8Array(32);
    }
  });
  check('ballot-log', 'ballots are in log order, from the vote\'s locals, with their tracking codes', logDetails.length ? logDetails.slice(0, 50) : [`${r.ballots.length} ballots, leaf indexes 0 to ${r.ballots.length - 1}`]);

  const seen = new Map<string, number>();
  const dupes: string[] = [];
  r.ballots.forEach((b, i) => {
    const first = seen.get(b.nullifier);
    if (first !== undefined) dupes.push(`FAIL ballots ${first} and ${i} share the nullifier ${b.nullifier.slice(0, 12)}…`);
    else seen.set(b.nullifier, i);
  });
  check('nullifiers', 'each token cast one ballot: nullifiers are unique', dupes.length ? dupes : [`${seen.size} distinct nullifiers`]);

  // 4. Tree heads: signed by the board, and each one's root is the root of that prefix of the log.
  const headDetails: string[] = [];
  let previous = -1;
  for (const h of r.treeHeads) {
    if (!verifyTreeHead({ voteId: r.vote.id, ...h }, boardKey)) headDetails.push(`FAIL the tree head of size ${h.treeSize} is not signed by the board key`);
    if (h.treeSize <= previous) headDetails.push(`FAIL tree heads are not in increasing size (${h.treeSize} after ${previous})`);
    previous = h.treeSize;
    if (h.treeSize > leaves.length) headDetails.push(`FAIL the tree head of size ${h.treeSize} covers more ballots than the record holds (${leaves.length})`);
    else if (toHex(rootHash(leaves.slice(0, h.treeSize))) !== h.rootHash) headDetails.push(`FAIL the log's first ${h.treeSize} ballots do not hash to the root the board signed at that size: the log was rewritten`);
  }
  const final = r.treeHeads.at(-1)!;
  if (final.treeSize !== leaves.length) headDetails.push(`FAIL the final tree head covers ${final.treeSize} ballots, the record holds ${leaves.length}`);
  check('tree-heads', 'signed tree heads are consistent with the log, and the final one covers every ballot', headDetails.length ? headDetails : [`${r.treeHeads.length} signed heads, final size ${final.treeSize}, each root recomputed`]);

  // 5. Every ballot's proofs.
  const shapes = Object.fromEntries(def.locals.map((l) => [l.id, ballotShapeFor(def, l.id)]));
  const job: BallotProofJob = { voteId: r.vote.id, electionKey: r.keys.election, shapes, ballots: r.ballots.map((b) => ({ localId: b.localId, nullifier: b.nullifier, ballot: b.ballot })) };
  let done = 0;
  const proofs = options.verifyBallotProofs
    ? await options.verifyBallotProofs(job)
    : verifyBallotSlice(job, 0, job.ballots.length, (n) => options.onProgress?.('ballot proofs', (done += n), job.ballots.length));
  const bad = proofs.bad;
  check('ballot-proofs', "every ballot's zero-knowledge proofs verify", bad.length ? bad.slice(0, 50).map((i) => `FAIL ballot ${i}'s proofs do not verify`) : [`${r.ballots.length} ballots verified in batches`]);

  // 6. Eligibility by count: ballots <= tokens <= codes, per local.
  const ballotsPerLocal = new Map<string, number>();
  for (const b of r.ballots) ballotsPerLocal.set(b.localId, (ballotsPerLocal.get(b.localId) ?? 0) + 1);
  const issuance = new Map(r.issuance.map((i) => [i.localId, i]));
  const countDetails: string[] = [];
  for (const l of def.locals) {
    const i = issuance.get(l.id);
    const cast = ballotsPerLocal.get(l.id) ?? 0;
    if (!i) countDetails.push(`FAIL local ${l.id} has no issuance counts`);
    else if (cast > i.tokensIssued) countDetails.push(`FAIL local ${l.id}: ${cast} ballots but only ${i.tokensIssued} tokens issued`);
    else if (i.tokensIssued > i.codesIssued) countDetails.push(`FAIL local ${l.id}: ${i.tokensIssued} tokens from ${i.codesIssued} codes`);
    else countDetails.push(`local ${l.id}: ${cast} ballots ≤ ${i.tokensIssued} tokens ≤ ${i.codesIssued} codes (${i.eligible} eligible)`);
  }
  check('eligibility', 'per local, ballots cast ≤ tokens issued ≤ codes issued', countDetails);

  // 7. Encrypted totals recomputed from the ballots (summed where their proofs were checked).
  const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
  for (const q of def.questions) for (const l of q.locals) for (const o of [0, 1]) {
    const s = proofs.sums[totalLabel(q.id, l, o)];
    sums.set(totalLabel(q.id, l, o), s ? { ct: ciphertextFromJson(s), ballots: s.ballots } : { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 });
  }
  const totals = new Map(r.encryptedTotals.map((t) => [totalLabel(t.questionId, t.localId, t.option), t]));
  const totalDetails: string[] = [];
  for (const [k, s] of sums) {
    const t = totals.get(k);
    if (!t) totalDetails.push(`FAIL no encrypted total for ${k}`);
    else if (t.ballots !== s.ballots) totalDetails.push(`FAIL ${k}: the total claims ${t.ballots} ballots, the log has ${s.ballots}`);
    else if (!ciphertextEquals(ciphertextFromJson(t), s.ct)) totalDetails.push(`FAIL ${k}: the encrypted total is not the sum of the ballots`);
  }
  if (r.encryptedTotals.length !== sums.size) totalDetails.push(`FAIL the record has ${r.encryptedTotals.length} encrypted totals, the vote has ${sums.size}`);
  check('encrypted-totals', 'each encrypted total is the sum of its ballots', totalDetails.length ? totalDetails.slice(0, 50) : [`${sums.size} totals recomputed`]);

  // 8. Decryptions: every trustee's share of every total, each with a valid proof.
  const decDetails: string[] = [];
  const shares = new Map<string, { share: Point; trusteeId: string }[]>();
  for (const d of r.decryptions) {
    const t = totals.get(totalLabel(d.questionId, d.localId, d.option));
    const trusteeKey = trusteeKeys.get(d.trusteeId);
    if (!t || !trusteeKey) {
      decDetails.push(`FAIL a share for ${totalLabel(d.questionId, d.localId, d.option)} by ${d.trusteeId} matches no total or trustee`);
      continue;
    }
    try {
      const pd = partialDecryptionFromJson(d);
      if (!verifyPartialDecryption(r.vote.id, trusteeKey, ciphertextFromJson(t), totalLabel(d.questionId, d.localId, d.option), pd)) {
        decDetails.push(`FAIL ${d.trusteeId}'s share of ${totalLabel(d.questionId, d.localId, d.option)} does not prove correct decryption`);
      }
      const list = shares.get(totalLabel(d.questionId, d.localId, d.option)) ?? [];
      list.push({ share: pd.share, trusteeId: d.trusteeId });
      shares.set(totalLabel(d.questionId, d.localId, d.option), list);
    } catch (e) {
      decDetails.push(`FAIL ${d.trusteeId}'s share of ${totalLabel(d.questionId, d.localId, d.option)}: ${(e as Error).message}`);
    }
  }
  for (const k of totals.keys()) {
    const got = new Set((shares.get(k) ?? []).map((s) => s.trusteeId));
    for (const t of r.trustees) if (!got.has(t.trusteeId)) decDetails.push(`FAIL ${t.trusteeId} has no share of ${k}`);
  }
  check('decryptions', "every trustee's partial decryption of every total proves itself", decDetails.length ? decDetails.slice(0, 50) : [`${r.decryptions.length} shares verified`]);

  // 9. Results: the decrypted counts, the arithmetic per local and in aggregate, and the outcome.
  const results = r.results as Results | null;
  if (!results) {
    check('results', 'results are published', ['FAIL the record has no results (the vote is not tallied)'], false);
    return { ok: checks.every((c) => c.ok), checks };
  }
  const countsDetails: string[] = [];
  const counts: DecryptedCount[] = [];
  for (const q of results.questions ?? []) {
    for (const l of q.locals ?? []) {
      counts.push({ questionId: q.questionId, localId: l.localId, ballots: l.ballots, yes: l.yes, no: l.no });
      for (const [o, claimed] of [[0, l.yes], [1, l.no]] as const) {
        const k = totalLabel(q.questionId, l.localId, o);
        const t = totals.get(k);
        const s = shares.get(k);
        if (!t || !s) continue;
        const m = combineDecryptions(ciphertextFromJson(t), s);
        if (!Number.isSafeInteger(claimed) || claimed < 0 || !m.equals(claimed === 0 ? IDENTITY : gPow(claimed))) countsDetails.push(`FAIL ${k}: the result says ${claimed}, the decryption says otherwise`);
      }
    }
  }
  check('decrypted-counts', 'each yes and no count is what the trustees decrypted', countsDetails.length ? countsDetails.slice(0, 50) : [`${counts.length * 2} counts match their decryptions`]);

  const eligible = Object.fromEntries(r.issuance.map((i) => [i.localId, i.eligible]));
  const expected = computeResults(def, eligible, counts.map((c) => ({ ...c, ballots: ballotsPerLocal.get(c.localId) ?? 0 })));
  const arithmetic: string[] = [];
  const outcomes: string[] = [];
  expected.questions.forEach((q, i) => {
    const got = results.questions?.[i];
    if (!got || got.questionId !== q.questionId) {
      arithmetic.push(`FAIL question ${q.questionId} is missing from the results`);
      return;
    }
    if (canonicalJson(got.locals) !== canonicalJson(q.locals)) arithmetic.push(`FAIL question ${q.questionId}: the per-local figures (ballots, blanks, eligible, delegates) differ from the record`);
    if (canonicalJson(got.totals) !== canonicalJson(q.totals)) arithmetic.push(`FAIL question ${q.questionId}: the aggregate differs from the sum of the locals`);
    if (canonicalJson(got.outcome) !== canonicalJson(q.outcome)) outcomes.push(`FAIL question ${q.questionId}: the published outcome (${got.outcome?.passed ? 'passed' : 'failed'}) is not what the rule gives (${q.outcome.passed ? 'passed' : 'failed'})`);
    else outcomes.push(`question ${q.questionId}: ${q.outcome.passed ? 'PASSED' : 'FAILED'} — ${q.outcome.steps.at(-1)}`);
  });
  if ((results.questions?.length ?? 0) !== expected.questions.length) arithmetic.push('FAIL the results have another number of questions than the vote');
  check('results-arithmetic', 'per-local and aggregate figures follow from the ballots, issuance and delegates', arithmetic.length ? arithmetic : expected.questions.map((q) => `question ${q.questionId}: ${q.totals.ballots} ballots, ${q.totals.yes} yes, ${q.totals.no} no, ${q.totals.blank} blank, turnout ${q.totals.turnout}`));
  check('outcome', "each question's outcome is what its rule gives", outcomes);

  return { ok: checks.every((c) => c.ok), checks };
}
