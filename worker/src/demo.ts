/**
 * The demo that `npm start` seeds into an empty database: the locals and the three example votes
 * (ratification, strike authorization, two agreements), the ratification window moved to start
 * now, and a small made-up roster for local 700.
 */
import type { Kysely } from 'kysely';
import { createVote, importRoster, listVotes, upsertLocals, type Schema } from '@union-vote/db';
import { VoteDefinition, exampleVotes } from '@union-vote/election';

export async function seedDemo(db: Kysely<Schema>, now: Date): Promise<string[]> {
  if ((await listVotes(db)).length > 0) return [];
  const opensAt = new Date(now.getTime() + 60_000).toISOString();
  const closesAt = new Date(now.getTime() + 3 * 24 * 3600_000).toISOString();
  const definitions = Object.values(exampleVotes).map((v) => VoteDefinition.parse({ ...v, opensAt, closesAt }));
  const locals = new Map(definitions.flatMap((d) => d.locals.map((l) => [l.id, l] as const)));
  await upsertLocals(db, [...locals.values()]);
  for (const d of definitions) await createVote(db, d, null, now);
  const first = ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hana', 'Ivo', 'Jo'];
  const last = ['Rivera', 'Chen', 'Duran', 'Evans', 'Okafor', 'Gray', 'Hall', 'Ito', 'Novak', 'Kim'];
  const roster = Array.from({ length: 40 }, (_, i) => ({
    memberNumber: `700-${String(1001 + i)}`,
    name: `${first[i % 10]} ${last[(i * 3) % 10]}`,
    email: `member${1001 + i}@example.org`,
    phone: null,
    goodStanding: i % 13 !== 0,
  }));
  await importRoster(db, '700', roster, now);
  return definitions.map((d) => d.id);
}
