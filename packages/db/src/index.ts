/**
 * @union-vote/db: the schema, the repositories, and the PostgreSQL connection (no Node-only
 * imports, so workerd can take it). PGlite and the migrator are in `connect.ts` and
 * `migrate.ts`, for Node.
 */
export * from './schema.ts';
export * from './handle.ts';
export * from './postgres.ts';
export * from './users.ts';
export * from './sessions.ts';
export * from './locals.ts';
export * from './roster.ts';
export * from './votes.ts';
export { isUniqueViolation } from './errors.ts';
export * from './keys.ts';
export * from './codes.ts';
export * from './ballots.ts';
export * from './tree.ts';
export * from './challenges.ts';
export * from './paper.ts';
export * from './spoiled.ts';
export * from './outbox.ts';
export * from './tally.ts';
export * from './rate-limits.ts';
export * from './acts.ts';
export * from './tx.ts';
export * from './issuance.ts';
export * from './cosignatures.ts';
export * from './ceremony.ts';
