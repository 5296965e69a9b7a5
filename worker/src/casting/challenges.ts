/**
 * Challenged ballots on the server (election challenges.ts): a secretary issues a challenged code
 * with a reason; the member casts with it (routes/casting.ts); after the close and before any
 * trustee decrypts, the officials rule, and an accepted ballot joins its local's encrypted totals in
 * the ruling's transaction. Each step is a signed official act; the database settles races (the
 * vote's row lock, a ruling stored once, shares refused once a ruling follows them: tally/decrypt.ts).
 */
import type { Kysely } from 'kysely';
import {
  challengedBallot, eligibleCount, findChallenge, findVote, findVoteKeys, insertChallenge, isUniqueViolation, listActs, listChallenges, liveCodeHolderNamed, lockVote, paperVoterStates,
  revokeCodes, setRuling, sharesCount, updateRunningTotals,
  withTransaction, type ChallengeRecord, type Schema,
} from '@union-vote/db';
import { ballotFromJson, challengedBallotNullifier, toHex } from '@union-vote/crypto';
import { ballotShapeFor, challengeCounts, codePseudonym, eligibleFromActs, type Act, type Manifest, type Challenge, type ChallengeCount, type Ruling, type VoteDefinition } from '@union-vote/election';
import { AppError } from '../errors.ts';
import { recordAct, type Actor } from '../acts.ts';
import { votingLink } from '../views/mailer.ts';
import { codeHash, newCode } from './codes.ts';
import { addBallotToTotals } from './running-totals.ts';
import { entriesFor, logIssuance } from './issuance.ts';

export interface IssuedChallenge {
  id: string;
  localId: string;
  name: string;
  memberNumber: string | null;
  reason: string;
  /** The plain code: shown this once. */
  code: string;
  link: string;
  fingerprint: string;
}

/** Issues a challenged code in the local (sealed or open vote), with the act; the code exists only in the answer. */
export async function issueChallenge(
  db: Kysely<Schema>, voteId: string, localId: string, who: { name: string; memberNumber: string | null; reason: string }, origin: string, actor: Actor, now: Date,
): Promise<IssuedChallenge> {
  const code = newCode();
  try {
    return await withTransaction(db, async (tx) => {
      const status = await lockVote(tx, voteId, 'parts');
      if (status !== 'sealed' && status !== 'open') throw new AppError('wrong_state', `vote ${voteId} is ${status ?? 'missing'}; challenged codes are given before and during the vote`);
      // One way to vote per member: a member who voted (online or on paper) gets no challenged code; one
      // who holds an unused code has it revoked (logged), and votes with the challenged code only.
      const live = who.memberNumber ? (await paperVoterStates(tx, voteId, localId, [who.memberNumber], true)).get(who.memberNumber)! : undefined;
      if (live?.tokenDrawn) throw new AppError('conflict', `member ${who.memberNumber} has already drawn a voting token with their code: they have voted online`, 'memberNumber');
      if (live?.countedOnPaper) throw new AppError('conflict', `member ${who.memberNumber}'s paper ballot was counted in this vote: they have voted`, 'memberNumber');
      if (!who.memberNumber && (await liveCodeHolderNamed(tx, voteId, localId, who.name))) {
        throw new AppError('conflict', `a member named ${who.name} on the roster of local ${localId} holds a voting code for this vote: give their member number (their code is then replaced by the challenged one)`, 'memberNumber');
      }
      if (live?.liveCode) {
        await revokeCodes(tx, [live.liveCode.id], now);
        if (live.liveCode.pseudonym) await logIssuance(tx, voteId, now, entriesFor(localId, 'revoked', [live.liveCode.pseudonym]));
      }
      const id = await insertChallenge(tx, {
        voteId, localId, codeHash: codeHash(code), memberName: who.name, memberNumber: who.memberNumber, reason: who.reason,
        nullifierOf: (cid) => toHex(challengedBallotNullifier(voteId, localId, cid)),
      }, now);
      // The local's eligible count after it (a revoked code's member may no longer count), as roster acts
      // state it; and the code's pseudonym, by which the member's phone checks the code is truly challenged.
      await recordAct(tx, voteId, { ...actor, localId }, 'challenge issued', { challenge: id, reason: who.reason, code: codePseudonym(voteId, code), eligible: await eligibleCount(tx, voteId, localId) }, now);
      const { fingerprint } = (await findVoteKeys(tx, voteId))!;
      return { id, localId, name: who.name, memberNumber: who.memberNumber, reason: who.reason, code, link: votingLink(origin, voteId, localId, code, fingerprint), fingerprint };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', `member ${who.memberNumber} already has a challenged code for this vote`, 'memberNumber');
    throw e;
  }
}

/**
 * Rules on a challenged ballot: only once the vote is closed (every ballot in the box) and before
 * any trustee decrypts (a ruling after a decryption would let the difference of two tallies show how
 * the ballot was marked). An accepted ballot's ciphertexts are added to its local's frozen totals.
 */
export async function ruleOnChallenge(db: Kysely<Schema>, voteId: string, id: string, ruling: Ruling, reason: string, actor: Actor, now: Date): Promise<ChallengeRecord> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'parts');
    if (!status) throw new AppError('not_found', `vote ${voteId} does not exist`);
    if (status === 'sealed' || status === 'open' || status === 'draft') throw new AppError('wrong_state', `vote ${voteId} is ${status}: challenges are ruled on once it has closed, with every ballot in the box`);
    if (status !== 'closed' || (await sharesCount(tx, voteId)) > 0) {
      throw new AppError('wrong_state', `the trustees have already begun decrypting vote ${voteId}: a ruling now would let two counts show how the ballot was marked, so challenges left unruled are not counted`);
    }
    const challenge = await findChallenge(tx, voteId, id);
    if (!challenge) throw new AppError('not_found', `vote ${voteId} has no challenge ${id}`);
    if (challenge.ruling) throw new AppError('conflict', `challenge ${id} was already ${challenge.ruling} (${challenge.rulingReason})`);
    const ballot = await challengedBallot(tx, voteId, challenge.nullifier);
    if (!ballot) throw new AppError('wrong_state', `no ballot was cast with challenged code ${id}: there is nothing to rule on`);
    if (!(await setRuling(tx, voteId, id, ruling, reason, now))) throw new AppError('conflict', `challenge ${id} was ruled on at the same time; reload to see the ruling`);
    // An accepted challenge makes its member eligible: the local's count grows by one unless they were
    // counted already (on the roster, in good standing). The act states the count, as roster acts do.
    const keys = (await findVoteKeys(tx, voteId))!;
    const before = eligibleFromActs((keys.manifest as Manifest).eligible, (await listActs(tx, voteId)) as Act[]).get(challenge.localId) ?? 0;
    const counted = challenge.memberNumber !== null && (await paperVoterStates(tx, voteId, challenge.localId, [challenge.memberNumber])).get(challenge.memberNumber)!.eligible;
    const eligible = ruling === 'accepted' && !counted ? before + 1 : before;
    if (ruling === 'accepted') {
      const vote = (await findVote<VoteDefinition>(tx, voteId))!;
      const shapes = ballotShapeFor(vote.definition, ballot.localId);
      await updateRunningTotals(tx, voteId, ballot.localId, (current) => addBallotToTotals(current, ballotFromJson(ballot.ballot), shapes), 'encrypted_totals');
    }
    await recordAct(tx, voteId, { ...actor, localId: challenge.localId }, 'challenge ruled', { challenge: id, ruling, reason, eligible }, now);
    return (await findChallenge(tx, voteId, id))!;
  });
}

/** The challenged ballots per local as the results state them. */
export async function challengeCountsOf(db: Kysely<Schema>, def: VoteDefinition): Promise<ChallengeCount[]> {
  const list = await listChallenges(db, def.id);
  const byId = new Map<string, Challenge>(list.map((c) => [c.id, { id: c.id, localId: c.localId, reason: c.reason, ...(c.ruling ? { ruling: c.ruling } : {}) }]));
  return challengeCounts(def.locals.map((l) => l.id), byId, new Set(list.filter((c) => c.cast).map((c) => c.id)));
}
