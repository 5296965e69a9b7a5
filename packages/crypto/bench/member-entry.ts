// What the member's page needs from the crypto package; bundled alone to measure it.
export { prepareTokenRequest, finalizeToken, tokenNullifier, encryptBallot, ballotToJson, trackingCode, verifyReceipt, verifyInclusion, verifyTreeHead } from '../src/index.ts';
