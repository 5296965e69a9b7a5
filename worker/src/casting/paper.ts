/**
 * Paper and mail ballots on the server (election paper.ts). The secretary first checks the paper
 * voters' member numbers (which ballots to count, which to set aside unopened and why), the tellers
 * count, and the secretary records the count with the same numbers: in one transaction under the
 * vote's row lock and the voters' code rows, the set-aside is decided again, the counts must add up to
 * the ballots counted, the counted voters' live codes are revoked (logged, while the vote is open) and
 * the signed act `paper ballots counted` is appended.
 */
import type { Kysely } from 'kysely';
import {
  findVote, insertPaperBatch, lockVote, nextPaperBatch, paperVoterStates, revokeCodes, sharesCount, withTransaction, type Schema,
} from '@union-vote/db';
import { PAPER_BATCH_MINIMUM, ballotShapeFor, paperActDetails, type PaperCount, type VoteDefinition } from '@union-vote/election';
import { AppError } from '../errors.ts';
import { recordAct, type Actor } from '../acts.ts';
import { entriesFor, logIssuance } from './issuance.ts';

export interface PaperCheck {
  /** Member numbers whose paper ballots are counted. */
  counted: string[];
  /** Paper ballots set aside unopened, and why. */
  setAside: { memberNumber: string; reason: string }[];
  /** Numbers that are no eligible member of the local: the entry is refused until they are fixed. */
  unknown: { memberNumber: string; reason: string }[];
}

/** Which paper ballots count, from the members' state (in the caller's transaction when recording). */
export async function checkPaperVoters(db: Kysely<Schema>, voteId: string, localId: string, numbers: readonly string[], lock = false): Promise<PaperCheck & { revoke: { id: string; pseudonym: string | null }[] }> {
  const listed = numbers.map((n) => n.trim()).filter(Boolean);
  const states = await paperVoterStates(db, voteId, localId, [...new Set(listed)], lock);
  const out: PaperCheck & { revoke: { id: string; pseudonym: string | null }[] } = { counted: [], setAside: [], unknown: [], revoke: [] };
  const seen = new Set<string>();
  for (const n of listed) {
    const s = states.get(n)!;
    if (!s.onRoster) out.unknown.push({ memberNumber: n, reason: `not on the roster of local ${localId}` });
    else if (!s.eligible) out.unknown.push({ memberNumber: n, reason: 'not in good standing (a disputed voter\'s ballot is a challenged ballot)' });
    else if (seen.has(n)) out.setAside.push({ memberNumber: n, reason: 'listed twice in this count: one paper ballot counts' });
    else if (s.challenged) out.setAside.push({ memberNumber: n, reason: 'was given a challenged code: their ballot is the challenged one' });
    else if (s.tokenDrawn) out.setAside.push({ memberNumber: n, reason: 'voted online (drew a voting token)' });
    else if (s.countedOnPaper) out.setAside.push({ memberNumber: n, reason: 'a paper ballot of theirs was already counted' });
    else {
      out.counted.push(n);
      if (s.liveCode) out.revoke.push(s.liveCode);
    }
    seen.add(n);
  }
  return out;
}

/**
 * "Check the list": which of these paper voters' ballots count and which are set aside (a member who
 * drew a voting token voted online). That tells the secretary, number by number, who voted online, so
 * each check is the signed act `paper voters checked` with how many numbers it took: a secretary who
 * checks the whole roster to read who has voted is seen doing it, by the monitors and in the record.
 */
export async function checkPaperList(db: Kysely<Schema>, voteId: string, localId: string, numbers: readonly string[], actor: Actor, now: Date): Promise<PaperCheck> {
  return withTransaction(db, async (tx) => {
    await countingVote(tx, voteId);
    const { counted, setAside, unknown } = await checkPaperVoters(tx, voteId, localId, numbers);
    await recordAct(tx, voteId, { ...actor, localId }, 'paper voters checked', { checked: new Set(numbers).size }, now);
    return { counted, setAside, unknown };
  });
}

async function countingVote(tx: Kysely<Schema>, voteId: string): Promise<'open' | 'closed'> {
  const status = await lockVote(tx, voteId, 'parts');
  if (!status) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (status === 'draft' || status === 'sealed') throw new AppError('wrong_state', `vote ${voteId} is ${status}: paper ballots are counted once it has opened`);
  if (status !== 'open' && status !== 'closed') throw new AppError('wrong_state', `vote ${voteId} is ${status}: its results are published, and no more paper ballots can be counted`);
  if ((await sharesCount(tx, voteId)) > 0) throw new AppError('wrong_state', `the trustees have begun decrypting vote ${voteId}: no more paper ballots can be counted`);
  return status;
}

/** Records one entry of a local's paper count; refused with a sentence when it does not add up. */
export async function recordPaperCount(
  db: Kysely<Schema>, voteId: string, localId: string, numbers: readonly string[], counts: Readonly<Record<string, PaperCount>>, actor: Actor, now: Date,
  options: { smallBatch?: boolean } = {},
): Promise<PaperCheck & { batch: number }> {
  return withTransaction(db, async (tx) => {
    const status = await countingVote(tx, voteId);
    const vote = (await findVote<VoteDefinition>(tx, voteId))!;
    const check = await checkPaperVoters(tx, voteId, localId, numbers, true);
    if (check.unknown.length) {
      throw new AppError('validation_failed', `${check.unknown.length} member number${check.unknown.length === 1 ? ' is' : 's are'} not an eligible member of local ${localId}: ${check.unknown.slice(0, 20).map((u) => `${u.memberNumber} (${u.reason})`).join(', ')}`, 'members');
    }
    const questions = ballotShapeFor(vote.definition, localId).map((q) => q.id);
    for (const key of Object.keys(counts)) if (!questions.includes(key)) throw new AppError('validation_failed', `question ${key} is not put to local ${localId}`, `counts.${key}`);
    for (const q of questions) {
      const c = counts[q];
      if (!c) throw new AppError('validation_failed', `give the count of question ${q} (yes, no, blank, spoiled)`, `counts.${q}`);
      const sum = c.yes + c.no + c.blank + c.spoiled;
      if (sum !== check.counted.length) {
        const aside = check.setAside.length ? `; ${check.setAside.length} set aside unopened: ${check.setAside.slice(0, 10).map((s) => `${s.memberNumber} (${s.reason})`).join(', ')}` : '';
        throw new AppError('validation_failed', `question ${q}: yes ${c.yes} + no ${c.no} + blank ${c.blank} + spoiled ${c.spoiled} = ${sum} paper ballots, but ${check.counted.length} paper ballot${check.counted.length === 1 ? ' is' : 's are'} to be counted${aside}. Count again, or check the member numbers`, `counts.${q}`);
      }
    }
    // A count of a few ballots would show how each of them voted to whoever reads it (its voters are listed beside it).
    if (check.counted.length > 0 && check.counted.length < PAPER_BATCH_MINIMUM && !options.smallBatch) {
      throw new AppError('validation_failed', `only ${check.counted.length} paper ballot${check.counted.length === 1 ? ' is' : 's are'} to be counted: a count of fewer than ${PAPER_BATCH_MINIMUM} shows how its voters voted to anyone who reads it later, since their member numbers are kept beside it. Put these ballots with the next ones and record them together; if this local has no more paper ballots to add, say so and record it`, 'smallBatch');
    }
    const batch = await nextPaperBatch(tx, voteId, localId);
    await insertPaperBatch(tx, voteId, localId, batch, counts, [...check.counted.map((n) => ({ memberNumber: n, reason: null })), ...check.setAside.map((s) => ({ memberNumber: s.memberNumber, reason: s.reason }))], now);
    // A member whose paper ballot counts can no longer draw a token: their code is revoked, in the
    // issuance log while the vote is open (after the close none can be drawn, and the log is closed).
    if (status === 'open' && check.revoke.length) {
      await revokeCodes(tx, check.revoke.map((c) => c.id), now);
      const pseudonyms = check.revoke.flatMap((c) => (c.pseudonym ? [c.pseudonym] : []));
      await logIssuance(tx, voteId, now, entriesFor(localId, 'revoked', pseudonyms));
    }
    await recordAct(tx, voteId, { ...actor, localId }, 'paper ballots counted', paperActDetails(batch, check.counted.length, check.setAside.length, counts), now);
    return { batch, counted: check.counted, setAside: check.setAside, unknown: [] };
  });
}
