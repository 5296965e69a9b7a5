/**
 * The election record: everything a third party needs to verify a vote, in one JSON document.
 * Specified in docs/election-record.md. The structure is checked here with zod, strictly: every
 * object has exactly its documented fields (an unknown one is an error naming its path), every byte
 * string its length in lower-case hex. Every cryptographic value inside is then decoded strictly by
 * @union-vote/crypto.
 */
import { z } from 'zod';
import { ACTS } from './acts.ts';
import { VoteDefinition } from './definition.ts';
import { ISSUANCE_KINDS } from './issuance.ts';
import { MANIFEST_FORMAT, manifestFingerprint, type Manifest } from './manifest.ts';
import { FIRST_PREV, chainHash } from './chain.ts';
import { PROMISE_FILE_FORMAT, RECEIPT_FILE_FORMAT, SPOILED_EVIDENCE_FORMAT, WITNESS_FILE_FORMAT } from './evidence.ts';

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`);
const Count = z.number().int().min(0);
const Time = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'an ISO-8601 UTC time').refine((t) => !Number.isNaN(Date.parse(t)), 'a real date and time');
const Id = z.string().min(1).max(200);

export const RECORD_FORMAT = 'union-vote/election-record/v2';

/** A ballot exactly as ballotToJson writes it (its points are decoded with the proofs). */
const Proof = z.strictObject({
  commitments: z.array(z.strictObject({ a: Hex(32), b: Hex(32) })).min(1).max(16),
  challenges: z.array(Hex(32)).min(1).max(16),
  responses: z.array(Hex(32)).min(1).max(16),
});
export const BallotJson = z.strictObject({
  voteId: Id,
  localId: Id,
  nullifier: Hex(32),
  questions: z.array(z.strictObject({
    questionId: Id,
    choices: z.array(z.strictObject({ ciphertext: z.strictObject({ alpha: Hex(32), beta: Hex(32) }), proof: Proof })).min(1).max(64),
    sumProof: Proof.nullable(),
  })).min(1).max(64),
});

/** A ballot opened by its member's check (crypto challenge.ts): never counted. */
export const SpoiledBallotJson = z.strictObject({
  voteId: Id,
  commitment: Hex(32),
  questions: z.array(z.strictObject({
    questionId: Id,
    choices: z.array(z.strictObject({ ciphertext: z.strictObject({ alpha: Hex(32), beta: Hex(32) }), value: z.union([z.literal(0), z.literal(1)]), randomness: Hex(32) })).min(1).max(64),
  })).min(1).max(64),
});

/** The trustees' key ceremony (dkg.ts), as sealed into the manifest. */
export const DkgJson = z.strictObject({
  threshold: z.number().int().min(1).max(32),
  joins: z.array(z.strictObject({ trusteeId: Id, signingKey: Hex(32), shareKey: Hex(32), signature: Hex(64) })).max(32),
  deals: z.array(z.strictObject({
    dealer: Id, commitments: z.array(Hex(32)).max(32), proofs: z.array(z.strictObject({ u: Hex(32), s: Hex(32) })).max(32),
    shares: z.array(z.strictObject({ recipient: Id, enc: Hex(32), ciphertext: z.string().regex(/^[0-9a-f]{2,256}$/, 'hex') })).max(32), signature: Hex(64),
  })).max(32),
  checks: z.array(z.strictObject({
    trusteeId: Id, complaints: z.array(z.strictObject({ dealer: Id, reason: z.enum(['wrong share', 'share does not open', 'no share']) })).max(32), signature: Hex(64),
  })).max(32),
  answers: z.array(z.strictObject({ dealer: Id, recipient: Id, share: Hex(32), signature: Hex(64) })).max(1024),
  qualified: z.array(Id).min(1).max(32),
});

export const ManifestJson = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  voteId: Id,
  /** Parsed with the definition's own schema; the verifier also checks it is exactly what was given. */
  definition: VoteDefinition,
  eligible: z.record(z.string(), Count),
  keys: z.strictObject({ election: Hex(32), board: Hex(32), issuers: z.record(z.string(), Hex(32)) }),
  trustees: z.array(z.strictObject({
    trusteeId: Id, publicKey: Hex(32), proof: z.strictObject({ u: Hex(32), s: Hex(32) }).optional(), signingKey: Hex(32), registration: Hex(64),
  })).min(1).max(100),
  dkg: DkgJson.optional(),
});

export const SignedTreeHeadJson = z.strictObject({ treeSize: Count, rootHash: Hex(32), timestamp: Time, signature: Hex(64) });

/** A monitor's cosignature of a signed tree head (crypto witness.ts). */
export const CosignatureJson = z.strictObject({
  treeSize: Count, rootHash: Hex(32), timestamp: Time, headSignature: Hex(64),
  actsSize: Count, actsHead: Hex(32), issuanceSize: Count, issuanceHead: Hex(32), closed: z.boolean(),
  witnessKey: Hex(32), seenAt: Time, signature: Hex(64),
});

export const ElectionRecord = z.strictObject({
  format: z.literal(RECORD_FORMAT),
  status: z.enum(['closed', 'tallied']),
  manifest: ManifestJson,
  /** The board's signature over the manifest (statement kind "manifest"). */
  manifestSignature: Hex(64),
  /** Each trustee's signature over the manifest (statement kind "manifest-approval"). */
  approvals: z.array(z.strictObject({ trusteeId: Id, signature: Hex(64) })),
  acts: z.array(z.strictObject({
    seq: Count, at: Time, role: z.string().max(40), localId: z.string().max(200).nullable(), act: z.enum(ACTS),
    details: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])), prev: Hex(32), hash: Hex(32), signature: Hex(64).nullable(),
  })),
  issuanceLog: z.array(z.strictObject({
    seq: Count, at: Time, localId: Id, kind: z.enum(ISSUANCE_KINDS), pseudonyms: z.array(z.string().max(64)), prev: Hex(32), hash: Hex(32), signature: Hex(64),
  })),
  ballots: z.array(z.strictObject({ leafIndex: Count, localId: Id, nullifier: Hex(32), trackingCode: Hex(32), ballot: BallotJson })),
  treeHeads: z.array(SignedTreeHeadJson).min(1),
  /** Ballots opened by members who checked them, in commitment order; the `vote closed` act fixes them. */
  spoiled: z.array(SpoiledBallotJson),
  cosignatures: z.array(CosignatureJson),
  encryptedTotals: z.array(z.strictObject({ questionId: Id, localId: Id, option: Count, ballots: Count, alpha: Hex(32), beta: Hex(32) })),
  decryptions: z.array(z.strictObject({
    trusteeId: Id, questionId: Id, localId: Id, option: Count, share: Hex(32), proof: z.strictObject({ u: Hex(32), v: Hex(32), s: Hex(32) }),
  })),
  /** The published results (results.ts), or null before the tally; the verifier recomputes them. */
  results: z.unknown().nullable(),
});
export type ElectionRecord = z.infer<typeof ElectionRecord>;

/**
 * What the `vote closed` act says of the spoiled ballots, so that the trustees' decryptions (bound to
 * that act) fix them: their number and a hash over them in commitment order. A spoiled ballot that
 * showed a cheating page cannot be dropped from the record afterwards.
 */
export function spoiledSummary(spoiled: readonly { commitment: string }[]): { spoiledBallots: number; spoiledDigest: string } {
  const sorted = [...spoiled].sort((a, b) => (a.commitment < b.commitment ? -1 : a.commitment > b.commitment ? 1 : 0));
  return { spoiledBallots: sorted.length, spoiledDigest: chainHash('union-vote/spoiled/v1', '', { spoiled: sorted }) };
}

export const SpoiledEvidenceJson = z.strictObject({
  format: z.literal(SPOILED_EVIDENCE_FORMAT),
  fingerprint: z.string().max(64),
  spoiled: SpoiledBallotJson,
  signature: Hex(64),
});

/** The option indexes of a yes/no question: what each encrypted total counts. */
export const OPTIONS = ['yes', 'no'] as const;

/** The label a total's decryption proofs are bound to. */
export function totalLabel(questionId: string, localId: string, option: number): string {
  return `question:${questionId}/local:${localId}/option:${option}`;
}

export const ReceiptFileJson = z.strictObject({
  format: z.literal(RECEIPT_FILE_FORMAT),
  fingerprint: z.string().max(64),
  receipt: z.strictObject({ voteId: Id, localId: Id, trackingCode: Hex(32), leafIndex: Count, issuedAt: Time, signature: Hex(64) }),
  leafHash: Hex(32),
  treeHead: SignedTreeHeadJson,
  inclusionProof: z.array(Hex(32)).max(64),
});

export const PromiseFileJson = z.strictObject({
  format: z.literal(PROMISE_FILE_FORMAT),
  fingerprint: z.string().max(64),
  promise: z.strictObject({ voteId: Id, localId: Id, trackingCode: Hex(32), batchEndsAt: Time, sequencedBy: Time, signature: Hex(64) }),
});

export const WitnessFileJson = z.strictObject({
  format: z.literal(WITNESS_FILE_FORMAT),
  voteId: Id,
  fingerprint: z.string().max(64),
  server: z.string().max(2000),
  witnessKey: Hex(32),
  heads: z.array(CosignatureJson),
});

/**
 * What the trustees' decryptions are bound to: the vote's fingerprint, the final ballot box (size
 * and root of its last signed head), the official acts up to the close and the rulings on challenged
 * ballots after it (the hash of the last of them, `closedActOf`) and the whole issuance log (its last hash). A box, an eligible count or a code
 * changed after the trustees decrypted no longer matches their proofs, and only they could redo them.
 */
export interface Closing {
  fingerprint: string;
  treeSize: number;
  rootHash: string;
  closedAct: string;
  issuanceHead: string;
}

export function closingDigest(c: Closing): string {
  return chainHash('union-vote/closing/v1', '', { fingerprint: c.fingerprint, treeSize: c.treeSize, rootHash: c.rootHash, closedAct: c.closedAct, issuanceHead: c.issuanceHead });
}

/**
 * The act the decryptions are bound to: the `vote closed` act, or the last ruling on a challenged
 * ballot (challenges.ts) or paper count (paper.ts) after it, before any decryption. A ruling or count
 * changed, added or dropped after the trustees decrypted no longer matches their proofs.
 */
export function closedActOf(acts: readonly { act: string; hash: string }[]): string {
  let bound = '';
  for (const a of acts) {
    if (a.act === 'decryptions submitted') break;
    if (a.act === 'vote closed' || (bound && (a.act === 'challenge ruled' || a.act === 'paper ballots counted'))) bound = a.hash;
  }
  return bound;
}

/** The closing of a record, as the verifier and the trustees read it. */
export function closingOf(r: Pick<ElectionRecord, 'manifest' | 'treeHeads' | 'acts' | 'issuanceLog'>): Closing {
  const head = r.treeHeads.at(-1);
  return {
    fingerprint: manifestFingerprint(r.manifest as Manifest),
    treeSize: head?.treeSize ?? 0,
    rootHash: head?.rootHash ?? '',
    closedAct: closedActOf(r.acts),
    issuanceHead: r.issuanceLog.at(-1)?.hash ?? FIRST_PREV,
  };
}

/** The label a trustee's share of a total is proven under: the total, and the closing it was decrypted at. */
export function decryptionLabel(questionId: string, localId: string, option: number, closing: string): string {
  return `${totalLabel(questionId, localId, option)}/closing:${closing}`;
}
