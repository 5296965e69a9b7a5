/**
 * The encrypted ballot's encodings: its canonical bytes (what the tracking code and the log leaf
 * hash), its JSON (what is cast, stored and published) and strict decoding of that JSON. The
 * shape and proofs are in ballot.ts.
 *
 * Decoding is strict: exactly the documented fields (an unknown one is refused, so the box stores
 * and publishes nothing a member did not sign up to), canonical points, and no ciphertext whose α
 * is the identity (encryption randomness 0: the choice in the clear). For hashing or tallying many
 * ballots whose points were checked when cast, the ...FromJson functions read the bytes without
 * decoding a point.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fail, onlyKeys } from './errors.ts';
import { concatBytes, fromHex, toHex, u32, utf8ToBytes, lengthPrefixed } from './bytes.ts';
import { ciphertextToJson, sumCiphertexts, type Ciphertext, type CiphertextJson } from './elgamal.ts';
import { G, pointFromHex, pointToBytes, scalarToBytes } from './group.ts';
import { DECODED, HEX_FORM, oneOfProofFieldsFromJson, oneOfProofToJson, type FieldReader, type OneOfProof, type OneOfProofJson } from './proofs.ts';
import {
  BALLOT_DOMAIN, LEAF_DOMAIN, MAX_OPTIONS, MAX_QUESTIONS, explicitChoices, type EncryptedBallot, type EncryptedBallotJson, type QuestionShape,
} from './ballot.ts';

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
export function ballotCiphertextFromJson(j: unknown, at: string): Ciphertext {
  return ciphertextFieldsFromJson(j, at, DECODED);
}
function ciphertextFieldsFromJson<P>(j: unknown, at: string, read: FieldReader<P, unknown>): { alpha: P; beta: P } {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail('invalid_input', `${at} must be an object`);
  onlyKeys(j, ['alpha', 'beta'], at);
  const o = j as Partial<CiphertextJson>;
  return { alpha: read.point(o.alpha, `${at}.alpha`), beta: read.point(o.beta, `${at}.beta`) };
}

/** The ballot's structure with its points and scalars as `read` gives them. */
interface BallotFields<P, S> {
  voteId: string;
  localId: string;
  nullifier: string;
  questions: { questionId: string; choices: { ciphertext: { alpha: P; beta: P }; proof: { commitments: { a: P; b: P }[]; challenges: S[]; responses: S[] } }[]; sumProof: { commitments: { a: P; b: P }[]; challenges: S[]; responses: S[] } | null }[];
}

/** The strict walk both decoders share: exactly the documented fields, each named by its path on refusal. */
function ballotFieldsFromJson<P, S>(j: unknown, read: FieldReader<P, S>): BallotFields<P, S> {
  if (typeof j !== 'object' || j === null || Array.isArray(j)) fail('invalid_input', 'ballot must be an object');
  onlyKeys(j, ['voteId', 'localId', 'nullifier', 'questions'], 'ballot');
  const o = j as Partial<EncryptedBallotJson>;
  if (typeof o.voteId !== 'string' || o.voteId.length === 0 || o.voteId.length > 200) fail('invalid_input', 'ballot.voteId must be a non-empty string');
  if (typeof o.localId !== 'string' || o.localId.length === 0 || o.localId.length > 200) fail('invalid_input', 'ballot.localId must be a non-empty string');
  if (!Array.isArray(o.questions) || o.questions.length === 0 || o.questions.length > MAX_QUESTIONS) {
    fail('invalid_input', `ballot.questions must be an array of 1 to ${MAX_QUESTIONS} questions`);
  }
  fromHex(o.nullifier, 32, 'ballot.nullifier');
  return {
    voteId: o.voteId,
    localId: o.localId,
    nullifier: o.nullifier as string,
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
          return { ciphertext: ciphertextFieldsFromJson(c.ciphertext, `${at}.choices[${k}].ciphertext`, read), proof: oneOfProofFieldsFromJson(c.proof, `${at}.choices[${k}].proof`, read) };
        }),
        sumProof: q.sumProof === null ? null : oneOfProofFieldsFromJson(q.sumProof, `${at}.sumProof`, read),
      };
    }),
  };
}

/**
 * Strict decoding of a ballot from JSON; throws CryptoError naming the bad field (its path from
 * `ballot`). Exactly the documented fields, in any order; `ballotToJson` of the result is the
 * ballot's one canonical form.
 */
export function ballotFromJson(j: unknown): EncryptedBallot {
  const b = ballotFieldsFromJson(j, DECODED);
  return { ...b, nullifier: fromHex(b.nullifier, 32) };
}

/**
 * The same strict walk without decoding a point or a scalar (each is only checked to be 32 bytes
 * of lower-case hex): a fresh copy of exactly the documented fields. For a caller that then checks
 * every point and scalar itself (the server's libsodium proof check, which accepts only canonical,
 * non-identity points and reduced scalars); for such a ballot this is `canonicalBallotJson`, at a
 * fraction of the cost (a point decode is a square root).
 */
export function ballotFormFromJson(j: unknown): EncryptedBallotJson {
  return ballotFieldsFromJson(j, HEX_FORM);
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
