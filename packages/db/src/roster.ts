/**
 * A local's roster. Imports are all-or-nothing (one transaction) and idempotent: a member number
 * already on the roster is updated, never duplicated (the primary key is (local, member number)).
 * Rows go in batches so that 100,000 members are a few hundred statements, not 100,000.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface RosterEntry {
  memberNumber: string;
  name: string;
  email: string | null;
  phone: string | null;
  goodStanding: boolean;
  /** en, es or fr; undefined leaves a member's language as it was. */
  language?: string | null;
}

export interface ImportCounts {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

// 7 parameters a row: 2,000 rows stay well under PostgreSQL's 65,535 parameters per statement.
const BATCH = 2000;

export async function importRoster(db: Kysely<Schema>, localId: string, members: RosterEntry[], now: Date): Promise<ImportCounts> {
  return db.transaction().execute(async (tx) => {
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < members.length; i += BATCH) {
      const rows = members.slice(i, i + BATCH).map((m) => ({
        local_id: localId, member_number: m.memberNumber, name: m.name, email: m.email, phone: m.phone, good_standing: m.goodStanding, updated_at: now,
        language: m.language ?? null,
      }));
      // A roster without a language column keeps the languages already known.
      const withLanguage = members[i]?.language !== undefined;
      const changed = await tx.insertInto('members').values(rows)
        .onConflict((oc) => oc.columns(['local_id', 'member_number'])
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'), email: eb.ref('excluded.email'), phone: eb.ref('excluded.phone'),
            good_standing: eb.ref('excluded.good_standing'), updated_at: eb.ref('excluded.updated_at'),
            language: withLanguage ? eb.ref('excluded.language') : eb.ref('members.language'),
          }))
          // Only rows that differ are written, so "unchanged" can be counted and updated_at stays true.
          .where(withLanguage
            ? sql<boolean>`(members.name, members.email, members.phone, members.good_standing, members.language) is distinct from (excluded.name, excluded.email, excluded.phone, excluded.good_standing, excluded.language)`
            : sql<boolean>`(members.name, members.email, members.phone, members.good_standing) is distinct from (excluded.name, excluded.email, excluded.phone, excluded.good_standing)`))
        // xmax = 0 marks a freshly inserted row (a PostgreSQL system column).
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .execute();
      for (const r of changed) r.inserted ? inserted++ : updated++;
    }
    return { total: members.length, inserted, updated, unchanged: members.length - inserted - updated };
  });
}

export interface Member extends RosterEntry {
  localId: string;
  updatedAt: Date;
}

export async function listMembers(db: Kysely<Schema>, localId: string, opts: { limit: number; offset: number; goodStanding?: boolean }): Promise<{ members: Member[]; total: number }> {
  let base = db.selectFrom('members').where('local_id', '=', localId);
  if (opts.goodStanding !== undefined) base = base.where('good_standing', '=', opts.goodStanding);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('member_number').limit(opts.limit).offset(opts.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    members: rows.map((r) => ({ localId: r.local_id, memberNumber: r.member_number, name: r.name, email: r.email, phone: r.phone, goodStanding: r.good_standing, language: r.language, updatedAt: r.updated_at })),
  };
}

/** Sets a member's good standing; false if there is no such member. */
export async function setGoodStanding(db: Kysely<Schema>, localId: string, memberNumber: string, goodStanding: boolean, now: Date): Promise<boolean> {
  const r = await db.updateTable('members').set({ good_standing: goodStanding, updated_at: now })
    .where('local_id', '=', localId).where('member_number', '=', memberNumber).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function findMember(db: Kysely<Schema>, localId: string, memberNumber: string): Promise<Member | undefined> {
  const r = await db.selectFrom('members').selectAll().where('local_id', '=', localId).where('member_number', '=', memberNumber).executeTakeFirst();
  return r && { localId: r.local_id, memberNumber: r.member_number, name: r.name, email: r.email, phone: r.phone, goodStanding: r.good_standing, language: r.language, updatedAt: r.updated_at };
}
