/**
 * The casting crypto on libsodium (WebAssembly) for the Node server: imported by node.ts and the
 * tests only, so the Workers bundle stays without libsodium (it runs noble: casting/crypto.ts).
 */
import { evaluateTokenRequestWithSodium, redeemTokenWithSodium, sodiumReady, sodiumSigner, verifyBallotJsonWithSodium } from '@union-vote/crypto/sodium';
import type { CastingCrypto } from './casting/crypto.ts';

export async function sodiumCastingCrypto(): Promise<CastingCrypto> {
  await sodiumReady();
  return {
    evaluateTokenRequest: (key, blinded) => evaluateTokenRequestWithSodium(key, blinded),
    redeemToken: redeemTokenWithSodium,
    sign: sodiumSigner(),
    ballotProofs: (json, ctx) => verifyBallotJsonWithSodium(json, ctx).verdict,
  };
}
