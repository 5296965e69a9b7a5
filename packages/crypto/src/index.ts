/**
 * @union-vote/crypto: the verifiable-ballot primitives. Pure: no I/O, no Node-only API; runs in
 * a phone browser, in workerd and in Node. See README.md for what each construction proves.
 */
export * from './errors.ts';
export * from './bytes.ts';
export * from './group.ts';
export * from './transcript.ts';
export * from './equations.ts';
export * from './elgamal.ts';
export * from './dlog.ts';
export * from './proofs.ts';
export * from './ballot.ts';
export * from './ballot-encoding.ts';
export * from './challenge.ts';
export * from './trustee.ts';
export * from './token.ts';
export * from './signature.ts';
export * from './receipt.ts';
export * from './merkle.ts';
export * from './merkle-subtrees.ts';
export * from './tree-head.ts';
export * from './statement.ts';
export * from './witness.ts';
export * from './dkg.ts';
export * from './share-encryption.ts';
