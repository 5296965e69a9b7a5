/**
 * A Kysely dialect for PGlite (embedded PostgreSQL in WebAssembly).
 *
 * PGlite is one connection: queries and transactions are serialized through a queue, so
 * concurrent Kysely transactions wait their turn instead of interleaving on one session.
 * Parameterless raw SQL (migration files) runs through `exec`, which accepts several statements.
 * Written here rather than taken from kysely-pglite, which pulls a CLI and code generator with it
 * (docs/decisions.md).
 */
import type { PGlite } from '@electric-sql/pglite';
import { SerialLock } from './serial.ts';
import type { CompiledQuery, DatabaseConnection, Dialect, QueryResult } from 'kysely';
import { PostgresSessionDriver, postgresDialect } from './dialect-base.ts';

class PGliteConnection implements DatabaseConnection {
  release: () => void = () => {};
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.parameters.length === 0 && compiled.query.kind === 'RawNode') {
      const results = await this.pg.exec(compiled.sql);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: last?.affectedRows === undefined ? undefined : BigInt(last.affectedRows) };
    }
    const result = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    return { rows: result.rows, numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not stream');
  }
}

class PGliteDriver extends PostgresSessionDriver {
  private readonly lock = new SerialLock();
  private readonly connection: PGliteConnection;

  constructor(private readonly pg: PGlite) {
    super();
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  /** One connection: each acquirer waits for the previous holder to release it. */
  async acquireConnection(): Promise<DatabaseConnection> {
    this.connection.release = await this.lock.acquire();
    return this.connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }


  async destroy(): Promise<void> {
    await this.lock.drain();
    await this.pg.close();
  }
}

export function pgliteDialect(pg: PGlite): Dialect {
  return postgresDialect(() => new PGliteDriver(pg));
}
