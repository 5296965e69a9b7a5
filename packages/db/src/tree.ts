/**
 * The box's perfect subtrees (migration 0015, crypto merkle-subtrees.ts): level 0 is a ballot's leaf
 * hash, levels 1 and up are `tree_nodes`. Hashes are hex, as stored.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface StoredSubtree {
  level: number;
  index: number;
}

const key = (t: StoredSubtree) => `${t.level}:${t.index}`;

/** The stored hashes of `subtrees`, by "level:index"; one that is not stored is absent. */
export async function subtreeHashes(db: Kysely<Schema>, voteId: string, subtrees: readonly StoredSubtree[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const leaves = [...new Set(subtrees.filter((t) => t.level === 0).map((t) => t.index))];
  const nodes = subtrees.filter((t) => t.level > 0);
  const [leafRows, nodeRows] = await Promise.all([
    leaves.length ? db.selectFrom('ballots').select(['leaf_index', 'leaf_hash']).where('vote_id', '=', voteId).where('leaf_index', 'in', leaves).execute() : [],
    nodes.length
      ? db.selectFrom('tree_nodes').select(['level', 'idx', 'hash']).where('vote_id', '=', voteId)
        .where(sql<boolean>`(level, idx) in (${sql.join(nodes.map((t) => sql`(${t.level}::smallint, ${t.index}::integer)`))})`).execute()
      : [],
  ]);
  for (const r of leafRows) found.set(key({ level: 0, index: r.leaf_index! }), r.leaf_hash);
  for (const r of nodeRows) found.set(key({ level: r.level, index: r.idx }), r.hash);
  return found;
}

/** Stores subtrees of level ≥ 1 (one already stored is kept: its hash follows from the leaves). */
export async function saveSubtrees(db: Kysely<Schema>, voteId: string, subtrees: readonly (StoredSubtree & { hash: string })[]): Promise<void> {
  const nodes = subtrees.filter((t) => t.level > 0);
  for (let i = 0; i < nodes.length; i += 1000) {
    await db.insertInto('tree_nodes').values(nodes.slice(i, i + 1000).map((t) => ({ vote_id: voteId, level: t.level, idx: t.index, hash: t.hash })))
      .onConflict((oc) => oc.columns(['vote_id', 'level', 'idx']).doNothing()).execute();
  }
}

/** Forgets a vote's stored subtrees (they are rebuilt from its leaves on next use). */
export async function deleteSubtrees(db: Kysely<Schema>, voteId: string): Promise<void> {
  await db.deleteFrom('tree_nodes').where('vote_id', '=', voteId).execute();
}
