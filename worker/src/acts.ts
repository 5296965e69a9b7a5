/**
 * Recording an official act: hashed into the vote's chain and, once the vote has a board key (from
 * its first sealing), signed with it. Who did it is a role and a local, never a member.
 */
import type { Kysely } from 'kysely';
import { appendAct, eligibleCount, findBoardSecret, lockVote, openVotesOfLocal, withTransaction, type Schema, type User } from '@union-vote/db';
import { fromHex, signStatement } from '@union-vote/crypto';
import { FIRST_PREV, actHash, type ActKind } from '@union-vote/election';

export type Actor = { role: string; localId?: string | null };
type Details = Record<string, string | number | boolean>;

export function actorOf(user: Pick<User, 'role'>, localId?: string | null): Actor {
  return { role: user.role, localId: localId ?? null };
}

/** Appends an act (inside `db`'s transaction when it is one). Details may be read in the acts' own transaction. */
export async function recordAct(db: Kysely<Schema>, voteId: string, actor: Actor, act: ActKind, details: Details, now: Date): Promise<void> {
  await appendAct(db, voteId, { at: now, role: actor.role, localId: actor.localId ?? null, act, details }, async (body, tx) => {
    const hash = actHash(voteId, { ...body, act: body.act as ActKind });
    const secret = await findBoardSecret(tx, voteId);
    return { hash, signature: secret ? signStatement('act', fromHex(hash), fromHex(secret)) : null };
  }, FIRST_PREV);
}

/**
 * A roster change is an act of every vote, not yet closed, that the local takes part in, stating the
 * local's new eligible count: after the sealing, these signed acts are the only way that count
 * changes.
 */
export async function recordLocalAct(db: Kysely<Schema>, localId: string, actor: Actor, act: ActKind, details: Details, now: Date): Promise<void> {
  for (const voteId of await openVotesOfLocal(db, localId)) {
    // Under the vote's lock: a vote that closed meanwhile takes no more roster acts.
    await withTransaction(db, async (tx) => {
      const status = await lockVote(tx, voteId, 'parts');
      if (status !== 'draft' && status !== 'sealed' && status !== 'open') return;
      await recordAct(tx, voteId, { ...actor, localId }, act, { ...details, eligible: await eligibleCount(tx, voteId, localId) }, now);
    });
  }
}
