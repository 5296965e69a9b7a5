/**
 * Challenged ballots (29 CFR 452.97(b)): a member whose eligibility is disputed (not on the roster,
 * or their good standing contested) votes like any other, and their ballot is set aside until the
 * officials rule on the challenge, without ever revealing how it was marked.
 *
 * How it is built (docs/decisions.md, "Challenged ballots"):
 *  - A secretary issues a challenged code, with a reason: the signed act `challenge issued`
 *    (details: challenge id, reason) in the member's local. The member's name stays in the database,
 *    for the officials; the act names no one.
 *  - The ballot is cast with that code instead of a token, under the nullifier
 *    `challengedBallotNullifier(vote, local, challenge)` (crypto token.ts): public, fixed by the
 *    challenge id, bound into the ballot's proofs and its leaf. Anyone can tell from the box alone
 *    which ballots are challenged, and under which challenge; the box's unique nullifier allows one.
 *  - Challenged ballots stay out of the encrypted totals. After the close, and before any trustee
 *    decrypts, the officials rule on each (`challenge ruled`: accepted or rejected, with the reason).
 *    An accepted ballot is added to its local's encrypted total; a rejected one stays in the box and
 *    is never decrypted. No ballot is ever decrypted alone: only the totals are.
 *  - The trustees' decryptions are bound to the last ruling (record.ts `closingOf`), so a ruling
 *    changed afterwards no longer matches them; the verifier recomputes the totals from the
 *    unchallenged and accepted ballots, and the results say how many were challenged, accepted,
 *    rejected and left unresolved per local, and whether the unresolved could change the outcome.
 * Pure and zod-free.
 */
import type { Act } from './acts.ts';
import { evaluateRule, type LocalCount } from './outcome.ts';
import type { Rule } from './rule.ts';

export const RULINGS = ['accepted', 'rejected'] as const;
export type Ruling = (typeof RULINGS)[number];

/** A challenge id: C and a number, given in order within the vote. */
export const CHALLENGE_ID = /^C[1-9][0-9]{0,6}$/;

export interface Challenge {
  id: string;
  localId: string;
  reason: string;
  ruling?: Ruling;
  rulingReason?: string;
}

/** The state the acts' checks keep about challenges, act after act. */
export interface ChallengeActsState {
  challenges: Map<string, Challenge>;
  /** The code pseudonyms challenge acts named so far: each names its own code, never another's. */
  pseudonyms?: Map<string, string>;
}

/**
 * The rules of a challenge act at its place in the chain (called by `checkActs`): issued once the
 * manifest is sealed and before the close, in a local, with a reason; ruled after the close and before
 * any decryption, once, as accepted or rejected, with a reason.
 */
export function challengeActProblems(a: Pick<Act, 'act' | 'localId' | 'details'>, where: string, s: ChallengeActsState, phase: { sealed: boolean; closed: boolean; decrypting: boolean }): string[] {
  const problems: string[] = [];
  const id = a.details.challenge;
  const reason = a.details.reason;
  if (typeof id !== 'string' || !CHALLENGE_ID.test(id)) return [`${where}: names no challenge`];
  if (typeof reason !== 'string' || !reason.trim()) problems.push(`${where}: gives no reason`);
  if (a.act === 'challenge issued') {
    if (!phase.sealed) problems.push(`${where}: challenged codes are issued once the manifest is sealed`);
    if (phase.closed) problems.push(`${where}: after the vote closed`);
    if (!a.localId) problems.push(`${where}: in no local`);
    if (s.challenges.has(id)) problems.push(`${where}: challenge ${id} was already issued`);
    else s.challenges.set(id, { id, localId: a.localId ?? '', reason: String(reason ?? '') });
    // One challenged code per challenge: a second act naming the same code would let a look-up of that
    // code find the wrong challenge (and miss the ballot cast under the right one).
    if (s.pseudonyms && typeof a.details.code === 'string') {
      const before = s.pseudonyms.get(a.details.code);
      if (before !== undefined) problems.push(`${where}: names the same challenged code as challenge ${before}`);
      else s.pseudonyms.set(a.details.code, id);
    }
    return problems;
  }
  const c = s.challenges.get(id);
  if (!c) return [...problems, `${where}: rules on challenge ${id}, which was never issued`];
  if (!phase.closed) problems.push(`${where}: challenges are ruled on after the vote closes`);
  if (phase.decrypting) problems.push(`${where}: after a trustee decrypted the totals (a ruling then would change what they decrypted)`);
  if (a.localId !== c.localId) problems.push(`${where}: challenge ${id} is in local ${c.localId}, not ${a.localId ?? 'none'}`);
  if (a.details.ruling !== 'accepted' && a.details.ruling !== 'rejected') problems.push(`${where}: the ruling is neither accepted nor rejected`);
  if (c.ruling) problems.push(`${where}: challenge ${id} was already ruled on (${c.ruling})`);
  else if (a.details.ruling === 'accepted' || a.details.ruling === 'rejected') {
    c.ruling = a.details.ruling;
    c.rulingReason = String(reason ?? '');
  }
  return problems;
}

/** The challenges as the acts leave them (issued, and each one's ruling if any). */
export function challengesFromActs(acts: readonly Pick<Act, 'act' | 'localId' | 'details'>[]): Map<string, Challenge> {
  const s: ChallengeActsState = { challenges: new Map() };
  for (const a of acts) {
    if (a.act === 'challenge issued' || a.act === 'challenge ruled') challengeActProblems(a, '', s, { sealed: true, closed: a.act === 'challenge ruled', decrypting: false });
  }
  return s.challenges;
}

/** Per local: challenged ballots cast, and how the rulings left them. */
export interface ChallengeCount {
  localId: string;
  challenged: number;
  accepted: number;
  rejected: number;
  unresolved: number;
}

/**
 * The counts per local (in the definition's order, only locals with a challenged ballot), from the
 * challenges and the ids of those under which a ballot is in the box.
 */
export function challengeCounts(localIds: readonly string[], challenges: ReadonlyMap<string, Challenge>, cast: ReadonlySet<string>): ChallengeCount[] {
  return localIds.flatMap((localId) => {
    const mine = [...challenges.values()].filter((c) => c.localId === localId && cast.has(c.id));
    if (!mine.length) return [];
    const accepted = mine.filter((c) => c.ruling === 'accepted').length;
    const rejected = mine.filter((c) => c.ruling === 'rejected').length;
    return [{ localId, challenged: mine.length, accepted, rejected, unresolved: mine.length - accepted - rejected }];
  });
}

/** Beyond this many ways to count the unresolved ballots, they are taken as able to change the outcome. */
const MAX_TRIES = 200_000;

/**
 * Could the unresolved challenged ballots, were they ruled on, change the rule's outcome? Every way
 * they could count is tried: in each local, any number of them yes, no or blank (blank only where
 * the question allows it), the rest rejected. Exact; when the ways are too many to try, the answer
 * is yes (never a false "could not").
 */
export function unresolvedCouldChange(rule: Rule, locals: readonly LocalCount[], unresolved: ReadonlyMap<string, number>, blankAllowed: boolean): boolean {
  const passed = evaluateRule(rule, [...locals]).passed;
  const open = locals.map((l, i) => ({ i, u: unresolved.get(l.localId) ?? 0 })).filter((x) => x.u > 0);
  if (!open.length) return false;
  // How many ways there are, counted before any is listed: (u+3 choose 3) per local, (u+2 choose 2) without blank.
  let ways = 1;
  for (const { u } of open) {
    ways *= blankAllowed ? ((u + 1) * (u + 2) * (u + 3)) / 6 : ((u + 1) * (u + 2)) / 2;
    if (ways > MAX_TRIES) return true;
  }
  // Each local's options: (yes, no, blank) added, with yes + no + blank ≤ its unresolved.
  const options = open.map(({ u }) => {
    const list: [number, number, number][] = [];
    for (let y = 0; y <= u; y++) for (let n = 0; n + y <= u; n++) for (let b = 0; b + n + y <= u; b++) if (blankAllowed || b === 0) list.push([y, n, b]);
    return list;
  });
  const trial = locals.map((l) => ({ ...l }));
  const walk = (k: number): boolean => {
    if (k === open.length) return evaluateRule(rule, trial).passed !== passed;
    const { i } = open[k]!;
    const base = locals[i]!;
    for (const [y, n, b] of options[k]!) {
      trial[i] = { ...base, ballots: base.ballots + y + n + b, yes: base.yes + y, no: base.no + n, blank: base.blank + b };
      if (walk(k + 1)) return true;
    }
    trial[i] = { ...base };
    return false;
  };
  return walk(0);
}
