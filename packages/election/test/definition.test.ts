import { describe, expect, it } from 'vitest';
import { VoteDefinition, exampleVotes, fieldIssues, meets, majority, threeQuarters, type VoteDefinitionInput } from '../src/index.ts';

const issuesOf = (input: unknown) => {
  const r = VoteDefinition.safeParse(input);
  return r.success ? [] : fieldIssues(r.error);
};

describe('vote definitions: the IATSE-style examples', () => {
  it('accepts the Basic Agreement ratification: 13 locals, winner-take-all delegates, majority of delegates', () => {
    const v = VoteDefinition.parse(exampleVotes.ratifyBasicAgreement);
    expect(v.questions[0]!.locals).toHaveLength(13);
    expect(v.locals.reduce((s, l) => s + l.delegates, 0)).toBe(444);
    expect(v.questions[0]!.rule).toMatchObject({ type: 'delegates', allocation: 'winner-take-all', localThreshold: majority, threshold: majority });
  });

  it('accepts the strike authorization: a local counts yes only at 75% of its ballots', () => {
    const v = VoteDefinition.parse(exampleVotes.strikeAuthorization);
    expect(v.questions[0]!.rule).toMatchObject({ type: 'delegates', localThreshold: threeQuarters, base: 'ballots', threshold: majority });
    expect(v.turnoutList).toEqual({ visibleTo: ['secretary'], from: 'open' });
  });

  it('accepts one question per agreement put to two groups of locals', () => {
    const v = VoteDefinition.parse(exampleVotes.twoAgreements);
    expect(v.questions.map((q) => q.locals.length)).toEqual([13, 13]);
    expect(new Set([...v.questions[0]!.locals, ...v.questions[1]!.locals]).size).toBe(26);
  });

  it('accepts combinations: popular majority AND delegate majority AND 50% turnout', () => {
    const input = structuredClone(exampleVotes.ratifyBasicAgreement) as VoteDefinitionInput;
    input.questions[0]!.rule = {
      type: 'all',
      rules: [
        { type: 'popular', threshold: majority, base: 'yes-no' },
        input.questions[0]!.rule,
        { type: 'turnout', minimum: { numerator: 1, denominator: 2 } },
      ],
    };
    expect(issuesOf(input)).toEqual([]);
  });
});

describe('vote definitions: bad ones are refused with the field named', () => {
  const base = () => structuredClone(exampleVotes.ratifyBasicAgreement) as any;

  it.each([
    ['a local not in the vote', (v: any) => v.questions[0].locals.push('9999'), 'questions.0.locals.13'],
    ['a local listed twice', (v: any) => v.locals.push(v.locals[0]), 'locals.13.id'],
    ['closing before opening', (v: any) => (v.closesAt = '2026-11-30T00:00:00Z'), 'closesAt'],
    ['a malformed time', (v: any) => (v.opensAt = 'tomorrow'), 'opensAt'],
    ['negative delegates', (v: any) => (v.locals[2].delegates = -1), 'locals.2.delegates'],
    ['a fraction above one', (v: any) => (v.questions[0].rule.threshold.fraction = { numerator: 3, denominator: 2 }), 'questions.0.rule'],
    ['winner-take-all without a local threshold', (v: any) => delete v.questions[0].rule.localThreshold, 'questions.0.rule'],
    ['an unknown rule type', (v: any) => (v.questions[0].rule = { type: 'coin-flip' }), 'questions.0.rule'],
    ['a bad vote id', (v: any) => (v.id = 'Ratify 2024!'), 'id'],
    ['no questions', (v: any) => (v.questions = []), 'questions'],
    ['a question id listed twice', (v: any) => v.questions.push(v.questions[0]), 'questions.1.id'],
    ['delegate rule with no delegates', (v: any) => v.locals.forEach((l: any) => (l.delegates = 0)), 'questions.0.rule'],
  ])('%s', (_name, mutate, field) => {
    const v = base();
    mutate(v);
    const issues = issuesOf(v);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.field).some((f) => f === field || f.startsWith(`${field}.`))).toBe(true);
  });
});

describe('thresholds are exact', () => {
  it('a majority is more than half; three quarters is at least 75%', () => {
    expect(meets(50, 100, majority)).toBe(false);
    expect(meets(51, 100, majority)).toBe(true);
    expect(meets(75, 100, threeQuarters)).toBe(true);
    expect(meets(74, 100, threeQuarters)).toBe(false);
    // 2999 of 3999 is 74.994%, which rounds to 75% but is not three quarters.
    expect(meets(2999, 3999, threeQuarters)).toBe(false);
    expect(meets(3000, 4000, threeQuarters)).toBe(true);
    expect(meets(0, 0, majority)).toBe(false);
  });
});
