/**
 * Encrypted ballots: ElGamal ciphertexts of 0/1 per option, each proven to hold 0 or 1, and the
 * question's sum proven to be exactly 1 (or 0 or 1 where a blank is allowed). This is the
 * Helios/ElectionGuard ballot shape (ElectionGuard 2.0 spec, §3.3 "Ballot encryption") with one
 * saving: where exactly one option must be chosen, the last option's ciphertext is not sent but
 * derived as Enc(1; 0) − Σ others, so its sum is exactly 1 by construction and a yes/no question
 * needs one ciphertext and one 0/1 proof instead of two ciphertexts and three proofs. Where the
 * explicit ciphertexts are more than one, their sum is proven to be 0 or 1.
 *
 * Every proof's Fiat-Shamir transcript holds the vote id, the local, the question id, the option
 * index, the joint public key and the token nullifier (DESIGN.md property 6), so a ballot copied
 * into another vote, moved to another local or question, or replayed under another token no longer
 * verifies. The local is also a field of the ballot itself, so it is in the tracking code, the log
 * leaf and the receipt: a ballot moved between locals (which can flip a winner-take-all local's
 * delegates) breaks its proofs and every member's receipt for it.
 *
 * The encodings (canonical bytes, JSON, strict decoding) are in ballot-encoding.ts.
 *
 * Flow:
 *   1. (client) prepareBallot(choices) → ciphertexts (committed to, and possibly opened, by
 *      challenge.ts), then proveBallot(prepared, context) → EncryptedBallot; encryptBallot does both
 *   2. (client) ballotToJson → sent to the server with the token
 *   3. (server, verifier) ballotFromJson (strict decoding) → verifyBallot / verifyBallots (batched)
 *   4. trackingCode(ballot): SHA-256 of the canonical bytes, shown to the member and signed in
 *      the receipt.
 */
import { fail } from './errors.ts';
import { toHex, u32 } from './bytes.ts';
import { Equations } from './equations.ts';
import { encrypt, sumCiphertexts, type Ciphertext, type CiphertextJson } from './elgamal.ts';
import { G, addS, type Point, type Scalar } from './group.ts';
import { proveOneOf, verifyOneOf, type OneOfProof, type OneOfProofJson } from './proofs.ts';
import { Transcript } from './transcript.ts';

/** What the crypto needs to know of a question. */
export interface QuestionShape {
  readonly id: string;
  /** Number of options (2 for yes/no). */
  readonly options: number;
  /** May the member select no option? */
  readonly blankAllowed: boolean;
}

export interface BallotContext {
  readonly voteId: string;
  /** The local whose issuer key made the token; bound into every proof. */
  readonly localId: string;
  /** The trustees' joint public key. */
  readonly publicKey: Point;
  /** The token nullifier this ballot is cast under (32 bytes). */
  readonly nullifier: Uint8Array;
  readonly questions: readonly QuestionShape[];
}

export interface EncryptedChoice {
  readonly ciphertext: Ciphertext;
  readonly proof: OneOfProof;
}
export interface EncryptedQuestion {
  readonly questionId: string;
  /** The explicit choices: all options if a blank is allowed, else all but the last. */
  readonly choices: readonly EncryptedChoice[];
  /** Proof that the explicit choices sum to 0 or 1; null when there is only one. */
  readonly sumProof: OneOfProof | null;
}
export interface EncryptedBallot {
  readonly voteId: string;
  readonly localId: string;
  readonly nullifier: Uint8Array;
  readonly questions: readonly EncryptedQuestion[];
}

export interface EncryptedBallotJson {
  voteId: string;
  localId: string;
  nullifier: string;
  questions: {
    questionId: string;
    choices: { ciphertext: CiphertextJson; proof: OneOfProofJson }[];
    sumProof: OneOfProofJson | null;
  }[];
}

export const MAX_QUESTIONS = 64;
/** Domains of the ballot's canonical bytes and of its log leaf (v2: the local is part of the ballot). */
export const BALLOT_DOMAIN = 'union-vote/v2/ballot';
export const LEAF_DOMAIN = 'union-vote/v2/leaf';
export const MAX_OPTIONS = 64;

export type VerifyResult = { ok: true } | { ok: false; reason: string };

const ZERO_OR_ONE = [0, 1] as const;

/** How many ciphertexts a ballot carries for a question (the last option may be derived). */
export function explicitChoices(shape: QuestionShape): number {
  return shape.blankAllowed ? shape.options : shape.options - 1;
}

/**
 * All `options` ciphertexts of one answered question, deriving the last one where it is implicit.
 * The tally sums these.
 */
export function questionCiphertexts(q: EncryptedQuestion, shape: QuestionShape): Ciphertext[] {
  const explicit = q.choices.map((c) => c.ciphertext);
  if (shape.blankAllowed) return explicit;
  const sum = sumCiphertexts(explicit);
  return [...explicit, { alpha: sum.alpha.negate(), beta: G.subtract(sum.beta) }];
}

function checkShape(shape: QuestionShape): void {
  if (!Number.isSafeInteger(shape.options) || shape.options < 2 || shape.options > MAX_OPTIONS) {
    fail('invalid_input', `question ${shape.id} must have 2 to ${MAX_OPTIONS} options`);
  }
}

function choiceTranscript(ctx: BallotContext, questionId: string, option: number): Transcript {
  return new Transcript('ballot/choice')
    .text('vote', ctx.voteId).text('local', ctx.localId).text('question', questionId).bytes('option', u32(option)).bytes('nullifier', ctx.nullifier);
}
function sumTranscript(ctx: BallotContext, questionId: string): Transcript {
  return new Transcript('ballot/sum').text('vote', ctx.voteId).text('local', ctx.localId).text('question', questionId).bytes('nullifier', ctx.nullifier);
}

/** One option's ciphertext with what made it: the plaintext (0/1) and the randomness. Secret. */
export interface SealedChoice {
  readonly ciphertext: Ciphertext;
  readonly value: 0 | 1;
  readonly r: Scalar;
}
/**
 * A ballot encrypted but not yet proven: the ciphertexts of its explicit choices and, kept secret on
 * the phone, their plaintexts and randomness. Either proven and cast (proveBallot) or opened and
 * spoiled (challenge.ts), never both.
 */
export interface PreparedBallot {
  readonly voteId: string;
  readonly questions: readonly { readonly questionId: string; readonly choices: readonly SealedChoice[] }[];
}

/**
 * (Client-side) Encrypts a member's choices without proofs: `choices[questionId]` is a 0/1 vector
 * with one entry per option, e.g. `[1, 0]` for yes, `[0, 1]` for no, `[0, 0]` for a blank where
 * allowed. Nothing here depends on the token: the ciphertexts can be committed to, and then either
 * proven under the token (cast) or opened (a Benaloh challenge) without the token ever showing.
 */
export function prepareBallot(choices: Readonly<Record<string, readonly number[]>>, ctx: Pick<BallotContext, 'voteId' | 'publicKey' | 'questions'>): PreparedBallot {
  const questions = ctx.questions.map((q) => {
    const selected = choices[q.id];
    if (!selected) fail('invalid_input', `no choice given for question ${q.id}`);
    if (selected.length !== q.options) fail('invalid_input', `question ${q.id} has ${q.options} options, got ${selected.length}`);
    const total = selected.reduce((a, b) => a + b, 0);
    if (selected.some((v) => v !== 0 && v !== 1) || total > 1 || (total === 0 && !q.blankAllowed)) {
      fail('invalid_input', `question ${q.id} needs exactly one option selected${q.blankAllowed ? ' or none' : ''}`);
    }
    checkShape(q);
    const explicit = selected.slice(0, explicitChoices(q)) as (0 | 1)[];
    return { questionId: q.id, choices: explicit.map((value): SealedChoice => ({ ...encrypt(value, ctx.publicKey), value })) };
  });
  return { voteId: ctx.voteId, questions };
}

/**
 * (Client-side) Proves a prepared ballot under the token it is cast with: each ciphertext holds 0
 * or 1, and each question's explicit choices sum to 0 or 1, every proof bound to the vote, local,
 * question and nullifier. The ciphertexts are the prepared ones, unchanged.
 */
export function proveBallot(prepared: PreparedBallot, ctx: BallotContext): EncryptedBallot {
  if (ctx.nullifier.length !== 32) fail('invalid_input', 'nullifier must be 32 bytes');
  if (prepared.voteId !== ctx.voteId) fail('invalid_input', `the ballot was prepared for vote ${prepared.voteId}, not ${ctx.voteId}`);
  if (prepared.questions.length !== ctx.questions.length || prepared.questions.some((q, i) => q.questionId !== ctx.questions[i]!.id)) {
    fail('invalid_input', 'the ballot was prepared for other questions than the local answers');
  }
  const questions = prepared.questions.map((q): EncryptedQuestion => {
    let rSum = 0n;
    let total = 0;
    const encrypted = q.choices.map((c, option): EncryptedChoice => {
      rSum = addS(rSum, c.r);
      total += c.value;
      return { ciphertext: c.ciphertext, proof: proveOneOf(c.ciphertext, c.r, c.value, ZERO_OR_ONE, ctx.publicKey, choiceTranscript(ctx, q.questionId, option)) };
    });
    let sumProof: OneOfProof | null = null;
    if (encrypted.length > 1) {
      const sum = sumCiphertexts(encrypted.map((c) => c.ciphertext));
      sumProof = proveOneOf(sum, rSum, total, ZERO_OR_ONE, ctx.publicKey, sumTranscript(ctx, q.questionId));
    }
    return { questionId: q.questionId, choices: encrypted, sumProof };
  });
  return { voteId: ctx.voteId, localId: ctx.localId, nullifier: ctx.nullifier, questions };
}

/** (Client-side) Encrypts and proves a member's choices in one step (prepareBallot, then proveBallot). */
export function encryptBallot(choices: Readonly<Record<string, readonly number[]>>, ctx: BallotContext): EncryptedBallot {
  if (ctx.nullifier.length !== 32) fail('invalid_input', 'nullifier must be 32 bytes');
  return proveBallot(prepareBallot(choices, ctx), ctx);
}

/** Adds the ballot's equations to `eq`; returns a reason if the ballot is malformed. */
function addBallotEquations(ballot: EncryptedBallot, ctx: BallotContext, eq: Equations): string | null {
  if (ballot.voteId !== ctx.voteId) return `ballot is for vote ${ballot.voteId}, not ${ctx.voteId}`;
  if (ballot.localId !== ctx.localId) return `ballot is for local ${ballot.localId}, not ${ctx.localId}`;
  if (toHex(ballot.nullifier) !== toHex(ctx.nullifier)) return 'ballot nullifier does not match its token';
  if (ballot.questions.length !== ctx.questions.length) return `ballot answers ${ballot.questions.length} questions, the vote has ${ctx.questions.length}`;
  for (let i = 0; i < ctx.questions.length; i++) {
    const shape = ctx.questions[i]!;
    const q = ballot.questions[i]!;
    if (q.questionId !== shape.id) return `question ${i} is ${q.questionId}, expected ${shape.id}`;
    const expected = explicitChoices(shape);
    if (q.choices.length !== expected) return `question ${shape.id} has ${q.choices.length} encrypted choices, expected ${expected}`;
    if ((q.sumProof === null) !== (expected === 1)) return `question ${shape.id} ${expected === 1 ? 'must not' : 'must'} carry a sum proof`;
    for (let option = 0; option < q.choices.length; option++) {
      const c = q.choices[option]!;
      if (!verifyOneOf(c.ciphertext, c.proof, ZERO_OR_ONE, ctx.publicKey, choiceTranscript(ctx, shape.id, option), eq)) {
        return `proof that question ${shape.id} option ${option} holds 0 or 1 does not verify`;
      }
    }
    if (q.sumProof) {
      const sum = sumCiphertexts(q.choices.map((c) => c.ciphertext));
      if (!verifyOneOf(sum, q.sumProof, ZERO_OR_ONE, ctx.publicKey, sumTranscript(ctx, shape.id), eq)) {
        return `proof that question ${shape.id} has ${shape.blankAllowed ? 'at most' : 'exactly'} one option selected does not verify`;
      }
    }
  }
  return null;
}

/** (Server, verifier) Verifies every proof of one ballot against its context. */
export function verifyBallot(ballot: EncryptedBallot, ctx: BallotContext): VerifyResult {
  const eq = new Equations().fixedBase(ctx.publicKey);
  const reason = addBallotEquations(ballot, ctx, eq);
  if (reason) return { ok: false, reason };
  return eq.holds() ? { ok: true } : { ok: false, reason: 'ballot proofs do not verify' };
}

/**
 * (Verifier) Verifies many ballots as one batched equation. True means every ballot verifies;
 * false means at least one does not (find which with verifyBallot). Contexts that share a public
 * key should pass the same Point object so that its terms merge.
 */
export function verifyBallots(items: ReadonlyArray<{ ballot: EncryptedBallot; context: BallotContext }>): boolean {
  const eq = new Equations();
  for (const { ballot, context } of items) {
    eq.fixedBase(context.publicKey);
    if (addBallotEquations(ballot, context, eq) !== null) return false;
  }
  return eq.holds();
}
