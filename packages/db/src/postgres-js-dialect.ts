/**
 * A Kysely dialect for postgres.js: used on Node with DATABASE_URL and in workerd through a
 * Hyperdrive binding (postgres.js is the driver Cloudflare documents for Hyperdrive).
 *
 * Two ways to keep a transaction on one session:
 *  - 'reserve' (Node): each Kysely connection is a reserved connection from the pool.
 *  - 'single' (workerd): postgres.js's reserve() never resolves under workerd, so the client has
 *    one connection (max: 1, where postgres.js allows plain begin/commit) and Kysely connections
 *    take turns on it. Hyperdrive pools in front of it, so one per request is enough.
 * Parameterless raw SQL goes over the simple protocol, which accepts several statements
 * (migration files).
 */
import type { Sql } from 'postgres';
import { SerialLock } from './serial.ts';
import type { CompiledQuery, DatabaseConnection, Dialect, QueryResult } from 'kysely';
import { PostgresSessionDriver, postgresDialect } from './dialect-base.ts';

type Unsafe = Pick<Sql, 'unsafe'>;

class PostgresJsConnection implements DatabaseConnection {
  constructor(readonly sql: Unsafe, readonly release: () => void) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.sql.unsafe(compiled.sql, compiled.parameters as never[]);
    const rows = [...result] as R[];
    const affected = result.command === 'INSERT' || result.command === 'UPDATE' || result.command === 'DELETE' || result.command === 'MERGE'
      ? BigInt(result.count) : undefined;
    return { rows, numAffectedRows: affected };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('postgres.js dialect does not stream');
  }
}

export type SessionMode = 'reserve' | 'single';

class PostgresJsDriver extends PostgresSessionDriver {
  private readonly lock = new SerialLock();
  constructor(private readonly sql: Sql, private readonly mode: SessionMode) {
    super();
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.mode === 'single') return new PostgresJsConnection(this.sql, await this.lock.acquire());
    const reserved = await this.sql.reserve();
    return new PostgresJsConnection(reserved, () => reserved.release());
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PostgresJsConnection).release();
  }
  async destroy(): Promise<void> {
    await this.lock.drain();
    await this.sql.end({ timeout: 5 });
  }
}

export function postgresJsDialect(sql: Sql, mode: SessionMode = 'reserve'): Dialect {
  return postgresDialect(() => new PostgresJsDriver(sql, mode));
}
