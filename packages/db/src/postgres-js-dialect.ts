/**
 * A Kysely dialect for postgres.js: used on Node with DATABASE_URL and in workerd through a
 * Hyperdrive binding (postgres.js is the driver Cloudflare documents for Hyperdrive).
 * Each Kysely connection is a reserved postgres.js connection, so transactions stay on one
 * session. Parameterless raw SQL goes over the simple protocol, which accepts several
 * statements (migration files).
 */
import type { Sql, ReservedSql } from 'postgres';
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult, type TransactionSettings,
} from 'kysely';

class PostgresJsConnection implements DatabaseConnection {
  constructor(readonly reserved: ReservedSql) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.reserved.unsafe(compiled.sql, compiled.parameters as never[]);
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

class PostgresJsDriver implements Driver {
  constructor(private readonly sql: Sql) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new PostgresJsConnection(await this.sql.reserve());
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PostgresJsConnection).reserved.release();
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings.isolationLevel ? `begin isolation level ${settings.isolationLevel}` : 'begin'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async destroy(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

export class PostgresJsDialect implements Dialect {
  constructor(private readonly sql: Sql) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PostgresJsDriver(this.sql);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
