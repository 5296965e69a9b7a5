/**
 * What members and monitors keep, and can bring to any verifier: a member's receipt file and a
 * monitor's witness file. Zod-free types (the voting page writes receipts); record.ts has their
 * schemas, and the verifier checks them against the final record (`--receipts`, `--witness`).
 */

import { canonicalJson } from './canonical.ts';

export const RECEIPT_FILE_FORMAT = 'union-vote/receipt/v2';
export const WITNESS_FILE_FORMAT = 'union-vote/witness/v2';
export const SPOILED_EVIDENCE_FORMAT = 'union-vote/spoiled-evidence/v1';
export const PROMISE_FILE_FORMAT = 'union-vote/ballot-promise/v1';

/** The bytes the board signs (statement kind "spoiled-ballot") when it publishes an opened ballot. */
export function spoiledStatementBytes(spoiled: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(spoiled));
}

/**
 * What a member who checked a ballot keeps (the checker offers it): the opened ballot and the board's
 * signature over it. A record that leaves out an opening the board signed fails `member-checks`.
 */
export interface SpoiledEvidenceFile {
  format: typeof SPOILED_EVIDENCE_FORMAT;
  fingerprint: string;
  spoiled: unknown;
  signature: string;
}

/**
 * How long after the manifest's closing time the box may still change (the close is run by a timer
 * that fires every minute or so, and clocks differ a little). After it, by a monitor's own clock, the
 * box must be final.
 */
export const CLOSING_GRACE_MS = 5 * 60_000;

export interface SignedTreeHeadFields {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
}

/**
 * A member's receipt, as downloaded after casting: the board's signed receipt, and the signed tree
 * head and inclusion proof of the moment of casting, which show the ballot (by its leaf hash) was in
 * the box the board had signed. The fingerprint is the vote's, from the member's letter.
 */
export interface ReceiptFile {
  format: typeof RECEIPT_FILE_FORMAT;
  fingerprint: string;
  receipt: { voteId: string; localId: string; trackingCode: string; leafIndex: number; issuedAt: string; signature: string };
  leafHash: string;
  treeHead: SignedTreeHeadFields;
  inclusionProof: string[];
}

/**
 * What a member keeps when the receipt does not come: the board's signed promise that the ballot with
 * this tracking code, in this local, goes into the box with the batch ending at `batchEndsAt`, by
 * `sequencedBy` at the latest (crypto receipt.ts `BallotPromise`). A final box without that ballot
 * is the board's fault, in its own hand (`receipts`, given with the receipts).
 */
export interface PromiseFile {
  format: typeof PROMISE_FILE_FORMAT;
  fingerprint: string;
  promise: { voteId: string; localId: string; trackingCode: string; batchEndsAt: string; sequencedBy: string; signature: string };
}

/** The file a member keeps of a promise, with the fingerprint from their letter. */
export function promiseFileOf(promise: PromiseFile['promise'], fingerprint: string): PromiseFile {
  const { voteId, localId, trackingCode, batchEndsAt, sequencedBy, signature } = promise;
  return { format: PROMISE_FILE_FORMAT, fingerprint, promise: { voteId, localId, trackingCode, batchEndsAt, sequencedBy, signature } };
}

/** One head a monitor checked and cosigned (crypto witness.ts, without the vote id), with the acts and issuance log as it saw them. */
export interface CosignedHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  headSignature: string;
  actsSize: number;
  actsHead: string;
  issuanceSize: number;
  issuanceHead: string;
  closed: boolean;
  witnessKey: string;
  seenAt: string;
  signature: string;
}

/** A monitor's own copy of every head it cosigned, kept apart from the server. */
export interface WitnessFile {
  format: typeof WITNESS_FILE_FORMAT;
  voteId: string;
  fingerprint: string;
  server: string;
  witnessKey: string;
  heads: CosignedHead[];
}
