/**
 * Fiat-Shamir transcripts (the "strong" Fiat-Shamir of Bernhard, Pereira, Warinschi, "How not to
 * prove yourself", ASIACRYPT 2012): the challenge hashes the whole statement, not just the
 * commitments.
 *
 * A transcript is a domain tag plus labelled, length-prefixed fields hashed with SHA-512 and
 * reduced to a scalar. Callers put in everything that gives a proof its meaning: vote id,
 * question id, public key, token nullifier, the ciphertext and the commitments. A proof made for
 * one vote, question or token therefore yields another challenge anywhere else and fails there.
 */
import { frame, utf8ToBytes } from './bytes.ts';
import { hashToScalar, pointToBytes, scalarToBytes, type Point, type Scalar } from './group.ts';

export const PROTOCOL = 'union-vote/v1';

export class Transcript {
  private readonly fields: Array<readonly [string, Uint8Array]> = [];
  constructor(private readonly domain: string) {}

  bytes(label: string, value: Uint8Array): this {
    this.fields.push([label, value]);
    return this;
  }
  text(label: string, value: string): this {
    return this.bytes(label, utf8ToBytes(value));
  }
  point(label: string, value: Point): this {
    return this.bytes(label, pointToBytes(value));
  }
  points(label: string, values: readonly Point[]): this {
    values.forEach((p, i) => this.point(`${label}[${i}]`, p));
    return this;
  }
  scalar(label: string, value: Scalar): this {
    return this.bytes(label, scalarToBytes(value));
  }
  /** The challenge scalar: SHA-512 of the framed transcript, reduced mod ℓ. */
  challenge(): Scalar {
    return hashToScalar(frame(`${PROTOCOL}/${this.domain}`, this.fields));
  }
}
