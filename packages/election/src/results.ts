/**
 * Results of a tallied vote: per question, per local (eligible, ballots, yes, no, blank, turnout,
 * delegates) and in aggregate, with the rule's outcome and its arithmetic. Computed the same way by
 * the server when it publishes and by the verifier when it checks.
 */
import type { VoteDefinition } from './definition.ts';
import { evaluateRule, type LocalCount, type Outcome } from './outcome.ts';

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
}

export interface Results {
  voteId: string;
  questions: QuestionResult[];
}

export function computeResults(def: VoteDefinition, eligible: Record<string, number>, counts: DecryptedCount[]): Results {
  const delegates = Object.fromEntries(def.locals.map((l) => [l.id, l.delegates]));
  return {
    voteId: def.id,
    questions: def.questions.map((q) => {
      const locals: LocalCount[] = q.locals.map((localId) => {
        const c = counts.find((x) => x.questionId === q.id && x.localId === localId) ?? { ballots: 0, yes: 0, no: 0 };
        return { localId, eligible: eligible[localId] ?? 0, ballots: c.ballots, yes: c.yes, no: c.no, blank: c.ballots - c.yes - c.no, delegates: delegates[localId] ?? 0 };
      });
      const t = locals.reduce((s, l) => ({ eligible: s.eligible + l.eligible, ballots: s.ballots + l.ballots, yes: s.yes + l.yes, no: s.no + l.no, blank: s.blank + l.blank }), { eligible: 0, ballots: 0, yes: 0, no: 0, blank: 0 });
      return {
        questionId: q.id,
        text: q.text,
        locals,
        totals: { ...t, turnout: t.eligible ? `${((100 * t.ballots) / t.eligible).toFixed(2)}%` : 'n/a' },
        outcome: evaluateRule(q.rule, locals),
      };
    }),
  };
}
