/**
 * PostgreSQL through postgres.js: DATABASE_URL on Node, or a Hyperdrive binding's connection
 * string in workerd. No Node-only imports, so the Worker bundle can take it.
 */
import postgres from 'postgres';
import { Kysely } from 'kysely';
import { postgresJsDialect } from './postgres-js-dialect.ts';
import type { Schema } from './schema.ts';
import type { DatabaseHandle } from './handle.ts';

export interface PostgresOptions {
  /** Schema to put first on the search_path (tests use one schema each). */
  readonly schema?: string;
  readonly max?: number;
}

export function connectPostgres(url: string, options: PostgresOptions = {}, kind: 'postgres' | 'hyperdrive' = 'postgres'): DatabaseHandle {
  const single = kind === 'hyperdrive';
  const sql = postgres(url, {
    max: single ? 1 : (options.max ?? 10),
    onnotice: () => {},
    // Counts and bigint ids fit in a double; read int8 as numbers, as PGlite does.
    types: { int8: { to: 20, from: [20], serialize: (v: unknown) => String(v), parse: (v: string) => Number(v) } },
    // workerd: skip the type-catalogue round trip on every new connection.
    fetch_types: kind !== 'hyperdrive',
    connection: options.schema ? { search_path: options.schema } : {},
  });
  const db = new Kysely<Schema>({ dialect: postgresJsDialect(sql, single ? 'single' : 'pool') });
  return { db, kind, close: () => db.destroy() };
}

/** Hyperdrive: the binding's connection string; one connection per request (Hyperdrive pools). */
export function connectHyperdrive(connectionString: string): DatabaseHandle {
  return connectPostgres(connectionString, {}, 'hyperdrive');
}
