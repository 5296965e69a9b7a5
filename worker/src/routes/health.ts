import { createRoute, z } from '@hono/zod-openapi';
import { migrationLevel } from '@union-vote/db';
import { createRouter } from '../router.ts';

const Health = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres', 'hyperdrive']),
  migration: z.string().nullable().openapi({ description: 'The newest applied migration' }),
  migrations: z.number().int(),
}).openapi('Health');

export const health = createRouter().openapi(
  createRoute({ method: 'get', path: '/healthz', tags: ['service'], summary: 'The database in use and its migration level', responses: { 200: { description: 'Up', content: { 'application/json': { schema: Health } } } } }),
  async (c) => {
    const { db, dbKind } = c.get('deps');
    const level = await migrationLevel(db);
    return c.json({ status: 'ok' as const, database: dbKind, migration: level.latest, migrations: level.count }, 200);
  },
);
