/**
 * The election record: everything a third party needs to verify a vote, in one JSON document.
 * Specified in docs/election-record.md. Structure is checked here with zod; every cryptographic
 * value inside is then decoded strictly by @union-vote/crypto.
 */
import { z } from 'zod';
import { ACTS } from './acts.ts';
import { VoteDefinition } from './definition.ts';

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`);

export const RECORD_FORMAT = 'union-vote/election-record/v1';

export const ElectionRecord = z.object({
  format: z.literal(RECORD_FORMAT),
  vote: z.object({ id: z.string(), title: z.string(), status: z.enum(['closed', 'tallied']), opensAt: z.string(), closesAt: z.string(), definition: VoteDefinition }),
  keys: z.object({ election: Hex(32), board: Hex(32), issuers: z.record(z.string(), Hex(32)) }),
  manifestSignature: Hex(64),
  trustees: z.array(z.object({ trusteeId: z.string(), publicKey: Hex(32), proof: z.object({ u: z.string(), s: z.string() }) })).min(1),
  issuance: z.array(z.object({ localId: z.string(), eligible: z.number().int().min(0), codesIssued: z.number().int().min(0), tokensIssued: z.number().int().min(0) })),
  ballots: z.array(z.object({ leafIndex: z.number().int().min(0), localId: z.string(), nullifier: Hex(32), trackingCode: Hex(32), ballot: z.unknown() })),
  treeHeads: z.array(z.object({ treeSize: z.number().int().min(0), rootHash: Hex(32), timestamp: z.string(), signature: Hex(64) })).min(1),
  encryptedTotals: z.array(z.object({ questionId: z.string(), localId: z.string(), option: z.number().int().min(0), ballots: z.number().int().min(0), alpha: Hex(32), beta: Hex(32) })),
  decryptions: z.array(z.object({ trusteeId: z.string(), questionId: z.string(), localId: z.string(), option: z.number().int().min(0), share: Hex(32), proof: z.object({ u: z.string(), v: z.string(), s: z.string() }) })),
  results: z.unknown().nullable(),
  /** The official acts (acts.ts), in order. */
  acts: z.array(z.object({
    seq: z.number().int().min(0), at: z.string(), role: z.string(), localId: z.string().nullable(), act: z.enum(ACTS),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), prev: Hex(32), hash: Hex(32), signature: Hex(64).nullable(),
  })),
});
export type ElectionRecord = z.infer<typeof ElectionRecord>;

/** The option indexes of a yes/no question: what each encrypted total counts. */
export const OPTIONS = ['yes', 'no'] as const;

/** The label a total's decryption proofs are bound to. */
export function totalLabel(questionId: string, localId: string, option: number): string {
  return `question:${questionId}/local:${localId}/option:${option}`;
}
