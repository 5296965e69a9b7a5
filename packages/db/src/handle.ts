import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres' | 'hyperdrive';

/** An open database: the Kysely instance, which kind it is, and how to close it. */
export interface DatabaseHandle {
  readonly db: Kysely<Schema>;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}
