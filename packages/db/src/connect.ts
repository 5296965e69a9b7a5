/**
 * The one dialect factory: PGlite (embedded, the default for `npm start`), PostgreSQL through
 * postgres.js (DATABASE_URL), or Hyperdrive (workerd). Node and tests import this; the Worker
 * imports postgres.ts alone so that PGlite stays out of its bundle.
 */
import type { DatabaseHandle } from './handle.ts';
import { connectHyperdrive, connectPostgres, type PostgresOptions } from './postgres.ts';

export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir?: string }
  | ({ readonly kind: 'postgres'; readonly url: string } & PostgresOptions)
  | { readonly kind: 'hyperdrive'; readonly connectionString: string };

export async function connect(config: DatabaseConfig): Promise<DatabaseHandle> {
  switch (config.kind) {
    case 'pglite': {
      const { connectPglite } = await import('./pglite.ts');
      return connectPglite(config.dataDir);
    }
    case 'postgres':
      return connectPostgres(config.url, config);
    case 'hyperdrive':
      return connectHyperdrive(config.connectionString);
  }
}

/** DATABASE_URL if set, else PGlite in `dataDir`. */
export function configFromEnv(env: Record<string, string | undefined>, dataDir: string): DatabaseConfig {
  return env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir };
}
