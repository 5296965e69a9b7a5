/**
 * One-time voting tokens from a verifiable oblivious PRF: RFC 9497 VOPRF, ciphersuite
 * ristretto255-SHA512 (mode 0x01), through noble's `ristretto255_oprf.voprf`.
 * https://www.rfc-editor.org/rfc/rfc9497
 *
 * What it gives (DESIGN.md properties 1 and 2): the server evaluates the PRF on an element it
 * cannot unblind, so when the token comes back with a ballot it cannot tell whose it was; the
 * DLEQ proof shows the member that the server used the published key of the (vote, local), so a
 * member cannot be handed a tagged key.
 *
 * Flow:
 *   1. (server) generateIssuerKey() per (vote, local) when the vote opens; publish the public key.
 *   2. (client) prepareTokenRequest({deviceSeed, code, voteId, localId}) → input, blind, blinded.
 *      Everything is derived from a random per-device seed the server never sees, together with
 *      the code: after a crash the same phone re-derives the same request (and the server, asked
 *      the same blinded element again, returns the same evaluation). The server, which knows the
 *      code, cannot derive the input without the seed.
 *   3. (server) evaluateTokenRequest(key, blinded) → evaluated element + proof.
 *   4. (client) finalizeToken(request, response, issuerPublicKey) → token {input, output};
 *      throws if the proof is wrong.
 *   5. (server) redeemToken(key, token, voteId, localId) → the nullifier, after recomputing the
 *      PRF on the input and comparing in constant time. The nullifier is unique per token and
 *      goes into the ballot's proofs and into a unique column of the ballot box.
 */
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { fail } from './errors.ts';
import { concatBytes, constantTimeEqual, frame, fromHex, toHex, utf8ToBytes } from './bytes.ts';

const voprf = ristretto255_oprf.voprf;
// RFC 9497 Evaluate in VOPRF mode: present at run time in noble 2.x but missing from its typings.
// The RFC vectors in test/token.test.ts pin its output.
const voprfEvaluate = (voprf as unknown as { evaluate(secretKey: Uint8Array, input: Uint8Array): Uint8Array }).evaluate;

export const TOKEN_INPUT_BYTES = 32;
export const TOKEN_OUTPUT_BYTES = 64;

export interface IssuerKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** (Server) A fresh issuer key for one (vote, local). */
export function generateIssuerKey(): IssuerKey {
  return voprf.generateKeyPair();
}

/** (Server) RFC 9497 DeriveKeyPair: the same (seed, info) gives the same key. */
export function deriveIssuerKey(seed: Uint8Array, keyInfo: Uint8Array): IssuerKey {
  return voprf.deriveKeyPair(seed, keyInfo);
}

export interface TokenRequestParams {
  /** Random bytes kept on the member's device (at least 32); never sent. */
  readonly deviceSeed: Uint8Array;
  readonly code: string;
  readonly voteId: string;
  readonly localId: string;
}

export interface TokenRequest {
  readonly input: Uint8Array;
  readonly blind: Uint8Array;
  /** The only part sent to the server. */
  readonly blinded: Uint8Array;
}

/** A deterministic byte stream from a key (SHA-512 in counter mode), used as the blinding RNG. */
function streamFrom(key: Uint8Array): (n?: number) => Uint8Array {
  let counter = 0;
  let buffer = new Uint8Array(0);
  return (n = 32) => {
    while (buffer.length < n) {
      const block = sha512(concatBytes(key, new Uint8Array([counter >>> 24, counter >>> 16, counter >>> 8, counter])));
      counter++;
      buffer = concatBytes(buffer, block);
    }
    const out = buffer.slice(0, n);
    buffer = buffer.slice(n);
    return out;
  };
}

/** (Client-side) Derives the token request for (code, vote, local) from the device seed. */
export function prepareTokenRequest(p: TokenRequestParams): TokenRequest {
  if (p.deviceSeed.length < 32) fail('invalid_input', 'device seed must be at least 32 bytes');
  const fields = [
    ['seed', p.deviceSeed], ['code', utf8ToBytes(p.code)], ['vote', utf8ToBytes(p.voteId)], ['local', utf8ToBytes(p.localId)],
  ] as const;
  const input = sha256(frame('union-vote/v1/token/input', fields));
  const { blind, blinded } = voprf.blind(input, streamFrom(sha512(frame('union-vote/v1/token/blind', fields))));
  return { input, blind, blinded };
}

/** (Client-side) Blinds a given input with a given RNG: the RFC test-vector path. */
export function blindTokenInput(input: Uint8Array, rng?: (n?: number) => Uint8Array): TokenRequest {
  const { blind, blinded } = voprf.blind(input, rng);
  return { input, blind, blinded };
}

export interface TokenResponse {
  readonly evaluated: Uint8Array;
  readonly proof: Uint8Array;
}

/** (Server-side) Evaluates a blinded element with the issuer key and proves it (DLEQ). */
export function evaluateTokenRequest(key: IssuerKey, blinded: Uint8Array, rng?: (n?: number) => Uint8Array): TokenResponse {
  try {
    return voprf.blindEvaluate(key.secretKey, key.publicKey, blinded, rng);
  } catch {
    return fail('invalid_point', 'blinded element is not a valid ristretto255 point');
  }
}

export interface Token {
  readonly input: Uint8Array;
  readonly output: Uint8Array;
}

/** (Client-side) Verifies the server's proof and unblinds: the anonymous token. */
export function finalizeToken(request: TokenRequest, response: TokenResponse, issuerPublicKey: Uint8Array): Token {
  let output: Uint8Array;
  try {
    output = voprf.finalize(request.input, request.blind, response.evaluated, request.blinded, issuerPublicKey, response.proof);
  } catch {
    return fail('invalid_proof', 'the issuer proof does not verify against the published key');
  }
  return { input: request.input, output };
}

/** The nullifier of a token: public, unique per token, unlinkable to the blinded request. */
export function tokenNullifier(input: Uint8Array, voteId: string, localId: string): Uint8Array {
  return sha256(frame('union-vote/v1/token/nullifier', [['vote', utf8ToBytes(voteId)], ['local', utf8ToBytes(localId)], ['input', input]]));
}

/**
 * The nullifier of a challenged ballot (29 CFR 452.97(b): a ballot set aside while the voter's
 * eligibility is disputed). It has no token: the ballot is cast with the challenged code, and is by
 * design tied to its challenge (like the envelope with the voter's name around a paper ballot), never
 * to how it was marked. The nullifier is fixed by the public challenge id, so the ballot's proofs
 * and leaf mark it challenged for anyone, and the box's unique nullifier allows one ballot per
 * challenge. Another domain than `tokenNullifier`'s: no token can give it.
 */
export function challengedBallotNullifier(voteId: string, localId: string, challengeId: string): Uint8Array {
  return sha256(frame('union-vote/v1/challenged-ballot/nullifier', [['vote', utf8ToBytes(voteId)], ['local', utf8ToBytes(localId)], ['challenge', utf8ToBytes(challengeId)]]));
}

/** (Server-side) The PRF output for an input, computed directly with the issuer key (RFC 9497 Evaluate). */
export function evaluateToken(key: IssuerKey, input: Uint8Array): Uint8Array {
  return voprfEvaluate(key.secretKey, input);
}

/**
 * (Server-side) Redeems a token: recomputes the PRF output on its input, compares in constant
 * time, and returns the nullifier. Throws `invalid_token` if the output does not match.
 */
export function redeemToken(key: IssuerKey, token: Token, voteId: string, localId: string): Uint8Array {
  if (token.input.length !== TOKEN_INPUT_BYTES || token.output.length !== TOKEN_OUTPUT_BYTES) {
    fail('invalid_length', `token input must be ${TOKEN_INPUT_BYTES} bytes and output ${TOKEN_OUTPUT_BYTES} bytes`);
  }
  const expected = evaluateToken(key, token.input);
  if (!constantTimeEqual(expected, token.output)) fail('invalid_token', 'token was not issued for this vote and local');
  return tokenNullifier(token.input, voteId, localId);
}

export function tokenToJson(t: Token): { input: string; output: string } {
  return { input: toHex(t.input), output: toHex(t.output) };
}
export function tokenFromJson(j: unknown): Token {
  const o = j as { input?: unknown; output?: unknown } | null;
  if (typeof o !== 'object' || o === null) fail('invalid_input', 'token must be an object');
  return { input: fromHex(o.input, TOKEN_INPUT_BYTES, 'token.input'), output: fromHex(o.output, TOKEN_OUTPUT_BYTES, 'token.output') };
}
