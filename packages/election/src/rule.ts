/**
 * The passing rule of a question, as data (DESIGN.md "Votes as unions run them"). A rule is one
 * of: a popular threshold, a minimum turnout, a delegate vote (winner-take-all per local at a
 * per-local threshold, or proportional), or an all/any combination of rules.
 *
 * Fractions are exact (numerator/denominator), never floats, so "at least 3/4" is decided the
 * same way by the server, the verifier and a hand count. `inclusive` says whether the threshold
 * itself passes: a majority is "more than 1/2" (inclusive: false); a strike threshold is "at
 * least 3/4" (inclusive: true).
 */
import { z } from 'zod';

export const Fraction = z
  .object({
    numerator: z.number().int().min(0),
    denominator: z.number().int().min(1),
  })
  .refine((f) => f.numerator <= f.denominator, { message: 'a fraction must be between 0 and 1', path: ['numerator'] });
export type Fraction = z.infer<typeof Fraction>;

export const Threshold = z.object({
  fraction: Fraction,
  /** true: at least the fraction passes; false: more than the fraction is needed. */
  inclusive: z.boolean(),
});
export type Threshold = z.infer<typeof Threshold>;

/** What a share of "yes" is taken of: yes + no (blanks left out), or all ballots cast. */
export const Base = z.enum(['yes-no', 'ballots']);
export type Base = z.infer<typeof Base>;

export interface PopularRule {
  type: 'popular';
  threshold: Threshold;
  base: Base;
}
export interface TurnoutRule {
  type: 'turnout';
  /** Ballots cast / members eligible, over all the question's locals. */
  minimum: Fraction;
}
export interface DelegateRule {
  type: 'delegates';
  /** winner-take-all: a local's delegates all go to the side that met `localThreshold` in it. */
  allocation: 'winner-take-all' | 'proportional';
  /** winner-take-all only: the share of yes a local needs for its delegates to count as yes. */
  localThreshold?: Threshold | undefined;
  /** winner-take-all only: where a local is exactly tied at a majority threshold. */
  tie?: 'yes' | 'no' | 'split' | undefined;
  base: Base;
  /** The share of all delegate votes that yes needs. */
  threshold: Threshold;
}
export interface CombinedRule {
  type: 'all' | 'any';
  rules: Rule[];
}
export type Rule = PopularRule | TurnoutRule | DelegateRule | CombinedRule;

const PopularRuleSchema = z.object({ type: z.literal('popular'), threshold: Threshold, base: Base.default('yes-no') });
const TurnoutRuleSchema = z.object({ type: z.literal('turnout'), minimum: Fraction });
const DelegateRuleSchema = z
  .object({
    type: z.literal('delegates'),
    allocation: z.enum(['winner-take-all', 'proportional']),
    localThreshold: Threshold.optional(),
    tie: z.enum(['yes', 'no', 'split']).optional(),
    base: Base.default('yes-no'),
    threshold: Threshold,
  })
  .superRefine((r, ctx) => {
    if (r.allocation === 'winner-take-all' && !r.localThreshold) {
      ctx.addIssue({ code: 'custom', path: ['localThreshold'], message: 'winner-take-all needs the share of yes a local must reach' });
    }
    if (r.allocation === 'proportional' && (r.localThreshold || r.tie)) {
      ctx.addIssue({ code: 'custom', path: [r.localThreshold ? 'localThreshold' : 'tie'], message: 'proportional allocation has no local threshold or tie rule' });
    }
  });

export const Rule: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    PopularRuleSchema,
    TurnoutRuleSchema,
    DelegateRuleSchema,
    z.object({ type: z.enum(['all', 'any']), rules: z.array(Rule).min(1).max(8) }),
  ]),
  // The id names the recursive schema, so generated OpenAPI refers to it instead of unrolling it.
).meta({ id: 'Rule' }) as z.ZodType<Rule>;

/** Common rules, by name. */
export const majority: Threshold = { fraction: { numerator: 1, denominator: 2 }, inclusive: false };
export const twoThirds: Threshold = { fraction: { numerator: 2, denominator: 3 }, inclusive: true };
export const threeQuarters: Threshold = { fraction: { numerator: 3, denominator: 4 }, inclusive: true };

/** Does `part / whole` meet the threshold? Exact integer arithmetic; an empty whole never passes. */
export function meets(part: number, whole: number, t: Threshold): boolean {
  if (whole === 0) return false;
  const lhs = BigInt(part) * BigInt(t.fraction.denominator);
  const rhs = BigInt(whole) * BigInt(t.fraction.numerator);
  return t.inclusive ? lhs >= rhs : lhs > rhs;
}

/** Does a rule (or any rule inside it) weigh delegates? */
export function usesDelegates(rule: Rule): boolean {
  return rule.type === 'delegates' || ((rule.type === 'all' || rule.type === 'any') && rule.rules.some(usesDelegates));
}
