/**
 * Global setup of the `postgres` project: PostgreSQL must answer. The suite fails, loudly, when it
 * does not; it never skips (on CI, .ci/run starts the server first).
 */
import postgres from 'postgres';
import { POSTGRES_URL } from './database.ts';

export default async function setup(): Promise<void> {
  const sql = postgres(POSTGRES_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}. ` +
      'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or run only the PGlite project: npx vitest run --project unit --project pglite');
  } finally {
    await sql.end();
  }
}
