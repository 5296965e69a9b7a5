/**
 * What closing a vote freezes, computed inside the closing transaction (no ballot can arrive once
 * the status has left 'open'): the issuance counts per local, and per question, local and option the
 * homomorphic sum of the ballots' ciphertexts.
 *
 * The sums were kept while casting (running totals), so closing copies them. They are taken only if
 * every one counts exactly the ballots its local has in the box; otherwise (a vote opened before
 * running totals existed) every ballot is read and summed again. Either way the verifier recomputes
 * them from the published ballots.
 */
import type { Kysely } from 'kysely';
import { challengedNullifiers, listBallots, listRunningTotals, localCounts, type EncryptedTotalRecord, type IssuanceRecord, type Schema } from '@union-vote/db';
import { IDENTITY, addCiphertexts, pointToHex, questionCiphertextsFromJson, type Ciphertext } from '@union-vote/crypto';
import { ballotShapeFor, totalLabel, type VoteDefinition } from '@union-vote/election';

const PAGE = 5000;
const ZERO_HEX = pointToHex(IDENTITY);
/** Every question is yes/no (`ballotShapeFor`): option 0 is yes, 1 is no. */
const YES_NO = [0, 1] as const;

export async function freezeTotals(tx: Kysely<Schema>, def: VoteDefinition): Promise<{ issuance: IssuanceRecord[]; totals: EncryptedTotalRecord[] }> {
  const counts = await localCounts(tx, def.id);
  const issuance = counts.map(({ localId, eligible, codesIssued, tokensIssued }) => ({ localId, eligible, codesIssued, tokensIssued }));
  const cast = new Map(counts.map((c) => [c.localId, c.ballotsCast]));
  const running = new Map((await listRunningTotals(tx, def.id)).map((t) => [totalLabel(t.questionId, t.localId, t.option), t]));
  const totals: EncryptedTotalRecord[] = [];
  for (const q of def.questions) for (const l of q.locals) for (const option of YES_NO) {
    const kept = running.get(totalLabel(q.id, l, option));
    const ballots = cast.get(l) ?? 0;
    if (kept ? kept.ballots !== ballots : ballots !== 0) return { issuance, totals: await sumBallots(tx, def) };
    totals.push(kept ?? { questionId: q.id, localId: l, option, ballots: 0, alpha: ZERO_HEX, beta: ZERO_HEX });
  }
  return { issuance, totals };
}

/** Every ballot read and summed: the fallback when running totals do not account for the box. */
async function sumBallots(tx: Kysely<Schema>, def: VoteDefinition): Promise<EncryptedTotalRecord[]> {
  const zero: Ciphertext = { alpha: IDENTITY, beta: IDENTITY };
  const sums = new Map<string, EncryptedTotalRecord & { ct: Ciphertext }>();
  for (const q of def.questions) for (const l of q.locals) for (const option of YES_NO) {
    sums.set(totalLabel(q.id, l, option), { questionId: q.id, localId: l, option, ballots: 0, alpha: '', beta: '', ct: zero });
  }
  const shapes = new Map(def.locals.map((l) => [l.id, ballotShapeFor(def, l.id)]));
  // Challenged ballots are not summed at the close: only an accepting ruling adds one (casting/challenges.ts).
  const challenged = await challengedNullifiers(tx, def.id);
  for (let from = 0; ; from += PAGE) {
    const page = await listBallots(tx, def.id, from, PAGE);
    for (const row of page) {
      if (challenged.has(row.nullifier)) continue;
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
  return [...sums.values()].map(({ ct, ...t }) => ({ ...t, alpha: pointToHex(ct.alpha), beta: pointToHex(ct.beta) }));
}
