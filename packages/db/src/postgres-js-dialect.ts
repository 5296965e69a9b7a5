/**
 * A Kysely dialect for postgres.js: used on Node with DATABASE_URL and in workerd through a
 * Hyperdrive binding (postgres.js is the driver Cloudflare documents for Hyperdrive).
 *
 * Two ways to run a transaction on one session:
 *  - 'pool' (Node): queries outside a transaction go to the pool; a transaction is postgres.js's own
 *    `sql.begin()`, held open until Kysely commits or rolls back. Not `sql.reserve()`: a reserve
 *    queued while the server drops a connection is never settled (porsager/postgres#1195, 3.4.9),
 *    which the PostgreSQL-restart fault test hit as requests hanging forever.
 *  - 'single' (workerd): postgres.js's reserve() never resolves under workerd, so the client has
 *    one connection (max: 1, where postgres.js allows plain begin/commit) and Kysely connections
 *    take turns on it. Hyperdrive pools in front of it, so one per request is enough.
 * Parameterless raw SQL goes over the simple protocol, which accepts several statements
 * (migration files).
 */
import type { Sql, TransactionSql } from 'postgres';
import { SerialLock } from './serial.ts';
import type { CompiledQuery, DatabaseConnection, Dialect, QueryResult, TransactionSettings } from 'kysely';
import { PostgresSessionDriver, postgresDialect } from './dialect-base.ts';

type Unsafe = Pick<Sql, 'unsafe'>;

/** Thrown inside `sql.begin()` to make postgres.js roll back; never seen outside this file. */
const ROLLBACK = new Error('rollback requested');

class PostgresJsConnection implements DatabaseConnection {
  /** The open transaction, while there is one ('pool' mode). */
  tx?: TransactionSql;
  /** Settles the open transaction: commit (true) or roll back (false). */
  finish?: (commit: boolean) => void;
  /** The open transaction's `sql.begin()`, settled once it has committed or rolled back. */
  done?: Promise<void>;

  constructor(readonly sql: Unsafe, readonly release: () => void) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await (this.tx ?? this.sql).unsafe(compiled.sql, compiled.parameters as never[]);
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

export type SessionMode = 'pool' | 'single';

class PostgresJsDriver extends PostgresSessionDriver {
  private readonly lock = new SerialLock();
  constructor(private readonly sql: Sql, private readonly mode: SessionMode) {
    super();
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.mode === 'single') return new PostgresJsConnection(this.sql, await this.lock.acquire());
    return new PostgresJsConnection(this.sql, () => {});
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PostgresJsConnection).release();
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.mode === 'single') return super.beginTransaction(connection, settings);
    const c = connection as PostgresJsConnection;
    let started!: (tx: TransactionSql) => void;
    const begun = new Promise<TransactionSql>((resolve) => (started = resolve));
    const outcome = new Promise<boolean>((resolve) => (c.finish = resolve));
    const body = async (tx: TransactionSql) => {
      started(tx);
      if (!(await outcome)) throw ROLLBACK;
    };
    const run = settings.isolationLevel ? this.sql.begin(`isolation level ${settings.isolationLevel}`, body) : this.sql.begin(body);
    c.done = run.then(() => undefined);
    c.done.catch(() => {}); // settled by commit or rollback below; never an unhandled rejection
    const endedEarly = c.done.then(() => { throw new Error('the transaction ended before it began'); });
    endedEarly.catch(() => {});
    c.tx = await Promise.race([begun, endedEarly]);
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.mode === 'single') return super.commitTransaction(connection);
    const c = connection as PostgresJsConnection;
    c.finish!(true);
    try {
      await c.done;
    } finally {
      c.tx = undefined;
    }
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.mode === 'single') return super.rollbackTransaction(connection);
    const c = connection as PostgresJsConnection;
    c.finish!(false);
    try {
      await c.done;
    } catch {
      // Our own ROLLBACK, or a connection already gone (the server then rolls back by itself);
      // either way the error Kysely reports is the one that caused the rollback.
    } finally {
      c.tx = undefined;
    }
  }

  async destroy(): Promise<void> {
    await this.lock.drain();
    await this.sql.end({ timeout: 5 });
  }
}

export function postgresJsDialect(sql: Sql, mode: SessionMode = 'pool'): Dialect {
  return postgresDialect(() => new PostgresJsDriver(sql, mode));
}
