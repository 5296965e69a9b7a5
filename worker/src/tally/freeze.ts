/**
 * What closing a vote freezes, computed inside the closing transaction (no ballot can arrive once
 * the status has left 'open'): the issuance counts per local, and per question, local and option the
 * homomorphic sum of the ballots' ciphertexts.
 */
import type { Kysely } from 'kysely';
import { listBallots, localCounts, type EncryptedTotalRecord, type IssuanceRecord, type Schema } from '@union-vote/db';
import { IDENTITY, addCiphertexts, pointToHex, questionCiphertextsFromJson, type Ciphertext } from '@union-vote/crypto';
import { ballotShapeFor, totalLabel, type VoteDefinition } from '@union-vote/election';

const PAGE = 5000;

export async function freezeTotals(tx: Kysely<Schema>, def: VoteDefinition): Promise<{ issuance: IssuanceRecord[]; totals: EncryptedTotalRecord[] }> {
  const issuance = (await localCounts(tx, def.id)).map(({ localId, eligible, codesIssued, tokensIssued }) => ({ localId, eligible, codesIssued, tokensIssued }));
  const zero: Ciphertext = { alpha: IDENTITY, beta: IDENTITY };
  const sums = new Map<string, EncryptedTotalRecord & { ct: Ciphertext }>();
  for (const q of def.questions) for (const l of q.locals) for (const option of [0, 1]) {
    sums.set(totalLabel(q.id, l, option), { questionId: q.id, localId: l, option, ballots: 0, alpha: '', beta: '', ct: zero });
  }
  const shapes = new Map(def.locals.map((l) => [l.id, ballotShapeFor(def, l.id)]));
  for (let from = 0; ; from += PAGE) {
    const page = await listBallots(tx, def.id, from, PAGE);
    for (const row of page) {
      // Proofs were checked when the ballot was cast; only the ciphertexts are needed here.
      const questions = (row.ballot as { questions: { questionId: string }[] }).questions;
      questions.forEach((q, i) => {
        questionCiphertextsFromJson(q, shapes.get(row.localId)![i]!).forEach((ct, option) => {
          const s = sums.get(totalLabel(q.questionId, row.localId, option))!;
          s.ct = addCiphertexts(s.ct, ct);
          s.ballots++;
        });
      });
    }
    if (page.length < PAGE) break;
  }
  const totals: EncryptedTotalRecord[] = [...sums.values()].map(({ ct, ...t }) => ({ ...t, alpha: pointToHex(ct.alpha), beta: pointToHex(ct.beta) }));
  return { issuance, totals };
}
