/**
 * A vote's manifest: what the board commits to when the vote opens — the definition (questions,
 * locals, delegate counts, rules, window, turnout setting), the joint election key, the issuer key
 * of each local, and the trustees' keys. The board signs its canonical bytes; a changed delegate
 * count, rule or key afterwards no longer matches that signature.
 */
import { canonicalJson } from './canonical.ts';
import type { VoteDefinition } from './definition.ts';

export interface Manifest {
  voteId: string;
  definition: VoteDefinition;
  electionKey: string;
  issuerKeys: Record<string, string>;
  trustees: { trusteeId: string; publicKey: string }[];
}

export function manifestBytes(m: Manifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ format: 'union-vote/manifest/v1', ...m }));
}
