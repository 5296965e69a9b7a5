/** @union-vote/verifier: checks an election record from the record alone (see verify.ts). */
export * from './verify.ts';
export * from './spoiled-ballot.ts';
