/**
 * Results of a tallied vote: per question, per local (eligible, ballots, yes, no, blank, turnout,
 * delegates) and in aggregate, with the rule's outcome and its arithmetic. Computed the same way by
 * the server when it publishes and by the verifier when it checks.
 */
import type { VoteDefinition } from './definition.ts';
import { evaluateRule, type LocalCount, type Outcome } from './outcome.ts';
import { unresolvedCouldChange, type ChallengeCount } from './challenges.ts';
import type { PaperCount, PaperLocal } from './paper.ts';

export interface DecryptedCount {
  questionId: string;
  localId: string;
  /** Ballots cast in the local (each answers every question put to its local). */
  ballots: number;
  yes: number;
  no: number;
}

export interface QuestionResult {
  questionId: string;
  text: string;
  locals: LocalCount[];
  totals: { eligible: number; ballots: number; yes: number; no: number; blank: number; turnout: string };
  outcome: Outcome;
  /** When challenged ballots of its locals were left unresolved at the count: how many, and whether they could have changed the outcome. */
  unresolved?: { ballots: number; couldChangeOutcome: boolean; statement: string };
  /** Per local with paper ballots: the paper part of its figures (in `locals` with the online ones); spoiled ones are not counted. */
  paper?: ({ localId: string } & PaperCount)[];
}

export interface Results {
  voteId: string;
  questions: QuestionResult[];
  /** Per local with challenged ballots: how many, accepted, rejected, unresolved (challenges.ts). Accepted ones are in `ballots`. */
  challenges?: ChallengeCount[];
  /** Per local with paper ballots: how many were counted and how many set aside (paper.ts). */
  paper?: { localId: string; voters: number; setAside: number }[];
}

/**
 * `counts` are the decrypted totals (their `ballots` include accepted challenged ballots);
 * `challenges` the challenged ballots per local, when there are any.
 */
export function computeResults(
  def: VoteDefinition, eligible: Record<string, number>, counts: DecryptedCount[], challenges: readonly ChallengeCount[] = [], paper: ReadonlyMap<string, PaperLocal> = new Map(),
): Results {
  const delegates = Object.fromEntries(def.locals.map((l) => [l.id, l.delegates]));
  const unresolved = new Map(challenges.filter((c) => c.unresolved > 0).map((c) => [c.localId, c.unresolved]));
  const results: Results = {
    voteId: def.id,
    questions: def.questions.map((q): QuestionResult => {
      const locals: LocalCount[] = q.locals.map((localId) => {
        const c = counts.find((x) => x.questionId === q.id && x.localId === localId) ?? { ballots: 0, yes: 0, no: 0 };
        // Paper ballots counted in the local join its online ones (spoiled ones are not votes).
        const p = paper.get(localId)?.questions[q.id] ?? { yes: 0, no: 0, blank: 0, spoiled: 0 };
        const ballots = c.ballots + p.yes + p.no + p.blank;
        return { localId, eligible: eligible[localId] ?? 0, ballots, yes: c.yes + p.yes, no: c.no + p.no, blank: ballots - c.yes - c.no - p.yes - p.no, delegates: delegates[localId] ?? 0 };
      });
      const t = locals.reduce((s, l) => ({ eligible: s.eligible + l.eligible, ballots: s.ballots + l.ballots, yes: s.yes + l.yes, no: s.no + l.no, blank: s.blank + l.blank }), { eligible: 0, ballots: 0, yes: 0, no: 0, blank: 0 });
      const result: QuestionResult = {
        questionId: q.id,
        text: q.text,
        locals,
        totals: { ...t, turnout: t.eligible ? `${((100 * t.ballots) / t.eligible).toFixed(2)}%` : 'n/a' },
        outcome: evaluateRule(q.rule, locals),
      };
      const onPaper = q.locals.flatMap((l) => { const p = paper.get(l)?.questions[q.id]; return p ? [{ localId: l, ...p }] : []; });
      if (onPaper.length) result.paper = onPaper;
      const open = q.locals.filter((l) => unresolved.has(l));
      if (open.length) {
        const ballots = open.reduce((n, l) => n + unresolved.get(l)!, 0);
        const couldChangeOutcome = unresolvedCouldChange(q.rule, locals, unresolved, q.blankAllowed);
        const where = open.map((l) => `local ${l}: ${unresolved.get(l)}`).join(', ');
        result.unresolved = {
          ballots, couldChangeOutcome,
          statement: `${ballots} challenged ballot${ballots === 1 ? ' was' : 's were'} not ruled on before the count and not counted (${where}): ${couldChangeOutcome
            ? 'counted one way or another, they could have changed the outcome, so this count does not settle it (they can no longer be counted without revealing how they were marked)'
            : 'however they had been ruled on and marked, they could not have changed the outcome'}.`,
        };
      }
      return result;
    }),
  };
  if (challenges.length) results.challenges = [...challenges];
  const paperLocals = def.locals.flatMap((l) => { const p = paper.get(l.id); return p ? [{ localId: l.id, voters: p.voters, setAside: p.setAside }] : []; });
  if (paperLocals.length) results.paper = paperLocals;
  return results;
}
