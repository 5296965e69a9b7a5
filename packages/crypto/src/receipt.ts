/**
 * Receipts (DESIGN.md property 3, "recorded as cast"): the board signs, with Ed25519 (RFC 8032), a
 * canonical encoding of (vote id, local, tracking code, leaf index, time). Casting is in batches:
 * the cast is answered with a signed promise (below), and the receipt is signed when the ballot's
 * batch is sequenced, its time the batch's (never the moment of casting). A member who keeps the
 * receipt (with the signed tree head and inclusion proof of the moment of casting, see the voting
 * client) can show any monitor or verifier that the box held their ballot, in their local, at that
 * leaf; a board that later dropped, replaced or moved the ballot is caught holding its own
 * signature.
 *
 * Canonical message: frame("union-vote/v2/receipt", vote, local, trackingCode (32 bytes),
 * leafIndex (u64 big-endian), issuedAt (ISO-8601 UTC with milliseconds)).
 */
import { fail } from './errors.ts';
import { frame, fromHex, toHex, u64, utf8ToBytes } from './bytes.ts';
import { signMessage, signatureFromHex, verifyMessage, type Sign } from './signature.ts';

export interface ReceiptBody {
  readonly voteId: string;
  /** The local the ballot was cast in (its issuer key made the token). */
  readonly localId: string;
  /** Hex SHA-256 of the ballot (ballot.ts trackingCode). */
  readonly trackingCode: string;
  readonly leafIndex: number;
  /** ISO-8601 UTC, e.g. 2026-11-22T18:00:00.000Z */
  readonly issuedAt: string;
}
export interface Receipt extends ReceiptBody {
  /** Hex Ed25519 signature by the board key. */
  readonly signature: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function receiptMessage(r: ReceiptBody): Uint8Array {
  if (typeof r.voteId !== 'string' || r.voteId.length === 0) fail('invalid_input', 'receipt.voteId must be a non-empty string');
  if (typeof r.issuedAt !== 'string' || !ISO_UTC.test(r.issuedAt) || Number.isNaN(Date.parse(r.issuedAt))) {
    fail('invalid_input', 'receipt.issuedAt must be an ISO-8601 UTC time with milliseconds');
  }
  if (typeof r.localId !== 'string' || r.localId.length === 0) fail('invalid_input', 'receipt.localId must be a non-empty string');
  return frame('union-vote/v2/receipt', [
    ['vote', utf8ToBytes(r.voteId)],
    ['local', utf8ToBytes(r.localId)],
    ['trackingCode', fromHex(r.trackingCode, 32, 'receipt.trackingCode')],
    ['leafIndex', u64(r.leafIndex)],
    ['issuedAt', utf8ToBytes(r.issuedAt)],
  ]);
}

/** (Server-side) Signs a receipt with the board's secret key. */
export function signReceipt(body: ReceiptBody, boardSecretKey: Uint8Array, sign: Sign = signMessage): Receipt {
  const { voteId, localId, trackingCode, leafIndex, issuedAt } = body;
  return { voteId, localId, trackingCode, leafIndex, issuedAt, signature: toHex(sign(boardSecretKey, receiptMessage(body))) };
}

/** (Client-side, verifier) True if the board's key signed exactly this receipt. */
export function verifyReceipt(receipt: Receipt, boardPublicKey: Uint8Array): boolean {
  try {
    return verifyMessage(boardPublicKey, receiptMessage(receipt), signatureFromHex(receipt.signature));
  } catch {
    return false;
  }
}

/**
 * The board's promise for a ballot it has taken into its pool (casting in batches): the ballot
 * with this tracking code, in this local, goes into the box with the batch ending at
 * `batchEndsAt`, sequenced by `sequencedBy` at the latest. The member keeps it until the receipt
 * comes; a ballot promised and missing from the final box is the board's fault, in its own hand.
 *
 * Canonical message: frame("union-vote/v2/ballot-promise", vote, local, trackingCode (32 bytes),
 * batchEndsAt, sequencedBy (ISO-8601 UTC with milliseconds)).
 */
export interface BallotPromiseBody {
  readonly voteId: string;
  readonly localId: string;
  readonly trackingCode: string;
  readonly batchEndsAt: string;
  readonly sequencedBy: string;
}
export interface BallotPromise extends BallotPromiseBody {
  readonly signature: string;
}

export function ballotPromiseMessage(p: BallotPromiseBody): Uint8Array {
  for (const [name, value] of [['voteId', p.voteId], ['localId', p.localId]] as const) {
    if (typeof value !== 'string' || value.length === 0) fail('invalid_input', `promise.${name} must be a non-empty string`);
  }
  for (const [name, value] of [['batchEndsAt', p.batchEndsAt], ['sequencedBy', p.sequencedBy]] as const) {
    if (typeof value !== 'string' || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) fail('invalid_input', `promise.${name} must be an ISO-8601 UTC time with milliseconds`);
  }
  return frame('union-vote/v2/ballot-promise', [
    ['vote', utf8ToBytes(p.voteId)],
    ['local', utf8ToBytes(p.localId)],
    ['trackingCode', fromHex(p.trackingCode, 32, 'promise.trackingCode')],
    ['batchEndsAt', utf8ToBytes(p.batchEndsAt)],
    ['sequencedBy', utf8ToBytes(p.sequencedBy)],
  ]);
}

/** (Server-side) Signs a ballot promise with the board's secret key. */
export function signBallotPromise(body: BallotPromiseBody, boardSecretKey: Uint8Array, sign: Sign = signMessage): BallotPromise {
  const { voteId, localId, trackingCode, batchEndsAt, sequencedBy } = body;
  return { voteId, localId, trackingCode, batchEndsAt, sequencedBy, signature: toHex(sign(boardSecretKey, ballotPromiseMessage(body))) };
}

/** (Client-side, verifier) True if the board's key signed exactly this promise. */
export function verifyBallotPromise(p: BallotPromise, boardPublicKey: Uint8Array): boolean {
  try {
    return verifyMessage(boardPublicKey, ballotPromiseMessage(p), signatureFromHex(p.signature));
  } catch {
    return false;
  }
}
