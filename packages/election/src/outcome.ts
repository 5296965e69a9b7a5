/**
 * Evaluating a question's passing rule on its per-local counts: the outcome, and the arithmetic
 * shown step by step, so a member can redo it by hand. Exact: shares are compared as integer
 * cross-products and proportional delegate sums as fractions, never floats.
 */
import { meets, type Base, type Rule, type Threshold } from './rule.ts';

export interface LocalCount {
  localId: string;
  /** Members in good standing when the vote closed. */
  eligible: number;
  /** Ballots cast (yes + no + blank). */
  ballots: number;
  yes: number;
  no: number;
  blank: number;
  delegates: number;
}

export interface LocalDelegates {
  localId: string;
  delegates: number;
  /** Winner-take-all: which side the local's delegates went to, and why. */
  side?: 'yes' | 'no' | 'split';
  /** Delegate votes for yes (a fraction "n/d" for proportional allocation). */
  yes: string;
  reason: string;
}

export interface Outcome {
  passed: boolean;
  rule: Rule['type'];
  /** One line per step of the arithmetic. */
  steps: string[];
  delegates?: LocalDelegates[];
  parts?: Outcome[];
}

const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(2)}%`);
const fmt = (n: number) => n.toLocaleString('en-US');
const describe = (t: Threshold) => `${t.inclusive ? 'at least' : 'more than'} ${t.fraction.numerator}/${t.fraction.denominator}`;
const baseOf = (c: { yes: number; no: number; ballots: number }, base: Base) => (base === 'yes-no' ? c.yes + c.no : c.ballots);
const baseWords = (base: Base) => (base === 'yes-no' ? 'yes and no votes' : 'ballots cast');

function sum(locals: LocalCount[]) {
  return locals.reduce((s, l) => ({ eligible: s.eligible + l.eligible, ballots: s.ballots + l.ballots, yes: s.yes + l.yes, no: s.no + l.no, blank: s.blank + l.blank }), { eligible: 0, ballots: 0, yes: 0, no: 0, blank: 0 });
}

/** Is part/whole exactly the threshold fraction? (A tie at the threshold.) */
function exactlyAt(part: number, whole: number, t: Threshold): boolean {
  return whole > 0 && BigInt(part) * BigInt(t.fraction.denominator) === BigInt(whole) * BigInt(t.fraction.numerator);
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

export function evaluateRule(rule: Rule, locals: LocalCount[]): Outcome {
  switch (rule.type) {
    case 'popular': {
      const t = sum(locals);
      const whole = baseOf(t, rule.base);
      const passed = meets(t.yes, whole, rule.threshold);
      return { passed, rule: 'popular', steps: [`Popular vote: ${fmt(t.yes)} yes of ${fmt(whole)} ${baseWords(rule.base)} = ${pct(t.yes, whole)}; needs ${describe(rule.threshold)}: ${passed ? 'met' : 'not met'}.`] };
    }
    case 'turnout': {
      const t = sum(locals);
      const threshold = { fraction: rule.minimum, inclusive: true };
      const passed = meets(t.ballots, t.eligible, threshold);
      return { passed, rule: 'turnout', steps: [`Turnout: ${fmt(t.ballots)} ballots of ${fmt(t.eligible)} eligible members = ${pct(t.ballots, t.eligible)}; needs ${describe(threshold)}: ${passed ? 'met' : 'not met'}.`] };
    }
    case 'delegates': {
      const total = locals.reduce((s, l) => s + l.delegates, 0);
      if (rule.allocation === 'winner-take-all') {
        const lt = rule.localThreshold!;
        let yesDelegates = 0;
        const per: LocalDelegates[] = locals.map((l) => {
          const whole = baseOf(l, rule.base);
          const share = `${fmt(l.yes)} yes of ${fmt(whole)} ${baseWords(rule.base)} = ${pct(l.yes, whole)}`;
          if (whole === 0) return { localId: l.localId, delegates: l.delegates, side: 'no', yes: '0', reason: `no ${baseWords(rule.base)}: its ${l.delegates} delegate votes count as no` };
          if (!lt.inclusive && exactlyAt(l.yes, whole, lt) && rule.tie) {
            const yes = rule.tie === 'yes' ? l.delegates : rule.tie === 'no' ? 0 : Math.floor(l.delegates / 2);
            yesDelegates += yes;
            return { localId: l.localId, delegates: l.delegates, side: rule.tie, yes: String(yes), reason: `${share}: a tie, and the tie rule gives ${rule.tie === 'split' ? `${yes} to yes and ${l.delegates - yes} to no` : `all ${l.delegates} to ${rule.tie}`}` };
          }
          const won = meets(l.yes, whole, lt);
          if (won) yesDelegates += l.delegates;
          return { localId: l.localId, delegates: l.delegates, side: won ? 'yes' : 'no', yes: String(won ? l.delegates : 0), reason: `${share}, ${describe(lt)} needed: all ${l.delegates} to ${won ? 'yes' : 'no'}` };
        });
        const passed = meets(yesDelegates, total, rule.threshold);
        return {
          passed, rule: 'delegates', delegates: per,
          steps: [
            ...per.map((p) => `Local ${p.localId}: ${p.reason}.`),
            `Delegate votes: ${fmt(yesDelegates)} yes, ${fmt(total - yesDelegates)} no, of ${fmt(total)} (${pct(yesDelegates, total)}); needs ${describe(rule.threshold)}: ${passed ? 'met' : 'not met'}.`,
          ],
        };
      }
      // Proportional: each local's delegates split by its share of yes; exact fractions throughout.
      let num = 0n;
      let den = 1n;
      const per: LocalDelegates[] = locals.map((l) => {
        const whole = baseOf(l, rule.base);
        if (whole === 0) return { localId: l.localId, delegates: l.delegates, yes: '0', reason: `no ${baseWords(rule.base)}: 0 of its ${l.delegates} delegate votes to yes` };
        const n = BigInt(l.delegates) * BigInt(l.yes);
        const d = BigInt(whole);
        num = num * d + n * den;
        den = den * d;
        const g = gcd(num, den);
        num /= g;
        den /= g;
        return { localId: l.localId, delegates: l.delegates, yes: `${n}/${d}`, reason: `${fmt(l.yes)} yes of ${fmt(whole)} = ${pct(l.yes, whole)} of ${l.delegates} delegate votes = ${(Number(n) / Number(d)).toFixed(2)} to yes` };
      });
      const t = rule.threshold;
      const lhs = num * BigInt(t.fraction.denominator);
      const rhs = den * BigInt(total) * BigInt(t.fraction.numerator);
      const passed = total > 0 && (t.inclusive ? lhs >= rhs : lhs > rhs);
      const yesValue = Number(num) / Number(den);
      return {
        passed, rule: 'delegates', delegates: per,
        steps: [...per.map((p) => `Local ${p.localId}: ${p.reason}.`), `Delegate votes: ${yesValue.toFixed(2)} yes of ${fmt(total)} (${pct(yesValue, total)}); needs ${describe(t)}: ${passed ? 'met' : 'not met'}.`],
      };
    }
    case 'all':
    case 'any': {
      const parts = rule.rules.map((r) => evaluateRule(r, locals));
      const passed = rule.type === 'all' ? parts.every((p) => p.passed) : parts.some((p) => p.passed);
      return {
        passed, rule: rule.type, parts,
        steps: [...parts.flatMap((p) => p.steps), `${rule.type === 'all' ? 'All' : 'Any'} of ${parts.length} conditions (${parts.map((p) => (p.passed ? 'met' : 'not met')).join(', ')}): ${passed ? 'passed' : 'failed'}.`],
      };
    }
  }
}
