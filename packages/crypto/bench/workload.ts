/** Shared by the benchmark and its worker threads: the vote, its key, and ballot generation. */
import { exampleVotes } from '@union-vote/election';
import { G, ballotToJson, encryptBallot, mulSecret, randomBytes, scalarFromHex, type BallotContext } from '../src/index.ts';

// A fixed (bench-only) election key, so cached ballots stay valid across runs.
export const SECRET = scalarFromHex('1d5f4e3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d05');
export const PUBLIC = mulSecret(G, SECRET);
export const VOTE = 'bench-ratify';
export const QUESTION = { id: 'basic-agreement', options: 2, blankAllowed: false };

/** The 13 locals of the Basic Agreement example; ballot i is cast in local i mod 13. */
export const LOCALS = exampleVotes.ratifyBasicAgreement.locals.map((l) => l.id);
export const localFor = (i: number) => LOCALS[i % LOCALS.length]!;

/** Where generated ballots are kept between runs (v2: each ballot names its local). */
export const cacheName = (n: number) => `ballots-v2-${n}.jsonl`;

export function contextFor(nullifier: Uint8Array, publicKey = PUBLIC, localId = LOCALS[0]!): BallotContext {
  return { voteId: VOTE, localId, publicKey, nullifier, questions: [QUESTION] };
}

/** One honest yes/no ballot as JSON text, cast in local `localFor(i)`. */
export function makeBallot(i: number): string {
  const choice = i % 5 < 3 ? [1, 0] : [0, 1];
  return JSON.stringify(ballotToJson(encryptBallot({ [QUESTION.id]: choice }, contextFor(randomBytes(32), PUBLIC, localFor(i)))));
}
