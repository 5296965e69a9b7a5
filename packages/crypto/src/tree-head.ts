/**
 * Signed tree heads: the board's Ed25519 signature over (vote id, tree size, root hash, time),
 * as RFC 9162 §4.10 signs a log's state. Monitors keep the heads they have seen and demand
 * consistency proofs between them: two heads that cannot be reconciled are proof of a rewritten
 * ballot box, signed by the board itself.
 */
import { fail } from './errors.ts';
import { frame, fromHex, toHex, u64, utf8ToBytes } from './bytes.ts';
import { signMessage, signatureFromHex, verifyMessage, type Sign } from './signature.ts';

export interface TreeHeadBody {
  readonly voteId: string;
  readonly treeSize: number;
  /** Hex SHA-256 root (merkle.ts rootHash). */
  readonly rootHash: string;
  /** ISO-8601 UTC with milliseconds. */
  readonly timestamp: string;
}
export interface SignedTreeHead extends TreeHeadBody {
  readonly signature: string;
}

export function treeHeadMessage(h: TreeHeadBody): Uint8Array {
  if (typeof h.voteId !== 'string' || h.voteId.length === 0) fail('invalid_input', 'treeHead.voteId must be a non-empty string');
  if (typeof h.timestamp !== 'string' || Number.isNaN(Date.parse(h.timestamp))) fail('invalid_input', 'treeHead.timestamp must be an ISO-8601 time');
  return frame('union-vote/v1/tree-head', [
    ['vote', utf8ToBytes(h.voteId)],
    ['treeSize', u64(h.treeSize)],
    ['rootHash', fromHex(h.rootHash, 32, 'treeHead.rootHash')],
    ['timestamp', utf8ToBytes(h.timestamp)],
  ]);
}

/** (Server-side) Signs the current state of a vote's log. */
export function signTreeHead(body: TreeHeadBody, boardSecretKey: Uint8Array, sign: Sign = signMessage): SignedTreeHead {
  const { voteId, treeSize, rootHash, timestamp } = body;
  return { voteId, treeSize, rootHash, timestamp, signature: toHex(sign(boardSecretKey, treeHeadMessage(body))) };
}

export function verifyTreeHead(head: SignedTreeHead, boardPublicKey: Uint8Array): boolean {
  try {
    return verifyMessage(boardPublicKey, treeHeadMessage(head), signatureFromHex(head.signature));
  } catch {
    return false;
  }
}
