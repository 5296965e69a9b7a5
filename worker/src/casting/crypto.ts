/**
 * The crypto of the casting path, as the app receives it (AppDeps.castingCrypto): the issuer's half
 * of the VOPRF tokens, the check of a ballot's proofs, and the board key's signatures. The default is noble (crypto/token.ts and
 * ballot.ts), which every runtime runs; the Node server passes libsodium's (node-crypto.ts), faster
 * and constant time on the issuer key, which gives the same bytes. A fast check that cannot decide a
 * ballot, or finds it invalid, leaves the verdict (and its reason) to the reference.
 */
import { evaluateTokenRequest, redeemToken, signMessage, type IssuerKey, type Sign, type Token, type TokenResponse } from '@union-vote/crypto';

export interface BallotProofContext {
  voteId: string;
  localId: string;
  /** The election key, 32 bytes. */
  electionKey: Uint8Array;
  nullifier: Uint8Array;
  questions: readonly { id: string; options: number; blankAllowed: boolean }[];
}

export interface CastingCrypto {
  /** RFC 9497 BlindEvaluate with its DLEQ proof. */
  evaluateTokenRequest(key: IssuerKey, blinded: Uint8Array): TokenResponse;
  /** The token's nullifier; throws if the token was not issued with this key. */
  redeemToken(key: IssuerKey, token: Token, voteId: string, localId: string): Uint8Array;
  /** The board key's Ed25519 signatures (promises, receipts, tree heads): deterministic, the same bytes on every path. */
  sign: Sign;
  /** A fast check of the ballot's proofs (its canonical JSON): 'valid' is final; otherwise the reference decides. */
  ballotProofs?(ballotJson: unknown, ctx: BallotProofContext): 'valid' | 'invalid' | 'undecided';
}

export const nobleCastingCrypto: CastingCrypto = { evaluateTokenRequest: (key, blinded) => evaluateTokenRequest(key, blinded), redeemToken, sign: signMessage };
