/**
 * The official acts of a vote, appended in order: the vote's counter row (acts_size) is locked for
 * the append, so two acts never take the same number, and each act links to the hash of the one
 * before. `seal` computes the hash and signature of the new act from its content and predecessor.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import { withTransaction } from './tx.ts';

export interface StoredAct {
  seq: number;
  at: string;
  role: string;
  localId: string | null;
  act: string;
  details: Record<string, string | number | boolean>;
  prev: string;
  hash: string;
  signature: string | null;
}

export async function appendAct(
  db: Kysely<Schema>, voteId: string,
  draft: { at: Date; role: string; localId: string | null; act: string; details: Record<string, string | number | boolean> },
  seal: (act: Omit<StoredAct, 'hash' | 'signature'>, tx: Kysely<Schema>) => { hash: string; signature: string | null } | Promise<{ hash: string; signature: string | null }>,
  firstPrev: string,
): Promise<StoredAct | undefined> {
  return withTransaction(db, async (tx) => {
    const slot = await tx.updateTable('votes').set((eb) => ({ acts_size: eb('acts_size', '+', 1) })).where('id', '=', voteId).returning('acts_size').executeTakeFirst();
    if (!slot) return undefined;
    const seq = slot.acts_size - 1;
    const before = seq === 0 ? undefined : await tx.selectFrom('official_acts').select(['hash', 'at']).where('vote_id', '=', voteId).where('seq', '=', seq - 1).executeTakeFirst();
    // Times follow the chain: never before the act ahead (clocks of concurrent requests may disagree by a little).
    const at = before && new Date(before.at) > draft.at ? new Date(before.at) : draft.at;
    const details = draft.details;
    const body = { seq, at: at.toISOString(), role: draft.role, localId: draft.localId, act: draft.act, details, prev: before?.hash ?? firstPrev };
    const { hash, signature } = await seal(body, tx);
    await tx.insertInto('official_acts').values({
      vote_id: voteId, seq, at, role: draft.role, local_id: draft.localId, act: draft.act, details, prev: body.prev, hash, signature,
    }).execute();
    return { ...body, hash, signature };
  });
}

/** The acts in order, from act `from` on. */
export async function listActs(db: Kysely<Schema>, voteId: string, from = 0): Promise<StoredAct[]> {
  const rows = await db.selectFrom('official_acts').selectAll().where('vote_id', '=', voteId).where('seq', '>=', from).orderBy('seq').execute();
  return rows.map((r) => ({ seq: r.seq, at: new Date(r.at).toISOString(), role: r.role, localId: r.local_id, act: r.act, details: r.details, prev: r.prev, hash: r.hash, signature: r.signature }));
}

/** The votes not yet closed that a local takes part in (a roster change is an act of each). */
export async function openVotesOfLocal(db: Kysely<Schema>, localId: string): Promise<string[]> {
  const rows = await db.selectFrom('vote_locals as vl').innerJoin('votes as v', 'v.id', 'vl.vote_id')
    .select('v.id').where('vl.local_id', '=', localId).where('v.status', 'in', ['draft', 'sealed', 'open']).execute();
  return rows.map((r) => r.id);
}
