/**
 * The ballot check (a Benaloh challenge, "cast or audit", as in Helios and ElectionGuard 2.0 §3.5
 * "Ballot auditing"): the member can make the phone show that its encryption holds the choice they
 * made, on a device the operator does not control, and find the ballot they cast by the same code.
 *
 * Constructs: the commitment to a ballot's ciphertexts (SHA-256 over the framed vote id, question ids
 * and ciphertexts, nothing else), computed by the page before any proof bound to the token exists
 * and shown to the member as a check code; anyone computes the same commitment from a cast ballot
 * on the board (ballotCommitmentOf) or from an opened one. And the opening of a prepared ballot (its
 * plaintexts and encryption randomness) that anyone re-encrypts under the election key.
 *
 * Guarantees: the page shows the code before it learns whether the member casts or checks. A checked
 * ballot shows the choice it really held, or fails to re-encrypt; a cast ballot's code is on the
 * board with it, so a page that shows the code of one ballot and casts another is caught by the
 * member who looks their code up (`member-checks` in the verifier). SHA-256 is collision resistant:
 * no page finds two sets of ciphertexts under one code (the code is 160 bits: about 2^80 hashes).
 * A page cheating on a fraction f of ballots escapes m independent checks with probability (1 − f)^m.
 *   The opening carries no nullifier, token, local, proof or tracking code, and the cast ballot is
 * encrypted afresh: a spoiled ballot and the ballot the member casts share no value.
 *   It does not catch a page no member checks, or a member who neither compares the code on the
 * checker nor looks up the code of the ballot they cast.
 *
 * Flow:
 *   1. (page) prepareBallot (ballot.ts) → commitBallot → show the check code, ask "Cast" or "Check it first"
 *   2a. Cast: proveBallot under the token; the member looks the code up on the board afterwards
 *   2b. Check: spoilBallot → published on the board; the ballot is void; the page prepares afresh
 *   3. (checker, verifier) openSpoiledBallot(json, vote): re-encrypts, recomputes the commitment,
 *      returns each question's choice vector or the reason it does not hold
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError, fail, onlyKeys } from './errors.ts';
import { concatBytes, fromHex, lengthPrefixed, toHex, u32, utf8ToBytes } from './bytes.ts';
import { ciphertextEquals, ciphertextToJson, encrypt, type Ciphertext, type CiphertextJson } from './elgamal.ts';
import { pointToBytes, scalarFromHex, scalarToHex, type Point } from './group.ts';
import { MAX_OPTIONS, MAX_QUESTIONS, explicitChoices, type PreparedBallot, type QuestionShape, type SealedChoice } from './ballot.ts';
import { ballotCiphertextFromJson } from './ballot-encoding.ts';

const COMMITMENT_DOMAIN = 'union-vote/v2/ballot-commitment';

/** A prepared ballot with its commitment (hex). Its randomness is secret until it is opened. */
export interface CommittedBallot {
  readonly prepared: PreparedBallot;
  readonly commitment: string;
}

/** A ballot opened for checking: published on the board, never counted. */
export interface SpoiledBallotJson {
  voteId: string;
  commitment: string;
  questions: { questionId: string; choices: { ciphertext: CiphertextJson; value: 0 | 1; randomness: string }[] }[];
}

/** What a spoiled ballot held, question by question (a full 0/1 vector over the options, all 0 for a blank). */
export type SpoiledCheck =
  | { ok: true; commitment: string; selections: { questionId: string; selected: number[] }[] }
  | { ok: false; reason: string };

/** SHA-256 over the framed vote id, question ids and each ciphertext's two encoded points. */
function commitmentOf(voteId: string, questions: readonly { questionId: string; points: readonly Uint8Array[] }[]): string {
  const parts: Uint8Array[] = [lengthPrefixed(utf8ToBytes(COMMITMENT_DOMAIN)), lengthPrefixed(utf8ToBytes(voteId)), u32(questions.length)];
  for (const q of questions) parts.push(lengthPrefixed(utf8ToBytes(q.questionId)), u32(q.points.length / 2), ...q.points);
  return toHex(sha256(concatBytes(...parts)));
}

/** The commitment to a ballot's ciphertexts: the same for the prepared, the cast and the opened ballot. */
export function ballotCommitment(voteId: string, questions: readonly { questionId: string; ciphertexts: readonly Ciphertext[] }[]): string {
  return commitmentOf(voteId, questions.map((q) => ({ questionId: q.questionId, points: q.ciphertexts.flatMap((c) => [pointToBytes(c.alpha), pointToBytes(c.beta)]) })));
}

/**
 * The commitment of a cast ballot from its JSON (the board's, the record's), without decoding a
 * point: what the member looks up with the check code they were shown before casting.
 */
export function ballotCommitmentOf(ballot: { voteId: string; questions: readonly { questionId: string; choices: readonly { ciphertext: CiphertextJson }[] }[] }): string {
  return commitmentOf(ballot.voteId, ballot.questions.map((q) => ({
    questionId: q.questionId, points: q.choices.flatMap((c) => [fromHex(c.ciphertext.alpha, 32, 'alpha'), fromHex(c.ciphertext.beta, 32, 'beta')]),
  })));
}

/** (Page) Commits to a prepared ballot's ciphertexts. */
export function commitBallot(prepared: PreparedBallot): CommittedBallot {
  return { prepared, commitment: ballotCommitment(prepared.voteId, prepared.questions.map((q) => ({ questionId: q.questionId, ciphertexts: q.choices.map((c) => c.ciphertext) }))) };
}

/** (Page) Opens a committed ballot: its ciphertexts with their plaintexts and randomness. */
export function spoilBallot(b: CommittedBallot): SpoiledBallotJson {
  return {
    voteId: b.prepared.voteId,
    commitment: b.commitment,
    questions: b.prepared.questions.map((q) => ({
      questionId: q.questionId,
      choices: q.choices.map((c) => ({ ciphertext: ciphertextToJson(c.ciphertext), value: c.value, randomness: scalarToHex(c.r) })),
    })),
  };
}

interface SpoiledBallot {
  voteId: string;
  commitment: string;
  questions: { questionId: string; choices: SealedChoice[] }[];
}

/** Strict decoding; throws CryptoError naming the field (its path from `spoiled`). */
export function spoiledBallotFromJson(j: unknown): SpoiledBallot {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail('invalid_input', 'spoiled must be an object');
  onlyKeys(j, ['voteId', 'commitment', 'questions'], 'spoiled');
  const o = j as Partial<SpoiledBallotJson>;
  if (typeof o.voteId !== 'string' || o.voteId.length === 0 || o.voteId.length > 200) fail('invalid_input', 'spoiled.voteId must be a non-empty string');
  const commitment = toHex(fromHex(o.commitment, 32, 'spoiled.commitment'));
  if (commitment !== o.commitment) fail('invalid_input', 'spoiled.commitment must be lower-case hex');
  if (!Array.isArray(o.questions) || o.questions.length === 0 || o.questions.length > MAX_QUESTIONS) fail('invalid_input', `spoiled.questions must be an array of 1 to ${MAX_QUESTIONS} questions`);
  return {
    voteId: o.voteId,
    commitment,
    questions: o.questions.map((q, i) => {
      const at = `spoiled.questions[${i}]`;
      if (typeof q !== 'object' || q === null || Array.isArray(q)) fail('invalid_input', `${at} must be an object`);
      onlyKeys(q, ['questionId', 'choices'], at);
      if (typeof q.questionId !== 'string' || q.questionId.length === 0 || q.questionId.length > 200) fail('invalid_input', `${at}.questionId must be a non-empty string`);
      if (!Array.isArray(q.choices) || q.choices.length === 0 || q.choices.length > MAX_OPTIONS) fail('invalid_input', `${at}.choices must be an array of 1 to ${MAX_OPTIONS} choices`);
      return {
        questionId: q.questionId,
        choices: q.choices.map((c, k): SealedChoice => {
          const cat = `${at}.choices[${k}]`;
          if (typeof c !== 'object' || c === null || Array.isArray(c)) fail('invalid_input', `${cat} must be an object`);
          onlyKeys(c, ['ciphertext', 'value', 'randomness'], cat);
          if (c.value !== 0 && c.value !== 1) fail('invalid_input', `${cat}.value must be 0 or 1`);
          // Randomness 0 would put the choice in the clear; the ciphertext decoding refuses it too.
          return { ciphertext: ballotCiphertextFromJson(c.ciphertext, `${cat}.ciphertext`), value: c.value, r: scalarFromHex(c.randomness, `${cat}.randomness`, false) };
        }),
      };
    }),
  };
}

/**
 * (Checker, verifier) What a spoiled ballot held: it is decoded strictly, each ciphertext is
 * re-encrypted from its revealed value and randomness under the election key, each question's
 * choices are a valid selection, and the commitment is recomputed. Never throws: anything wrong is
 * the reason. `questions` are all of the vote's questions; a spoiled ballot answers some of them,
 * each once (the member's local's).
 */
export function openSpoiledBallot(j: unknown, vote: { voteId: string; publicKey: Point; questions: readonly QuestionShape[] }): SpoiledCheck {
  let s: SpoiledBallot;
  try {
    s = spoiledBallotFromJson(j);
  } catch (e) {
    if (e instanceof CryptoError) return { ok: false, reason: e.message };
    throw e;
  }
  if (s.voteId !== vote.voteId) return { ok: false, reason: `the ballot was made for vote ${s.voteId}, not ${vote.voteId}` };
  const seen = new Set<string>();
  const selections: { questionId: string; selected: number[] }[] = [];
  for (const q of s.questions) {
    const shape = vote.questions.find((x) => x.id === q.questionId);
    if (!shape) return { ok: false, reason: `the vote has no question ${q.questionId}` };
    if (seen.has(q.questionId)) return { ok: false, reason: `question ${q.questionId} is answered twice` };
    seen.add(q.questionId);
    if (q.choices.length !== explicitChoices(shape)) return { ok: false, reason: `question ${q.questionId} has ${q.choices.length} encrypted choices, expected ${explicitChoices(shape)}` };
    for (const [k, c] of q.choices.entries()) {
      if (!ciphertextEquals(encrypt(c.value, vote.publicKey, c.r).ciphertext, c.ciphertext)) {
        return { ok: false, reason: `question ${q.questionId} option ${k}: the ciphertext is not the encryption of the revealed choice with the revealed randomness` };
      }
    }
    const explicit = q.choices.map((c) => c.value as number);
    const total = explicit.reduce((a, b) => a + b, 0);
    if (total > 1) return { ok: false, reason: `question ${q.questionId} has more than one option selected` };
    const selected = shape.blankAllowed ? explicit : [...explicit, 1 - total];
    selections.push({ questionId: q.questionId, selected });
  }
  const commitment = ballotCommitment(s.voteId, s.questions.map((q) => ({ questionId: q.questionId, ciphertexts: q.choices.map((c) => c.ciphertext) })));
  if (commitment !== s.commitment) return { ok: false, reason: 'the commitment is not the hash of these ciphertexts: the code shown before the member chose was for another ballot' };
  return { ok: true, commitment, selections };
}
