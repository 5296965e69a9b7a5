/**
 * Typed errors of the crypto package. Every rejection of untrusted bytes carries a stable `code`
 * so that the service can map it to an HTTP status and the verifier can name the failed check.
 */
export type CryptoErrorCode =
  | 'invalid_encoding' // not hex, wrong case, odd length
  | 'invalid_length' // right encoding, wrong number of bytes
  | 'invalid_point' // not a canonical ristretto255 encoding, or the identity where it is not allowed
  | 'invalid_scalar' // not a canonical scalar (>= group order), or zero where it is not allowed
  | 'invalid_proof' // a zero-knowledge proof that does not verify
  | 'invalid_signature' // an Ed25519 signature that does not verify
  | 'invalid_token' // a VOPRF token whose output does not match the issuer key
  | 'invalid_input'; // anything else structurally wrong (shape, ranges, sizes)

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function fail(code: CryptoErrorCode, message: string): never {
  throw new CryptoError(code, message);
}

/**
 * Refuses any own key of `o` outside `allowed`, naming the first (`at.key`): strict decoding
 * accepts exactly the documented fields, so nothing unsigned rides along with a signed value.
 */
export function onlyKeys(o: object, allowed: readonly string[], at: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail('invalid_input', `${at}.${k} is not a field of ${at}`);
}
