/**
 * Hash chains of signed entries (the official acts, the issuance log): each entry's hash covers its
 * content and the hash of the entry before it, so none can be dropped, altered or reordered without
 * breaking every later hash; the board signs each hash. Pure: the service appends, the verifier
 * recomputes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical.ts';

/** The previous hash of a chain's first entry. */
export const FIRST_PREV = '0'.repeat(64);

/** SHA-256 (hex) of the canonical JSON of `{format, voteId, ...body}`. */
export function chainHash(format: string, voteId: string, body: Record<string, unknown>): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson({ ...body, format, voteId }))));
}
