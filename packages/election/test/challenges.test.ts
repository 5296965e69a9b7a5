/**
 * Challenged ballots in the pure domain: the acts' rules, the closing the trustees decrypt at, and
 * what the results say of challenged ballots left unresolved.
 */
import { describe, expect, it } from 'vitest';
import {
  FIRST_PREV, actHash, checkActs, closedActOf, computeResults, exampleVotes, unresolvedCouldChange, VoteDefinition, type Act, type LocalCount, type Rule,
} from '../src/index.ts';

const VOTE = 'v';
type Step = [Act['act'], string | null, Act['details']?];

/** A chain of acts (unsigned: the context accepts any signature). */
function chain(steps: Step[]): Act[] {
  const acts: Act[] = [];
  let prev = FIRST_PREV;
  steps.forEach(([act, localId, details = {}], seq) => {
    const body = { seq, at: new Date(Date.UTC(2031, 2, 4, 9, seq)).toISOString(), role: 'admin', localId, act, details, prev };
    const hash = actHash(VOTE, body);
    acts.push({ ...body, hash, signature: 'sig' });
    prev = hash;
  });
  return acts;
}
const problems = (steps: Step[]) => checkActs(chain(steps), { voteId: VOTE, status: 'open', verifySignature: () => true }).problems;
const OPEN: Step[] = [['vote defined', null], ['vote sealed', null], ['vote opened', null]];
const issued = (id: string, local = '700'): Step => ['challenge issued', local, { challenge: id, reason: 'not on the roster' }];
const ruled = (id: string, ruling: string, local = '700'): Step => ['challenge ruled', local, { challenge: id, ruling, reason: 'dues ledger checked' }];

describe('the acts of challenged ballots', () => {
  it('a challenge issued while open and ruled once after the close is in order', () => {
    expect(problems([...OPEN, issued('C1'), ['vote closed', null], ruled('C1', 'accepted')])).toEqual([]);
  });

  it('refuses a ruling before the close, after a decryption, twice, in another local, or on a challenge never issued', () => {
    expect(problems([...OPEN, issued('C1'), ruled('C1', 'accepted'), ['vote closed', null]])).toEqual(['act 4 (challenge ruled): challenges are ruled on after the vote closes']);
    expect(problems([...OPEN, issued('C1'), ['vote closed', null], ['decryptions submitted', null, { trusteeId: 'a' }], ruled('C1', 'rejected')]))
      .toEqual([expect.stringContaining('after a trustee decrypted the totals')]);
    expect(problems([...OPEN, issued('C1'), ['vote closed', null], ruled('C1', 'accepted'), ruled('C1', 'rejected')])).toEqual(['act 6 (challenge ruled): challenge C1 was already ruled on (accepted)']);
    expect(problems([...OPEN, issued('C1'), ['vote closed', null], ruled('C1', 'accepted', '80')])).toEqual(['act 5 (challenge ruled): challenge C1 is in local 700, not 80']);
    expect(problems([...OPEN, ['vote closed', null], ruled('C9', 'accepted')])).toEqual(['act 4 (challenge ruled): rules on challenge C9, which was never issued']);
    expect(problems([...OPEN, issued('C1'), ['vote closed', null], ruled('C1', 'maybe')])).toEqual(['act 5 (challenge ruled): the ruling is neither accepted nor rejected']);
  });

  it('refuses a challenge issued before the sealing, after the close, twice, without a reason or a local', () => {
    expect(problems([['vote defined', null], issued('C1'), ['vote sealed', null], ['vote opened', null]])).toEqual(['act 1 (challenge issued): challenged codes are issued once the manifest is sealed']);
    expect(problems([...OPEN, ['vote closed', null], issued('C1')])).toEqual(['act 4 (challenge issued): after the vote closed']);
    expect(problems([...OPEN, issued('C1'), issued('C1')])).toEqual(['act 4 (challenge issued): challenge C1 was already issued']);
    expect(problems([...OPEN, ['challenge issued', '700', { challenge: 'C1', reason: ' ' }]])).toEqual(['act 3 (challenge issued): gives no reason']);
    expect(problems([...OPEN, ['challenge issued', null, { challenge: 'C1', reason: 'r' }]])).toEqual(['act 3 (challenge issued): in no local']);
  });

  it('binds the decryptions to the last ruling after the close, and to the close without one', () => {
    const plain = chain([...OPEN, issued('C1'), ['vote closed', null], ['decryptions submitted', null, { trusteeId: 'a' }]]);
    expect(closedActOf(plain)).toBe(plain[4]!.hash);
    const ruledActs = chain([...OPEN, issued('C1'), issued('C2'), ['vote closed', null], ruled('C1', 'accepted'), ruled('C2', 'rejected'), ['decryptions submitted', null, { trusteeId: 'a' }]]);
    expect(closedActOf(ruledActs)).toBe(ruledActs[7]!.hash);
  });
});

const majority: Rule = { type: 'popular', threshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false }, base: 'yes-no' };
const local = (localId: string, yes: number, no: number, eligible = 100): LocalCount => ({ localId, eligible, ballots: yes + no, yes, no, blank: 0, delegates: 10 });

describe('challenged ballots left unresolved at the count', () => {
  it('could change a majority decided by fewer votes than are unresolved, and not one decided by more', () => {
    expect(unresolvedCouldChange(majority, [local('700', 10, 9)], new Map([['700', 2]]), false)).toBe(true);
    expect(unresolvedCouldChange(majority, [local('700', 10, 7)], new Map([['700', 2]]), false)).toBe(false);
    // A tie made by rejecting nothing and adding one no: 10–10 is not more than half.
    expect(unresolvedCouldChange(majority, [local('700', 10, 8)], new Map([['700', 2]]), false)).toBe(true);
  });

  it('tries the unresolved ballots rejected too: a turnout rule they alone meet could fail without them', () => {
    const turnout: Rule = { type: 'turnout', minimum: { numerator: 1, denominator: 2 } };
    expect(unresolvedCouldChange(turnout, [local('700', 30, 20, 100)], new Map([['700', 1]]), false)).toBe(false);
    // 50 of 101 eligible without them, 51 with one: whether it is counted decides.
    expect(unresolvedCouldChange(turnout, [local('700', 30, 20, 101)], new Map([['700', 1]]), false)).toBe(true);
  });

  it('answers "could" at once when the ways to count them are too many to try (thousands unresolved take no memory)', () => {
    expect(unresolvedCouldChange(majority, [local('700', 100_000, 1)], new Map([['700', 5000]]), true)).toBe(true);
  });

  it('the results state how many were left unresolved and whether they could have changed the outcome', () => {
    const def = VoteDefinition.parse({ ...exampleVotes.ratifyBasicAgreement, id: 'unresolved' });
    const q = def.questions[0]!;
    const counts = q.locals.map((l, i) => ({ questionId: q.id, localId: l, ballots: 10, yes: i === 0 ? 6 : 5, no: i === 0 ? 4 : 5 }));
    const eligible = Object.fromEntries(q.locals.map((l) => [l, 20]));
    const challenges = [{ localId: q.locals[0]!, challenged: 3, accepted: 1, rejected: 0, unresolved: 2 }];
    const results = computeResults(def, eligible, counts, challenges);
    expect(results.challenges).toEqual(challenges);
    expect(results.questions[0]!.unresolved).toMatchObject({ ballots: 2 });
    expect(results.questions[0]!.unresolved!.statement).toMatch(/^2 challenged ballots were not ruled on before the count and not counted \(local \w+: 2\): /);
    // Without challenges the results are as before: no field about them.
    expect(computeResults(def, eligible, counts)).not.toHaveProperty('challenges');
  });
});
