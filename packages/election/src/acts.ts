/**
 * The official acts of a vote: every step taken by its officials (defined, trustees registered,
 * sealed into a manifest, approved by each trustee, opened, rosters imported, codes issued, closed,
 * decrypted, published), each with who did it as a role and a local, never member data. Each act
 * is hashed with the one before it (a chain, so none can be dropped or reordered unseen), and from
 * the sealing on (when the board key is made) signed by the board key; the acts before it are
 * covered by the first signed act's chain. Pure: the service appends, the verifier checks
 * (`checkActs`).
 *
 * Roster changes during the vote ('roster imported', 'good standing changed') carry the local's new
 * `eligible` count in their details: the manifest fixes each local's count at sealing, and only
 * these signed acts change it (`eligibleFromActs`).
 *
 * Challenged ballots (challenges.ts): 'challenge issued' (details: challenge, reason) while the
 * vote is sealed or open, 'challenge ruled' (challenge, ruling, reason) after the close and before
 * any decryption. Paper ballots (paper.ts): 'paper ballots counted' in a local, once the vote has
 * opened and before any decryption.
 */
import { FIRST_PREV, chainHash } from './chain.ts';
import { challengeActProblems, type ChallengeActsState } from './challenges.ts';


export const ACTS = [
  'vote defined', 'vote changed', 'trustee registered', 'key ceremony ended', 'key ceremony restarted', 'vote sealed', 'vote withdrawn', 'manifest approved', 'vote opened',
  'person changed', 'roster imported', 'good standing changed', 'codes issued', 'code reissued', 'challenge issued', 'paper voters checked', 'paper ballots counted', 'vote closed', 'challenge ruled', 'decryptions submitted', 'results published',
] as const;
export type ActKind = (typeof ACTS)[number];

export interface Act {
  seq: number;
  /** ISO-8601 UTC. */
  at: string;
  /** admin, secretary, trustee, or clock / service for what the system did by itself. */
  role: string;
  /** The local the act concerns, where there is one. */
  localId: string | null;
  act: ActKind;
  details: Record<string, string | number | boolean>;
  /** Hash of the previous act (64 zeros for the first). */
  prev: string;
  hash: string;
  /** The board's signature over the hash (statement kind "act"); null before the vote was sealed. */
  signature: string | null;
}

/** The act's hash: SHA-256 of the canonical JSON of everything but the hash and signature. */
export function actHash(voteId: string, a: Omit<Act, 'hash' | 'signature'>): string {
  return chainHash('union-vote/act/v1', voteId, { seq: a.seq, at: a.at, role: a.role, localId: a.localId, act: a.act, details: a.details, prev: a.prev });
}

export interface ActsContext {
  voteId: string;
  status: string;
  /** verifyStatement('act', hash bytes, signature) with the board key. */
  verifySignature(hash: string, signature: string): boolean;
}

/** What the acts establish, besides the problems: when the vote was sealed, opened and closed. */
export interface ActsSummary {
  problems: string[];
  sealedAt?: string;
  openedAt?: string;
  closedAt?: string;
  /** Per local, the codes the acts issue ('codes issued' and 'code reissued' counts). */
  codesIssued: Map<string, number>;
}

const DRAFT_ONLY: readonly string[] = ['vote changed', 'trustee registered', 'key ceremony ended', 'key ceremony restarted'];
const ROSTER_OR_CODES: readonly string[] = ['codes issued', 'code reissued', 'roster imported', 'good standing changed'];

/** Every rule the acts must keep; `problems` is empty when all is well. */
export function checkActs(acts: readonly Act[], ctx: ActsContext): ActsSummary {
  const problems: string[] = [];
  const summary: ActsSummary = { problems, codesIssued: new Map() };
  let prev = FIRST_PREV;
  let signedFrom = -1;
  let draft = true;
  let opened = -1;
  let closed = -1;
  let decrypting = false;
  const challenges: ChallengeActsState = { challenges: new Map(), pseudonyms: new Map() };
  acts.forEach((a, i) => {
    const where = `act ${i} (${a.act})`;
    if (a.seq !== i) problems.push(`${where}: numbered ${a.seq}, expected ${i}`);
    if (a.prev !== prev) problems.push(`${where}: does not follow the act before it (chain broken)`);
    if (actHash(ctx.voteId, a) !== a.hash) problems.push(`${where}: its hash does not match its content`);
    prev = a.hash;
    if (!(ACTS as readonly string[]).includes(a.act)) problems.push(`${where}: unknown act`);
    if (Number.isNaN(Date.parse(a.at))) problems.push(`${where}: its time is not a time`);
    if (a.act === 'vote sealed') {
      if (!draft) problems.push(`${where}: sealed while not a draft`);
      draft = false;
      if (signedFrom < 0) signedFrom = i;
      summary.sealedAt = a.at;
    }
    if (a.act === 'vote withdrawn') {
      if (draft || opened >= 0) problems.push(`${where}: only a sealed vote that has not opened can be withdrawn`);
      draft = true;
    }
    if (a.act === 'vote opened') {
      if (opened >= 0) problems.push(`${where}: the vote was opened twice`);
      if (draft) problems.push(`${where}: opened without a sealed manifest`);
      opened = i;
      summary.openedAt = a.at;
    }
    if (signedFrom >= 0 && (a.signature === null || !ctx.verifySignature(a.hash, a.signature))) problems.push(`${where}: not signed by the board key`);
    if (!draft && DRAFT_ONLY.includes(a.act)) problems.push(`${where}: only a draft can be changed, and the vote was ${opened >= 0 ? 'open' : 'sealed'}`);
    if (a.act === 'vote defined' && i > 0) problems.push(`${where}: the vote is defined again`);
    if (a.act === 'manifest approved' && (draft || opened >= 0)) problems.push(`${where}: approvals are given to a sealed manifest before the vote opens`);
    if (a.act === 'vote closed') {
      if (closed >= 0) problems.push(`${where}: the vote was closed twice`);
      if (opened < 0) problems.push(`${where}: closed before it opened`);
      closed = i;
      summary.closedAt = a.at;
    }
    if (closed >= 0 && i > closed && ROSTER_OR_CODES.includes(a.act)) problems.push(`${where}: after the vote closed`);
    // An eligible count is a count: a fraction or a negative number would give a turnout no roster has.
    if (ELIGIBLE_ACTS.includes(a.act) && 'eligible' in a.details && !(Number.isSafeInteger(a.details.eligible) && (a.details.eligible as number) >= 0)) {
      problems.push(`${where}: states local ${a.localId ?? '?'}'s eligible count as ${JSON.stringify(a.details.eligible)}, not a whole number of members`);
    }
    if ((a.act === 'codes issued' || a.act === 'code reissued') && draft) problems.push(`${where}: codes are issued once the manifest is sealed (their letters carry its fingerprint)`);
    if (a.act === 'challenge issued' || a.act === 'challenge ruled') {
      problems.push(...challengeActProblems(a, where, challenges, { sealed: !draft, closed: closed >= 0, decrypting }));
    }
    if (a.act === 'paper voters checked' && (opened < 0 || decrypting || !a.localId)) problems.push(`${where}: paper voters are checked in a local, from the opening until a trustee decrypts`);
    if (a.act === 'paper ballots counted') {
      if (opened < 0) problems.push(`${where}: paper ballots are counted once the vote has opened`);
      if (decrypting) problems.push(`${where}: after a trustee decrypted the totals`);
      if (!a.localId) problems.push(`${where}: in no local`);
    }
    if (a.act === 'decryptions submitted') {
      // Decryptions are bound to the acts up to the close (record.ts closedActOf): one dated before it
      // would bind none of them, and leave every act before the close free to be rewritten afterwards.
      if (closed < 0) problems.push(`${where}: decryptions submitted before the vote closed`);
      decrypting = true;
    }
    if (a.act === 'results published' && closed < 0) problems.push(`${where}: results published before the vote closed`);
    if ((a.act === 'codes issued' || a.act === 'code reissued') && a.localId) {
      summary.codesIssued.set(a.localId, (summary.codesIssued.get(a.localId) ?? 0) + Number(a.details.count ?? 1));
    }
  });
  if (acts.length && acts[0]!.act !== 'vote defined') problems.push('the first act is not the vote\'s definition');
  if (opened < 0) problems.push('no act opened the vote');
  if ((ctx.status === 'closed' || ctx.status === 'tallied') && closed < 0) problems.push('no act closed the vote');
  if (ctx.status === 'tallied' && !acts.some((a) => a.act === 'results published')) problems.push('no act published the results');
  return summary;
}

/** Acts that state a local's new eligible count: roster changes, a challenged code (its member's unused code revoked), a ruling (an accepted member counts). */
const ELIGIBLE_ACTS: readonly string[] = ['roster imported', 'good standing changed', 'challenge issued', 'challenge ruled'];

/**
 * Each local's eligible count: the manifest's (the roster when the vote was sealed), then every
 * signed roster act after the sealing that states the local's new count, in order.
 */
export function eligibleFromActs(manifestEligible: Readonly<Record<string, number>>, acts: readonly Act[]): Map<string, number> {
  let eligible = new Map(Object.entries(manifestEligible));
  let sealed = false;
  for (const a of acts) {
    if (a.act === 'vote sealed') {
      // The manifest is the last sealing's; counts restart from its snapshot.
      sealed = true;
      eligible = new Map(Object.entries(manifestEligible));
    }
    if (a.act === 'vote withdrawn') sealed = false;
    if (sealed && a.localId && ELIGIBLE_ACTS.includes(a.act) && typeof a.details.eligible === 'number') {
      eligible.set(a.localId, a.details.eligible);
    }
  }
  return eligible;
}
