/**
 * The trustee's side of the key ceremony and the tally, run offline on the trustee's own machine:
 *  - keygen: a secret share kept in a local file, and the public key with its proof of knowledge
 *    for the administrator to register. The secret never reaches the server.
 *  - decrypt: fetch the closed vote's record, check it independently (log, tree heads, every
 *    ballot's proofs, the encrypted totals recomputed from the ballots), and only then upload a
 *    partial decryption of each total with its proof.
 */
import {
  generateTrusteeKey, knowledgeProofToJson, partialDecrypt, partialDecryptionToJson, pointToHex, trusteeSecretKeyFromJson, trusteeSecretKeyToJson,
  ciphertextFromJson, type TrusteeSecretKey,
} from '@union-vote/crypto';
import { totalLabel, type ElectionRecord } from '@union-vote/election';
import { verifyRecord, type VerifyOptions } from '@union-vote/verifier';

export function keygen(voteId: string, trusteeId: string) {
  const key = generateTrusteeKey(voteId, trusteeId);
  return {
    /** Keep this file offline; it is the trustee's share of the election key. */
    keyFile: { format: 'union-vote/trustee-key/v1', ...trusteeSecretKeyToJson(key.secret) },
    /** Give this to the administrator to register (POST /api/votes/{vote}/trustees). */
    registration: { trusteeId, publicKey: pointToHex(key.public.publicKey), proof: knowledgeProofToJson(key.public.proof) },
  };
}

export function readKeyFile(json: unknown): TrusteeSecretKey {
  return trusteeSecretKeyFromJson(json);
}

/** The checks a trustee insists on before decrypting anything. */
const BEFORE_DECRYPTING = ['format', 'manifest', 'trustees', 'ballot-log', 'nullifiers', 'tree-heads', 'ballot-proofs', 'eligibility', 'encrypted-totals'];

export interface DecryptOptions {
  baseUrl: string;
  voteId: string;
  key: TrusteeSecretKey;
  /** An API token of the trustee's account (uvt_…). */
  apiToken: string;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  verify?: VerifyOptions;
  log?: (line: string) => void;
}

export async function decrypt(o: DecryptOptions): Promise<{ shares: number; complete: boolean }> {
  const fetchFn = o.fetch ?? ((input, init) => fetch(input, init));
  const log = o.log ?? (() => {});
  if (o.key.voteId !== o.voteId) throw new Error(`this key file is for vote ${o.key.voteId}, not ${o.voteId}`);
  const res = await fetchFn(`${o.baseUrl}/api/board/${encodeURIComponent(o.voteId)}/record`);
  if (!res.ok) throw new Error(`could not fetch the record of ${o.voteId}: ${res.status} ${await res.text()}`);
  const record = (await res.json()) as ElectionRecord;
  log(`checking the record of ${o.voteId}: ${record.ballots.length} ballots`);
  const report = await verifyRecord(record, o.verify);
  const failed = report.checks.filter((c) => BEFORE_DECRYPTING.includes(c.id) && !c.ok);
  if (failed.length) throw new Error(`refusing to decrypt: ${failed.map((c) => `${c.name}: ${c.details.join('; ')}`).join(' | ')}`);
  if (!record.trustees.some((t) => t.trusteeId === o.key.trusteeId)) throw new Error(`${o.key.trusteeId} is not a trustee of ${o.voteId}`);
  const shares = record.encryptedTotals.map((t) => {
    const d = partialDecryptionToJson(partialDecrypt(o.key, ciphertextFromJson(t), totalLabel(t.questionId, t.localId, t.option)));
    return { questionId: t.questionId, localId: t.localId, option: t.option, share: d.share, proof: d.proof };
  });
  const upload = await fetchFn(`${o.baseUrl}/api/votes/${encodeURIComponent(o.voteId)}/decryptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${o.apiToken}` },
    body: JSON.stringify({ trusteeId: o.key.trusteeId, shares }),
  });
  const body = (await upload.json()) as { complete?: boolean; error?: { message: string } };
  if (!upload.ok) throw new Error(`the server refused the decryptions: ${body.error?.message ?? upload.status}`);
  log(`uploaded ${shares.length} partial decryptions${body.complete ? '; every trustee has decrypted, results are published' : ''}`);
  return { shares: shares.length, complete: body.complete === true };
}
