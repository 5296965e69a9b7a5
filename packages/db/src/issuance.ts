/**
 * The issuance log (packages/election/src/issuance.ts): entries numbered under the vote's row lock
 * (the issuance_size counter), each chained to the one before. Every change it records (codes
 * inserted, a code revoked, tokens marked logged) is written in the same transaction as its entry,
 * so the log and the codes never disagree.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface IssuanceDraft {
  localId: string;
  kind: 'issued' | 'revoked' | 'tokens';
  /** Sorted, without repeats. */
  pseudonyms: string[];
}

export interface StoredIssuanceEntry {
  seq: number;
  at: string;
  localId: string;
  kind: 'issued' | 'revoked' | 'tokens';
  pseudonyms: string[];
  prev: string;
  hash: string;
  signature: string;
}

/**
 * Appends entries (call inside the transaction that makes the change they record). `seal` hashes and
 * signs an entry from its content and predecessor.
 */
export async function appendIssuance(
  tx: Kysely<Schema>, voteId: string, at: Date, drafts: IssuanceDraft[],
  seal: (entry: Omit<StoredIssuanceEntry, 'hash' | 'signature'>) => { hash: string; signature: string },
  firstPrev: string,
): Promise<void> {
  if (drafts.length === 0) return;
  const slot = await tx.updateTable('votes').set((eb) => ({ issuance_size: eb('issuance_size', '+', drafts.length) })).where('id', '=', voteId).returning('issuance_size').executeTakeFirstOrThrow();
  let seq = slot.issuance_size - drafts.length;
  const before = seq === 0 ? undefined : await tx.selectFrom('issuance_log').select(['hash', 'at']).where('vote_id', '=', voteId).where('seq', '=', seq - 1).executeTakeFirstOrThrow();
  let prev = before?.hash ?? firstPrev;
  // Times follow the chain: never before the entry ahead.
  if (before && new Date(before.at) > at) at = new Date(before.at);
  for (const d of drafts) {
    const body = { seq, at: at.toISOString(), localId: d.localId, kind: d.kind, pseudonyms: d.pseudonyms, prev };
    const { hash, signature } = seal(body);
    await tx.insertInto('issuance_log').values({
      // As text cast to jsonb: drivers differ on how they send a bare array (PostgreSQL array, JSON, or JSON of a string).
      vote_id: voteId, seq, at, local_id: d.localId, kind: d.kind, pseudonyms: sql<string[]>`(${JSON.stringify(d.pseudonyms)})::text::jsonb`, prev, hash, signature,
    }).execute();
    prev = hash;
    seq++;
  }
}

/** The last entry of the log, if any. */
export async function lastIssuanceEntry(db: Kysely<Schema>, voteId: string): Promise<StoredIssuanceEntry | undefined> {
  const r = await db.selectFrom('issuance_log').selectAll().where('vote_id', '=', voteId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return r && { seq: r.seq, at: new Date(r.at).toISOString(), localId: r.local_id, kind: r.kind as StoredIssuanceEntry['kind'], pseudonyms: r.pseudonyms, prev: r.prev, hash: r.hash, signature: r.signature };
}

/** The log in order, from entry `from` on; `localId` keeps one local's entries (the member's look-up). */
export async function listIssuanceLog(db: Kysely<Schema>, voteId: string, localId?: string, from = 0): Promise<StoredIssuanceEntry[]> {
  let q = db.selectFrom('issuance_log').selectAll().where('vote_id', '=', voteId).where('seq', '>=', from).orderBy('seq');
  if (localId) q = q.where('local_id', '=', localId);
  return (await q.execute()).map((r) => ({
    seq: r.seq, at: new Date(r.at).toISOString(), localId: r.local_id, kind: r.kind as StoredIssuanceEntry['kind'], pseudonyms: r.pseudonyms, prev: r.prev, hash: r.hash, signature: r.signature,
  }));
}

/**
 * Marks every token drawn before `before` and not yet logged as logged, and returns their pseudonyms
 * per local (sorted), for the 'tokens' entries written in the same transaction. Token times are
 * stored to the hour, so `before` at an hour's start takes whole hours, never part of one.
 */
export async function takeUnloggedTokens(tx: Kysely<Schema>, voteId: string, before: Date | null): Promise<Map<string, string[]>> {
  let q = tx.updateTable('voting_codes').set({ token_logged: true })
    .where('vote_id', '=', voteId).where('token_issued_at', 'is not', null).where('token_logged', '=', false).where('pseudonym', 'is not', null);
  if (before) q = q.where('token_issued_at', '<', before);
  const rows = await q.returning(['local_id', 'pseudonym']).execute();
  const byLocal = new Map<string, string[]>();
  for (const r of rows) byLocal.set(r.local_id, [...(byLocal.get(r.local_id) ?? []), r.pseudonym!]);
  for (const list of byLocal.values()) list.sort();
  return byLocal;
}

/** Open votes (or the one named) with tokens drawn before `before` and not yet logged. */
export async function votesWithDueTokens(db: Kysely<Schema>, before: Date, voteId?: string): Promise<string[]> {
  let q = db.selectFrom('votes as v').select('v.id');
  if (voteId) q = q.where('v.id', '=', voteId);
  const rows = await q
    .where('v.status', '=', 'open')
    .where(({ exists, selectFrom }) => exists(selectFrom('voting_codes as c').select('c.id').whereRef('c.vote_id', '=', 'v.id')
      .where('c.token_issued_at', 'is not', null).where('c.token_logged', '=', false).where('c.token_issued_at', '<', before)))
    .execute();
  return rows.map((r) => r.id);
}
