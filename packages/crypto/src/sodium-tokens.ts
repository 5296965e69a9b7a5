/**
 * The server's half of the voting tokens of token.ts — RFC 9497 VOPRF, ciphersuite
 * ristretto255-SHA512 (mode 0x01): BlindEvaluate with its DLEQ proof, and Evaluate for redemption —
 * computed with libsodium's ristretto255 (WebAssembly) instead of noble's BigInt arithmetic.
 * https://www.rfc-editor.org/rfc/rfc9497
 *
 * Why: the issuer key is a secret, and noble's scalar multiplication is neither fast (about 8 ms an
 * evaluation with its proof here) nor promised constant time. Every operation that touches the key or
 * the proof's nonce goes through libsodium's constant-time `crypto_scalarmult_ristretto255` and its
 * scalar arithmetic (`s = r − c·k`); hashing (expand_message_xmd, SHA-512) is noble's, on public data.
 *
 * Guarantee: the same bytes as token.ts for every input (the RFC's test vectors, and noble's own
 * output, in packages/crypto/test/sodium-server.test.ts): the member's page, which verifies with
 * noble, cannot tell which path answered. Not in the package index: only the Node server loads it.
 *
 * Flow (RFC 9497 §3.3.2, batch size 1; A = G, B = the public key):
 *   evaluated Z0 = k·C;  d = HashToScalar(seed ‖ 0 ‖ C ‖ Z0 ‖ "Composite"), seed = SHA-512(B ‖ "Seed-"…);
 *   M = d·C, Z = k·M;  r random;  t2 = r·G, t3 = r·M;
 *   c = HashToScalar(B ‖ M ‖ Z ‖ t2 ‖ t3 ‖ "Challenge");  s = r − c·k;  proof = c ‖ s.
 */
import sodium from 'libsodium-wrappers-sumo';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { fail } from './errors.ts';
import { concatBytes, constantTimeEqual, randomBytes, utf8ToBytes } from './bytes.ts';
import { TOKEN_INPUT_BYTES, TOKEN_OUTPUT_BYTES, tokenNullifier, type IssuerKey, type Token, type TokenResponse } from './token.ts';

const CONTEXT = concatBytes(utf8ToBytes('OPRFV1-'), new Uint8Array([0x01]), utf8ToBytes('-ristretto255-SHA512'));
const HASH_TO_GROUP_DST = concatBytes(utf8ToBytes('HashToGroup-'), CONTEXT);
const HASH_TO_SCALAR_DST = concatBytes(utf8ToBytes('HashToScalar-'), CONTEXT);
const SEED_DST = concatBytes(utf8ToBytes('Seed-'), CONTEXT);

/** I2OSP(len(x), 2) ‖ x for each part, then the plain suffix (the RFC's transcripts). */
function lengthPrefixed(parts: readonly Uint8Array[], suffix?: string): Uint8Array {
  const out: Uint8Array[] = [];
  for (const p of parts) out.push(new Uint8Array([p.length >>> 8, p.length & 0xff]), p);
  if (suffix) out.push(utf8ToBytes(suffix));
  return concatBytes(...out);
}

const hashToScalar = (msg: Uint8Array) => sodium.crypto_core_ristretto255_scalar_reduce(expand_message_xmd(msg, HASH_TO_SCALAR_DST, 64, sha512));
const hashToGroup = (msg: Uint8Array) => sodium.crypto_core_ristretto255_from_hash(expand_message_xmd(msg, HASH_TO_GROUP_DST, 64, sha512));
/** Constant-time k·P; libsodium refuses (throws on) a result that is the identity. */
const multiply = (k: Uint8Array, p: Uint8Array) => sodium.crypto_scalarmult_ristretto255(k, p);

/**
 * The issuer key as a canonical scalar (32 bytes, below the group order): libsodium's scalar
 * multiplication clears bit 255 while its scalar arithmetic reduces, so a non-canonical key would
 * give a proof that does not verify. Keys come from noble's generate/derive; this keeps it so.
 */
function canonicalKey(k: Uint8Array): Uint8Array {
  const wide = new Uint8Array(64);
  wide.set(k);
  if (k.length !== 32 || !constantTimeEqual(sodium.crypto_core_ristretto255_scalar_reduce(wide), k)) fail('invalid_input', 'the issuer key is not a canonical ristretto255 scalar');
  return k;
}

function validElement(p: Uint8Array): Uint8Array {
  if (p.length !== 32 || p.every((b) => b === 0) || !sodium.crypto_core_ristretto255_is_valid_point(p)) fail('invalid_point', 'blinded element is not a valid ristretto255 point');
  return p;
}

/**
 * (Server) RFC 9497 BlindEvaluate: the evaluated element and its DLEQ proof, as token.ts
 * evaluateTokenRequest. `proofScalar` fixes the proof's nonce r (the RFC vectors); never in use.
 * Call after sodiumReady().
 */
export function evaluateTokenRequestWithSodium(key: IssuerKey, blinded: Uint8Array, proofScalar?: Uint8Array): TokenResponse {
  const C = validElement(blinded);
  const k = canonicalKey(key.secretKey);
  const evaluated = multiply(k, C);
  const seed = sha512(lengthPrefixed([key.publicKey, SEED_DST]));
  const d = hashToScalar(concatBytes(lengthPrefixed([seed]), new Uint8Array([0, 0]), lengthPrefixed([C, evaluated], 'Composite')));
  const M = multiply(d, C);
  const Z = multiply(k, M);
  // 64 random bytes reduced modulo the group order (uniform to within 2^-250), with one call to the
  // system's generator (libsodium's own scalar_random asks JavaScript for 4 bytes at a time, 16 calls).
  const r = proofScalar ?? sodium.crypto_core_ristretto255_scalar_reduce(randomBytes(64));
  const t2 = sodium.crypto_scalarmult_ristretto255_base(r);
  const t3 = multiply(r, M);
  const c = hashToScalar(lengthPrefixed([key.publicKey, M, Z, t2, t3], 'Challenge'));
  const s = sodium.crypto_core_ristretto255_scalar_sub(r, sodium.crypto_core_ristretto255_scalar_mul(c, k));
  return { evaluated, proof: concatBytes(c, s) };
}

/** (Server) RFC 9497 Evaluate: the PRF output for an input, as token.ts evaluateToken. Call after sodiumReady(). */
export function evaluateTokenWithSodium(key: IssuerKey, input: Uint8Array): Uint8Array {
  const element = hashToGroup(input);
  const issued = multiply(canonicalKey(key.secretKey), element);
  return sha512(lengthPrefixed([input, issued], 'Finalize'));
}

/** (Server) token.ts redeemToken on libsodium: the nullifier, or `invalid_token`. Call after sodiumReady(). */
export function redeemTokenWithSodium(key: IssuerKey, token: Token, voteId: string, localId: string): Uint8Array {
  if (token.input.length !== TOKEN_INPUT_BYTES || token.output.length !== TOKEN_OUTPUT_BYTES) {
    fail('invalid_length', `token input must be ${TOKEN_INPUT_BYTES} bytes and output ${TOKEN_OUTPUT_BYTES} bytes`);
  }
  if (!constantTimeEqual(evaluateTokenWithSodium(key, token.input), token.output)) fail('invalid_token', 'token was not issued for this vote and local');
  return tokenNullifier(token.input, voteId, localId);
}
