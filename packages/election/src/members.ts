/**
 * `@union-vote/election/members`: the parts of the package a member's phone runs (code checks and
 * ballot shapes), free of zod so the voting page's script stays small.
 */
export * from './code.ts';
export * from './fingerprint.ts';
export * from './canonical.ts';
export * from './manifest.ts';
export * from './issuance.ts';
export * from './evidence.ts';
export * from './batches.ts';
export * from './shape.ts';
export { ceremonyKeysProblem, evaluateCeremony, trusteeIndices } from './dkg.ts';
