/** @union-vote/election: the pure domain: vote definitions, passing rules, rosters. */
export * from './rule.ts';
export * from './definition.ts';
export * from './csv.ts';
export * from './roster.ts';
export * from './fixtures.ts';
export * from './code.ts';
export * from './shape.ts';
export * from './outcome.ts';
export * from './canonical.ts';
export * from './manifest.ts';
export * from './results.ts';
export * from './record.ts';
export * from './acts.ts';
