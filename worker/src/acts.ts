/**
 * Recording an official act: hashed into the vote's chain and, once the vote has a board key (from
 * its opening), signed with it. Who did it is a role and a local, never a member.
 */
import type { Kysely } from 'kysely';
import { appendAct, findVoteKeys, openVotesOfLocal, type Schema, type User } from '@union-vote/db';
import { fromHex, signStatement } from '@union-vote/crypto';
import { FIRST_PREV, actHash, type ActKind } from '@union-vote/election';

export type Actor = { role: string; localId?: string | null };

export function actorOf(user: Pick<User, 'role'>, localId?: string | null): Actor {
  return { role: user.role, localId: localId ?? null };
}

export async function recordAct(db: Kysely<Schema>, voteId: string, actor: Actor, act: ActKind, details: Record<string, string | number | boolean>, now: Date): Promise<void> {
  const keys = await findVoteKeys(db, voteId);
  await appendAct(db, voteId, { at: now, role: actor.role, localId: actor.localId ?? null, act, details }, (body) => {
    const hash = actHash(voteId, { ...body, act: body.act as ActKind });
    return { hash, signature: keys ? signStatement('act', fromHex(hash), fromHex(keys.boardSecretKey)) : null };
  }, FIRST_PREV);
}

/** A roster change is an act of every vote, not yet closed, that the local takes part in. */
export async function recordLocalAct(db: Kysely<Schema>, localId: string, actor: Actor, act: ActKind, details: Record<string, string | number | boolean>, now: Date): Promise<void> {
  for (const voteId of await openVotesOfLocal(db, localId)) await recordAct(db, voteId, { ...actor, localId }, act, details, now);
}
