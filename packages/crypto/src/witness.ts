/**
 * Witness cosignatures of signed tree heads: what a monitor signs, with its own Ed25519 key
 * (RFC 8032), after checking that a head the board showed it is consistent (RFC 9162 §2.1.4) with
 * every head it saw before — the "witness" of transparency logs (C2SP tlog-witness; RFC 9162 §8.2
 * on gossip). Monitors keep their own copies; a board that later rewrites its log, backdates a head
 * or shows two monitors two different logs is contradicted by a head it signed and a monitor
 * countersigned.
 *
 * With the head, the monitor cosigns the heads of the vote's two other signed chains as it saw them
 * (the official acts and the issuance log: their size and last hash), and whether the board said the
 * vote was closed: acts or codes written into the past, or ballots added after the close, then
 * contradict a cosignature too.
 *
 * Canonical message: frame("union-vote/v2/cosignature", vote, treeSize (u64 big-endian), rootHash
 * (32 bytes), timestamp (the head's, text), headSignature (64 bytes), actsSize (u64), actsHead (32
 * bytes), issuanceSize (u64), issuanceHead (32 bytes), closed ("1" or "0"), seenAt (when the monitor
 * checked it, ISO-8601 UTC, text)).
 *
 * Flow:
 *   1. (monitor) fetch the head, verify the board's signature and a consistency proof from the last
 *      head it cosigned; cosignTreeHead(head, now, monitorKey).
 *   2. (monitor) keep the cosigned head in its own file; post it to the board.
 *   3. (verifier) verifyCosignature, then compare the head with the final log (verifier).
 */
import { frame, fromHex, toHex, u64, utf8ToBytes } from './bytes.ts';
import { fail } from './errors.ts';
import { signMessage, signatureFromHex, signingKeyFromSecret, verifyMessage } from './signature.ts';
import type { SignedTreeHead } from './tree-head.ts';

export interface Cosignature {
  readonly voteId: string;
  readonly treeSize: number;
  readonly rootHash: string;
  /** The head's own time, as the board signed it. */
  readonly timestamp: string;
  /** The board's signature over the head. */
  readonly headSignature: string;
  /** The official acts as the monitor saw them: how many, and the last one's hash (64 zeros for none). */
  readonly actsSize: number;
  readonly actsHead: string;
  /** The issuance log likewise. */
  readonly issuanceSize: number;
  readonly issuanceHead: string;
  /** Whether the board said the vote was closed (or tallied). */
  readonly closed: boolean;
  /** The monitor's Ed25519 public key (hex). */
  readonly witnessKey: string;
  /** When the monitor checked the head (ISO-8601 UTC). */
  readonly seenAt: string;
  readonly signature: string;
}

export function cosignatureMessage(c: Omit<Cosignature, 'signature' | 'witnessKey'>): Uint8Array {
  if (typeof c.voteId !== 'string' || c.voteId.length === 0) fail('invalid_input', 'cosignature.voteId must be a non-empty string');
  for (const [name, t] of [['timestamp', c.timestamp], ['seenAt', c.seenAt]] as const) {
    if (typeof t !== 'string' || Number.isNaN(Date.parse(t))) fail('invalid_input', `cosignature.${name} must be an ISO-8601 time`);
  }
  if (typeof c.closed !== 'boolean') fail('invalid_input', 'cosignature.closed must be true or false');
  return frame('union-vote/v2/cosignature', [
    ['vote', utf8ToBytes(c.voteId)],
    ['treeSize', u64(c.treeSize)],
    ['rootHash', fromHex(c.rootHash, 32, 'cosignature.rootHash')],
    ['timestamp', utf8ToBytes(c.timestamp)],
    ['headSignature', fromHex(c.headSignature, 64, 'cosignature.headSignature')],
    ['actsSize', u64(c.actsSize)],
    ['actsHead', fromHex(c.actsHead, 32, 'cosignature.actsHead')],
    ['issuanceSize', u64(c.issuanceSize)],
    ['issuanceHead', fromHex(c.issuanceHead, 32, 'cosignature.issuanceHead')],
    ['closed', utf8ToBytes(c.closed ? '1' : '0')],
    ['seenAt', utf8ToBytes(c.seenAt)],
  ]);
}

/** The heads of the vote's other chains (acts, issuance log) and its state, as a monitor saw them with a tree head. */
export interface ChainsSeen {
  actsSize: number;
  actsHead: string;
  issuanceSize: number;
  issuanceHead: string;
  closed: boolean;
}

/** (Monitor) Cosigns a head it has checked; `witnessSecretKey` is the monitor's Ed25519 seed. */
export function cosignTreeHead(head: SignedTreeHead, chains: ChainsSeen, seenAt: string, witnessSecretKey: Uint8Array): Cosignature {
  const body = { voteId: head.voteId, treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, headSignature: head.signature, ...chains, seenAt };
  const key = signingKeyFromSecret(witnessSecretKey);
  return { ...body, witnessKey: toHex(key.publicKey), signature: toHex(signMessage(witnessSecretKey, cosignatureMessage(body))) };
}

/** (Anyone) True if the monitor's key signed exactly this cosignature. */
export function verifyCosignature(c: Cosignature): boolean {
  try {
    return verifyMessage(fromHex(c.witnessKey, 32, 'witnessKey'), cosignatureMessage(c), signatureFromHex(c.signature));
  } catch {
    return false;
  }
}
