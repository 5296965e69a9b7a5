import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8ToBytes } from '@union-vote/crypto';
import { normalizeCode } from '@union-vote/election';

/**
 * What is stored for a voting code: SHA-256 of its canonical form. Codes carry 100 random bits, so
 * a fast hash is enough: there is no dictionary to try.
 */
export function codeHash(code: string): string {
  const canonical = normalizeCode(code);
  if (!canonical) throw new Error('not a voting code');
  return toHex(sha256(utf8ToBytes(`union-vote/v1/code:${canonical}`)));
}
