/**
 * The trustees' key ceremony as the server keeps it (migrations/0011): the signed messages it
 * relays, and the trustees who came out of it. Each message is added in one transaction under the
 * vote's lock (`lockVote`, as a change to its parts, like a trustee registration): the caller sees
 * every message before it, decides whether the new one is valid and whether the ceremony is over,
 * and the trustees it yields are stored in that same transaction. So two trustees posting at once
 * are ordered by the database, and the ceremony ends exactly once.
 */
import type { Kysely } from 'kysely';
import type { Schema, TrusteeCeremonyTable, VoteStatus } from './schema.ts';
import { withTransaction } from './tx.ts';
import { lockVote } from './votes.ts';

export type CeremonyKind = TrusteeCeremonyTable['kind'];
export interface CeremonyRow { kind: CeremonyKind; trusteeId: string; about: string; message: unknown }

export async function listCeremony(db: Kysely<Schema>, voteId: string): Promise<CeremonyRow[]> {
  const rows = await db.selectFrom('trustee_ceremony').select(['kind', 'trustee_id', 'about', 'message']).where('vote_id', '=', voteId)
    .orderBy('kind').orderBy('trustee_id').orderBy('about').execute();
  return rows.map((r) => ({ kind: r.kind, trusteeId: r.trustee_id, about: r.about, message: r.message }));
}

/** A trustee who came out of the ceremony, as the `trustees` table keeps them. */
export interface CeremonyTrustee { trusteeId: string; publicKey: string; signingKey: string; registration: string; index: number }

/**
 * Adds a message while the vote is a draft and its ceremony not over. `decide` sees the messages
 * so far with the new one and its author and returns the trustees to store when the ceremony ends
 * with it (or throws to refuse it); `afterEnd` runs in the same transaction (the official act).
 */
export async function addCeremonyMessage(
  db: Kysely<Schema>, voteId: string, row: CeremonyRow,
  decide: (rows: CeremonyRow[]) => CeremonyTrustee[] | null,
  afterEnd: (tx: Kysely<Schema>, trustees: CeremonyTrustee[]) => Promise<void>,
): Promise<{ status: 'added' | 'ended' | 'over' | 'missing' | VoteStatus }> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'parts');
    if (!status) return { status: 'missing' as const };
    if (status !== 'draft') return { status };
    if (await ceremonyOver(tx, voteId)) return { status: 'over' as const };
    const rows = [...(await listCeremony(tx, voteId)), row];
    const ended = decide(rows);
    await tx.insertInto('trustee_ceremony').values({ vote_id: voteId, kind: row.kind, trustee_id: row.trusteeId, about: row.about, message: row.message }).execute();
    if (!ended) return { status: 'added' as const };
    await storeTrustees(tx, voteId, ended);
    await afterEnd(tx, ended);
    return { status: 'ended' as const };
  });
}

/** Ends the ceremony with what it holds (the administrator's decision), under the vote's lock. */
export async function endCeremony(
  db: Kysely<Schema>, voteId: string, decide: (rows: CeremonyRow[]) => CeremonyTrustee[],
  afterEnd: (tx: Kysely<Schema>, trustees: CeremonyTrustee[]) => Promise<void>,
): Promise<{ status: 'ended' | 'over' | 'missing' | VoteStatus }> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'parts');
    if (!status) return { status: 'missing' as const };
    if (status !== 'draft') return { status };
    if (await ceremonyOver(tx, voteId)) return { status: 'over' as const };
    const trustees = decide(await listCeremony(tx, voteId));
    await storeTrustees(tx, voteId, trustees);
    await afterEnd(tx, trustees);
    return { status: 'ended' as const };
  });
}

/** Whether the ceremony has ended: its trustees are stored. */
export async function ceremonyOver(tx: Kysely<Schema>, voteId: string): Promise<boolean> {
  return !!(await tx.selectFrom('trustees').select('trustee_id').where('vote_id', '=', voteId).executeTakeFirst());
}

async function storeTrustees(tx: Kysely<Schema>, voteId: string, trustees: CeremonyTrustee[]): Promise<void> {
  if (!trustees.length) return;
  await tx.insertInto('trustees').values(trustees.map((t) => ({
    vote_id: voteId, trustee_id: t.trusteeId, public_key: t.publicKey, proof: null, signing_key: t.signingKey, registration: t.registration, share_index: t.index,
  }))).execute();
}
