/**
 * The passing rules on IATSE-style cases: the same ballots can pass by delegates and fail the
 * popular vote, or the reverse; a strike local at exactly 75% counts yes and just under counts no;
 * a tied local goes where the stated tie rule says; a turnout below the minimum fails.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRule, majority, threeQuarters, type LocalCount, type Rule } from '../src/index.ts';

const local = (localId: string, delegates: number, yes: number, no: number, blank = 0, eligible = (yes + no + blank) * 2): LocalCount => ({ localId, delegates, yes, no, blank, ballots: yes + no + blank, eligible });
const delegateMajority: Rule = { type: 'delegates', allocation: 'winner-take-all', localThreshold: majority, tie: 'no', base: 'yes-no', threshold: majority };
const popularMajority: Rule = { type: 'popular', threshold: majority, base: 'yes-no' };
const strike: Rule = { type: 'delegates', allocation: 'winner-take-all', localThreshold: threeQuarters, tie: 'no', base: 'ballots', threshold: majority };

describe('delegates against the popular vote', () => {
  // Like November 2021: many small locals narrowly yes, one large local heavily no.
  const locals = [local('600', 80, 4_000, 4_500), local('700', 70, 3_000, 2_900), local('44', 40, 1_100, 1_000), local('80', 25, 700, 650), local('800', 24, 600, 550)];

  it('passes on delegates while the popular vote is short of a majority', () => {
    const byDelegates = evaluateRule(delegateMajority, locals);
    expect(byDelegates.passed).toBe(true);
    expect(byDelegates.steps.at(-1)).toBe('Delegate votes: 159 yes, 80 no, of 239 (66.53%); needs more than 1/2: met.');
    const popular = evaluateRule(popularMajority, locals);
    expect(popular.passed).toBe(false);
    expect(popular.steps).toEqual(['Popular vote: 9,400 yes of 19,000 yes and no votes = 49.47%; needs more than 1/2: not met.']);
    expect(evaluateRule({ type: 'all', rules: [popularMajority, delegateMajority] }, locals).passed).toBe(false);
  });

  it('and the reverse: a popular majority that loses on delegates', () => {
    const locals2 = [local('600', 80, 9_000, 1_000), local('700', 70, 900, 1_000), local('44', 40, 450, 500), local('80', 25, 300, 310)];
    expect(evaluateRule(popularMajority, locals2).passed).toBe(true);
    const d = evaluateRule(delegateMajority, locals2);
    expect(d.passed).toBe(false);
    expect(d.delegates!.map((x) => x.side)).toEqual(['yes', 'no', 'no', 'no']);
  });
});

describe('strike authorization at 75% per local', () => {
  it('a local at exactly 75% counts yes; just under counts no', () => {
    const outcome = evaluateRule(strike, [local('600', 80, 300, 100), local('700', 70, 2_999, 1_000)]);
    expect(outcome.delegates!.map((d) => [d.localId, d.side, d.yes])).toEqual([['600', 'yes', '80'], ['700', 'no', '0']]);
    expect(outcome.steps[0]).toBe('Local 600: 300 yes of 400 ballots cast = 75.00%, at least 3/4 needed: all 80 to yes.');
    expect(outcome.steps[1]).toBe('Local 700: 2,999 yes of 3,999 ballots cast = 74.99%, at least 3/4 needed: all 70 to no.');
    expect(outcome.passed).toBe(true); // 80 of 150 delegate votes
  });

  it('counts blank ballots against a threshold taken of ballots cast', () => {
    expect(evaluateRule(strike, [local('600', 10, 75, 20, 5)]).passed).toBe(true);
    expect(evaluateRule(strike, [local('600', 10, 74, 20, 6)]).passed).toBe(false);
  });
});

describe('ties and turnout', () => {
  it('a tied local goes where the stated tie rule says', () => {
    const tied = [local('600', 9, 50, 50), local('700', 8, 10, 20)];
    expect(evaluateRule({ ...delegateMajority, tie: 'no' } as Rule, tied).delegates![0]).toMatchObject({ side: 'no', yes: '0' });
    expect(evaluateRule({ ...delegateMajority, tie: 'yes' } as Rule, tied).delegates![0]).toMatchObject({ side: 'yes', yes: '9' });
    const split = evaluateRule({ ...delegateMajority, tie: 'split' } as Rule, tied);
    expect(split.delegates![0]).toMatchObject({ side: 'split', yes: '4' });
    expect(split.steps[0]).toBe('Local 600: 50 yes of 100 yes and no votes = 50.00%: a tie, and the tie rule gives 4 to yes and 5 to no.');
  });

  it('fails a turnout below the minimum and passes one at it', () => {
    const rule: Rule = { type: 'turnout', minimum: { numerator: 1, denominator: 2 } };
    expect(evaluateRule(rule, [local('600', 1, 40, 9, 0, 100)]).passed).toBe(false);
    expect(evaluateRule(rule, [local('600', 1, 40, 10, 0, 100)]).passed).toBe(true);
    expect(evaluateRule({ type: 'all', rules: [popularMajority, rule] }, [local('600', 1, 40, 9, 0, 100)]).steps.at(-1)).toBe('All of 2 conditions (met, not met): failed.');
  });

  it('splits delegates proportionally with exact fractions', () => {
    const rule: Rule = { type: 'delegates', allocation: 'proportional', base: 'yes-no', threshold: majority };
    // 10 * 1/3 + 20 * 2/3 = 50/3 = 16.67 of 30: more than half.
    const o = evaluateRule(rule, [local('600', 10, 1, 2), local('700', 20, 2, 1)]);
    expect(o.passed).toBe(true);
    expect(o.steps.at(-1)).toBe('Delegate votes: 16.67 yes of 30 (55.56%); needs more than 1/2: met.');
    // Exactly half does not pass "more than 1/2".
    expect(evaluateRule(rule, [local('600', 10, 1, 1)]).passed).toBe(false);
  });
});
