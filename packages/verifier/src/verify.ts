/**
 * Verifies an election record (docs/election-record.md) from the record alone, and from what
 * members and monitors hold apart from the server: the vote's fingerprint (from a letter, or the
 * trustees' announcement), monitors' witness files, members' receipts, codes of members who did not
 * vote. Each check has a stable id and says what it found; a record passes only if every check
 * passes. Malformed input of any kind fails a named check; the verifier never throws.
 *
 * Depends on @union-vote/crypto and @union-vote/election only, so it runs in Node, a browser or
 * anywhere else.
 */
import { eligibleFromActs, manifestFingerprint, ballotShapeFor, type Act, type Manifest } from '@union-vote/election';
import { checkFormat } from './checks/format.ts';
import { checkApprovals, checkFingerprint, checkManifest, checkTrustees } from './checks/manifest.ts';
import { checkIssuance, checkOfficialActs, checkUnusedCodes } from './checks/history.ts';
import { boundsOf, checkBallotLog, checkReceipts, checkTreeHeads, checkWitnesses, type NamedFile } from './checks/log.ts';
import { checkMemberChecks, checkSpoiled } from './checks/spoiled.ts';
import { checkChallenges } from './checks/challenges.ts';
import { checkPaper } from './checks/paper.ts';
import { checkDecryptions, checkEligibility, checkResults, checkTotals } from './checks/tally.ts';
import { verifyBallotSlice, type BallotProofJob, type BallotProofResult } from './proofs.ts';
import { Checks, messageOf, type Report } from './report.ts';

export * from './report.ts';
export * from './proofs.ts';
export type { NamedFile } from './checks/log.ts';

export interface VerifyOptions {
  /** The vote's fingerprint as given from outside the server; without it the record is checked only against itself. */
  fingerprint?: string | undefined;
  /** Monitors' own copies of the heads they cosigned (witness files). */
  witnesses?: readonly NamedFile[];
  /** Members' receipt files. */
  receipts?: readonly NamedFile[];
  /** Check codes members were shown before they pressed "Cast": each must be a ballot in the box. */
  checkCodes?: readonly string[];
  /** Opened ballots the board signed, as members saved them from the checker: each must be in the record. */
  spoiled?: readonly NamedFile[];
  /** Codes of members who say they did not vote: none may have drawn a token. */
  unusedCodes?: readonly string[];
  /** Progress of the long steps (ballot proofs): done of total. */
  onProgress?: (step: string, done: number, total: number) => void;
  /**
   * Verifies ballot proofs: given the ballots (as JSON) of the record and the context they need,
   * returns the indexes of the ballots that fail. Defaults to batched verification in this thread;
   * the CLI passes one that spreads the work over worker threads.
   */
  verifyBallotProofs?: (job: BallotProofJob) => Promise<BallotProofResult>;
}

export async function verifyRecord(input: unknown, options: VerifyOptions = {}): Promise<Report> {
  const checks = new Checks();
  let anchored = false;
  let fingerprint: string | undefined;
  try {
    const r = checkFormat(input, checks);
    if (r) {
      const manifest = r.manifest as Manifest;
      fingerprint = manifestFingerprint(manifest);
      anchored = checkFingerprint(fingerprint, options.fingerprint, checks);
      checkManifest(r, checks);
      checkApprovals(r, checks);
      const trusteeKeys = checkTrustees(r, checks);
      const acts = checkOfficialActs(r, checks);
      const issuance = checkIssuance(r, acts, checks);
      checkUnusedCodes(r, options.unusedCodes ?? [], checks);
      const leaves = checkBallotLog(r, checks);
      const bounds = boundsOf(r, acts);
      checkTreeHeads(r, leaves, bounds, checks);
      checkWitnesses(r, options.witnesses ?? [], leaves, bounds, checks);
      checkReceipts(r, options.receipts ?? [], leaves, bounds, checks);

      const challenged = checkChallenges(r, checks);
      let proofs: BallotProofResult | undefined;
      await checks.runAsync('ballot-proofs', "every ballot's zero-knowledge proofs verify", async () => {
        if (!checks.ok('trustees')) return ['FAIL the election key is not established (see trustees), so no proof can be checked against it'];
        const def = manifest.definition;
        const job: BallotProofJob = {
          voteId: manifest.voteId, electionKey: manifest.keys.election,
          shapes: Object.fromEntries(def.locals.map((l) => [l.id, ballotShapeFor(def, l.id)])),
          ballots: r.ballots.map((b) => ({ localId: b.localId, nullifier: b.nullifier, ballot: b.ballot, ...(challenged.uncounted.has(b.nullifier) ? { counted: false } : {}) })),
        };
        let done = 0;
        proofs = options.verifyBallotProofs
          ? await options.verifyBallotProofs(job)
          : verifyBallotSlice(job, 0, job.ballots.length, (n) => options.onProgress?.('ballot proofs', (done += n), job.ballots.length));
        return proofs.bad.length ? proofs.bad.slice(0, 50).map((i) => `FAIL ballot ${i}'s proofs do not verify`) : [`${r.ballots.length} ballots verified in batches`];
      });

      checkSpoiled(r, checks);
      checkMemberChecks(r, options.checkCodes ?? [], options.spoiled ?? [], checks);
      const eligible = eligibleFromActs(manifest.eligible, r.acts as Act[]);
      checkEligibility(r, issuance, eligible, challenged, checks);
      const paper = checkPaper(r, issuance, eligible, challenged, checks);
      checkTotals(r, proofs, checks);
      const shares = checkDecryptions(r, trusteeKeys, checks);
      checkResults(r, shares, eligible, challenged, paper, checks);
    }
  } catch (e) {
    checks.add('verifier', 'the verifier ran to the end', [`FAIL the verifier stopped early: ${messageOf(e)}`], false);
  }
  return { ok: checks.list.every((c) => c.ok), anchored, ...(fingerprint ? { fingerprint } : {}), checks: checks.list };
}
