/**
 * `@union-vote/crypto/sodium`: the libsodium (WebAssembly) paths of the package, for the Node server
 * and the verifier's worker threads; never in a page bundle. Each gives the same answers as its noble
 * reference: the ballot-proof check (sodium-ballots.ts), the issuer's half of the VOPRF tokens
 * (sodium-tokens.ts) and Ed25519 signing (sodium-signing.ts).
 */
export * from './sodium-ballots.ts';
export * from './sodium-tokens.ts';
export * from './sodium-signing.ts';
