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
 * Decoding is strict: exactly the documented fields (an unknown one is refused, so the box stores
 * and publishes nothing a member did not sign up to), canonical points, and no ciphertext whose α
 * is the identity (encryption randomness 0: the choice in the clear).
 *
 * Flow:
 *   1. (client) encryptBallot(choices, context) → EncryptedBallot
 *   2. (client) ballotToJson → sent to the server with the token
 *   3. (server, verifier) ballotFromJson (strict decoding) → verifyBallot / verifyBallots (batched)
 *   4. trackingCode(ballot): SHA-256 of the canonical bytes, shown to the member and signed in
 *      the receipt.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fail, onlyKeys } from './errors.ts';
import { concatBytes, fromHex, toHex, u32, utf8ToBytes, lengthPrefixed } from './bytes.ts';
import { Equations } from './equations.ts';
import { ciphertextToJson, encrypt, sumCiphertexts, type Ciphertext, type CiphertextJson } from './elgamal.ts';
import { G, pointFromHex, pointToBytes, scalarToBytes, addS, type Point } from './group.ts';
import { oneOfProofFromJson, oneOfProofToJson, proveOneOf, verifyOneOf, type OneOfProof, type OneOfProofJson } from './proofs.ts';
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

const MAX_QUESTIONS = 64;
/** Domains of the ballot's canonical bytes and of its log leaf (v2: the local is part of the ballot). */
const BALLOT_DOMAIN = 'union-vote/v2/ballot';
const LEAF_DOMAIN = 'union-vote/v2/leaf';
const MAX_OPTIONS = 64;

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

/**
 * (Client-side) Encrypts a member's choices: `choices[questionId]` is a 0/1 vector with one entry
 * per option, e.g. `[1, 0]` for yes, `[0, 1]` for no, `[0, 0]` for a blank where allowed.
 */
export function encryptBallot(choices: Readonly<Record<string, readonly number[]>>, ctx: BallotContext): EncryptedBallot {
  if (ctx.nullifier.length !== 32) fail('invalid_input', 'nullifier must be 32 bytes');
  const questions = ctx.questions.map((q): EncryptedQuestion => {
    const selected = choices[q.id];
    if (!selected) fail('invalid_input', `no choice given for question ${q.id}`);
    if (selected.length !== q.options) fail('invalid_input', `question ${q.id} has ${q.options} options, got ${selected.length}`);
    const total = selected.reduce((a, b) => a + b, 0);
    if (selected.some((v) => v !== 0 && v !== 1) || total > 1 || (total === 0 && !q.blankAllowed)) {
      fail('invalid_input', `question ${q.id} needs exactly one option selected${q.blankAllowed ? ' or none' : ''}`);
    }
    checkShape(q);
    const explicit = selected.slice(0, explicitChoices(q));
    let rSum = 0n;
    const encrypted = explicit.map((v, option): EncryptedChoice => {
      const { ciphertext, r } = encrypt(v, ctx.publicKey);
      rSum = addS(rSum, r);
      return { ciphertext, proof: proveOneOf(ciphertext, r, v, ZERO_OR_ONE, ctx.publicKey, choiceTranscript(ctx, q.id, option)) };
    });
    let sumProof: OneOfProof | null = null;
    if (encrypted.length > 1) {
      const sum = sumCiphertexts(encrypted.map((c) => c.ciphertext));
      const explicitTotal = explicit.reduce((a, b) => a + b, 0);
      sumProof = proveOneOf(sum, rSum, explicitTotal, ZERO_OR_ONE, ctx.publicKey, sumTranscript(ctx, q.id));
    }
    return { questionId: q.id, choices: encrypted, sumProof };
  });
  return { voteId: ctx.voteId, localId: ctx.localId, nullifier: ctx.nullifier, questions };
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

/**
 * Canonical bytes of a ballot: every field, framed and in order. Two ballots have the same bytes
 * only if they are the same ballot, so the hash of these bytes is a tracking code.
 */
export function ballotToBytes(b: EncryptedBallot): Uint8Array {
  const parts: Uint8Array[] = [lengthPrefixed(utf8ToBytes(BALLOT_DOMAIN)), lengthPrefixed(utf8ToBytes(b.voteId)), lengthPrefixed(utf8ToBytes(b.localId)), lengthPrefixed(b.nullifier), u32(b.questions.length)];
  const proofBytes = (p: OneOfProof): Uint8Array[] => [
    u32(p.commitments.length),
    ...p.commitments.flatMap(({ a, b }) => [pointToBytes(a), pointToBytes(b)]),
    ...p.challenges.map(scalarToBytes),
    ...p.responses.map(scalarToBytes),
  ];
  for (const q of b.questions) {
    parts.push(lengthPrefixed(utf8ToBytes(q.questionId)), u32(q.choices.length));
    for (const c of q.choices) parts.push(pointToBytes(c.ciphertext.alpha), pointToBytes(c.ciphertext.beta), ...proofBytes(c.proof));
    if (q.sumProof) parts.push(...proofBytes(q.sumProof));
  }
  return concatBytes(...parts);
}

/** The member's tracking code: SHA-256 of the canonical ballot bytes (hex). */
export function trackingCode(b: EncryptedBallot): string {
  return toHex(sha256(ballotToBytes(b)));
}

export function ballotToJson(b: EncryptedBallot): EncryptedBallotJson {
  return {
    voteId: b.voteId,
    localId: b.localId,
    nullifier: toHex(b.nullifier),
    questions: b.questions.map((q) => ({
      questionId: q.questionId,
      choices: q.choices.map((c) => ({ ciphertext: ciphertextToJson(c.ciphertext), proof: oneOfProofToJson(c.proof) })),
      sumProof: q.sumProof ? oneOfProofToJson(q.sumProof) : null,
    })),
  };
}

/**
 * A ballot ciphertext: both points canonical and neither the identity. α = identity means the
 * randomness was 0 and β = m·G shows the choice to everyone; such a ballot is refused.
 */
function ballotCiphertextFromJson(j: unknown, at: string): Ciphertext {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail('invalid_input', `${at} must be an object`);
  onlyKeys(j, ['alpha', 'beta'], at);
  const o = j as Partial<CiphertextJson>;
  return { alpha: pointFromHex(o.alpha, `${at}.alpha`), beta: pointFromHex(o.beta, `${at}.beta`) };
}

/**
 * Strict decoding of a ballot from JSON; throws CryptoError naming the bad field (its path from
 * `ballot`). Exactly the documented fields, in any order; `ballotToJson` of the result is the
 * ballot's one canonical form.
 */
export function ballotFromJson(j: unknown): EncryptedBallot {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail('invalid_input', 'ballot must be an object');
  onlyKeys(j, ['voteId', 'localId', 'nullifier', 'questions'], 'ballot');
  const o = j as Partial<EncryptedBallotJson>;
  if (typeof o.voteId !== 'string' || o.voteId.length === 0 || o.voteId.length > 200) fail('invalid_input', 'ballot.voteId must be a non-empty string');
  if (typeof o.localId !== 'string' || o.localId.length === 0 || o.localId.length > 200) fail('invalid_input', 'ballot.localId must be a non-empty string');
  if (!Array.isArray(o.questions) || o.questions.length === 0 || o.questions.length > MAX_QUESTIONS) {
    fail('invalid_input', `ballot.questions must be an array of 1 to ${MAX_QUESTIONS} questions`);
  }
  return {
    voteId: o.voteId,
    localId: o.localId,
    nullifier: fromHex(o.nullifier, 32, 'ballot.nullifier'),
    questions: o.questions.map((q, i) => {
      const at = `ballot.questions[${i}]`;
      if (typeof q !== 'object' || q === null || Array.isArray(q)) fail('invalid_input', `${at} must be an object`);
      onlyKeys(q, ['questionId', 'choices', 'sumProof'], at);
      if (typeof q.questionId !== 'string' || q.questionId.length === 0 || q.questionId.length > 200) fail('invalid_input', `${at}.questionId must be a non-empty string`);
      if (!Array.isArray(q.choices) || q.choices.length === 0 || q.choices.length > MAX_OPTIONS) fail('invalid_input', `${at}.choices must be an array of 1 to ${MAX_OPTIONS} choices`);
      if (q.sumProof === undefined) fail('invalid_input', `${at}.sumProof must be a proof or null`);
      return {
        questionId: q.questionId,
        choices: q.choices.map((c, k) => {
          if (typeof c !== 'object' || c === null || Array.isArray(c)) fail('invalid_input', `${at}.choices[${k}] must be an object`);
          onlyKeys(c, ['ciphertext', 'proof'], `${at}.choices[${k}]`);
          return { ciphertext: ballotCiphertextFromJson(c.ciphertext, `${at}.choices[${k}].ciphertext`), proof: oneOfProofFromJson(c.proof, `${at}.choices[${k}].proof`) };
        }),
        sumProof: q.sumProof === null ? null : oneOfProofFromJson(q.sumProof, `${at}.sumProof`),
      };
    }),
  };
}

/** The ballot's canonical JSON: what the box stores and publishes, re-encoded from the parsed ballot. */
export function canonicalBallotJson(j: unknown): EncryptedBallotJson {
  return ballotToJson(ballotFromJson(j));
}

/**
 * The bytes a ballot puts in the vote's Merkle log: the whole ballot (its local included). A
 * member who keeps their ballot can recompute the leaf hash and check its inclusion proof.
 */
export function ballotLeaf(b: EncryptedBallot): Uint8Array {
  return concatBytes(lengthPrefixed(utf8ToBytes(LEAF_DOMAIN)), ballotToBytes(b));
}

/**
 * The canonical bytes of a ballot straight from its JSON, without decoding any point: the same
 * bytes as ballotToBytes for every ballot that decodes, at a fraction of the cost (a point decode is
 * a square root). For hashing many ballots (tracking codes, log leaves) where the points are
 * checked elsewhere; throws on wrong structure or lengths.
 */
export function ballotBytesFromJson(j: unknown): Uint8Array {
  const o = j as Partial<EncryptedBallotJson> | null;
  if (typeof o !== 'object' || o === null || typeof o.voteId !== 'string' || !Array.isArray(o.questions)) fail('invalid_input', 'not a ballot');
  const proof = (p: OneOfProofJson | null | undefined, at: string): Uint8Array[] => {
    if (!p || !Array.isArray(p.commitments) || !Array.isArray(p.challenges) || !Array.isArray(p.responses)) fail('invalid_input', `${at} is not a proof`);
    return [
      u32(p.commitments.length),
      ...p.commitments.flatMap((c, i) => [fromHex(c?.a, 32, `${at}.commitments[${i}].a`), fromHex(c?.b, 32, `${at}.commitments[${i}].b`)]),
      ...p.challenges.map((c, i) => fromHex(c, 32, `${at}.challenges[${i}]`)),
      ...p.responses.map((s, i) => fromHex(s, 32, `${at}.responses[${i}]`)),
    ];
  };
  if (typeof o.localId !== 'string') fail('invalid_input', 'not a ballot: no local');
  const parts: Uint8Array[] = [lengthPrefixed(utf8ToBytes(BALLOT_DOMAIN)), lengthPrefixed(utf8ToBytes(o.voteId)), lengthPrefixed(utf8ToBytes(o.localId)), lengthPrefixed(fromHex(o.nullifier, 32, 'ballot.nullifier')), u32(o.questions.length)];
  o.questions.forEach((q, i) => {
    const at = `ballot.questions[${i}]`;
    if (!q || typeof q.questionId !== 'string' || !Array.isArray(q.choices)) fail('invalid_input', `${at} is not a question`);
    parts.push(lengthPrefixed(utf8ToBytes(q.questionId)), u32(q.choices.length));
    q.choices.forEach((c, k) => {
      parts.push(fromHex(c?.ciphertext?.alpha, 32, `${at}.choices[${k}].ciphertext.alpha`), fromHex(c?.ciphertext?.beta, 32, `${at}.choices[${k}].ciphertext.beta`), ...proof(c?.proof, `${at}.choices[${k}].proof`));
    });
    if (q.sumProof) parts.push(...proof(q.sumProof, `${at}.sumProof`));
  });
  return concatBytes(...parts);
}

/** ballotLeaf from JSON, without decoding points (see ballotBytesFromJson). */
export function ballotLeafFromJson(j: unknown): Uint8Array {
  return concatBytes(lengthPrefixed(utf8ToBytes(LEAF_DOMAIN)), ballotBytesFromJson(j));
}

/** trackingCode from JSON, without decoding points (see ballotBytesFromJson). */
export function trackingCodeFromJson(j: unknown): string {
  return toHex(sha256(ballotBytesFromJson(j)));
}

/**
 * The ciphertexts of one answered question straight from its JSON, decoding only those points
 * (not the proofs): for tallying ballots whose proofs were checked when they were cast.
 */
export function questionCiphertextsFromJson(q: unknown, shape: QuestionShape): Ciphertext[] {
  const o = q as { choices?: { ciphertext?: unknown }[] } | null;
  if (!o || !Array.isArray(o.choices) || o.choices.length !== explicitChoices(shape)) fail('invalid_input', `question ${shape.id} has the wrong number of choices`);
  const explicit = o.choices.map((c, i) => ballotCiphertextFromJson(c?.ciphertext, `choices[${i}].ciphertext`));
  if (shape.blankAllowed) return explicit;
  const sum = sumCiphertexts(explicit);
  return [...explicit, { alpha: sum.alpha.negate(), beta: G.subtract(sum.beta) }];
}
