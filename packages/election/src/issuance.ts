/**
 * The issuance log: eligibility anyone can count (DESIGN.md property 5). Per local, every voting
 * code appears only as its pseudonym (code.ts `codePseudonym`, derived from the code itself, so only
 * the holder of the letter can find their entry), with the moment it was issued, revoked (replaced
 * by a new letter, or its member left good standing) and whether it produced a token. No member
 * name or number. Hash-chained and signed by the board like the official acts, and in the record.
 *
 * Token entries are written in batches (the service flushes them on a timer, at most hourly, and at
 * the close), pseudonyms sorted: the log shows *that* a code drew a token within a batch, never in
 * what order, so it cannot be lined up with the order of the ballot box.
 *
 * The verifier (`checkIssuanceLog`) counts per local: codes issued, codes revoked, tokens; a member
 * who did not vote and finds a token drawn on their code (`findCode`) holds evidence of stuffing.
 * Zod-free: the board page runs the member's look-up in the browser.
 */
import { FIRST_PREV, chainHash } from './chain.ts';

export const ISSUANCE_KINDS = ['issued', 'revoked', 'tokens'] as const;
export type IssuanceKind = (typeof ISSUANCE_KINDS)[number];

/** Pseudonyms in one entry, at most (the service splits larger batches). */
export const MAX_PSEUDONYMS_PER_ENTRY = 5000;

export interface IssuanceEntry {
  seq: number;
  /** ISO-8601 UTC. */
  at: string;
  localId: string;
  kind: IssuanceKind;
  /** Code pseudonyms (32 hex characters), sorted, without repeats. */
  pseudonyms: string[];
  /** Hash of the previous entry (64 zeros for the first). */
  prev: string;
  hash: string;
  /** The board's signature over the hash (statement kind "issuance"). */
  signature: string;
}

export function issuanceEntryHash(voteId: string, e: Omit<IssuanceEntry, 'hash' | 'signature'>): string {
  return chainHash('union-vote/issuance/v1', voteId, { seq: e.seq, at: e.at, localId: e.localId, kind: e.kind, pseudonyms: e.pseudonyms, prev: e.prev });
}

export interface LocalIssuance {
  issued: number;
  revoked: number;
  tokens: number;
}

export interface IssuanceContext {
  voteId: string;
  localIds: ReadonlySet<string>;
  /** verifyStatement('issuance', hash bytes, signature) with the board key. */
  verifySignature(hash: string, signature: string): boolean;
  /** When the vote closed (from the acts): no entry may come later. */
  closedAt?: string | undefined;
}

const PSEUDONYM = /^[0-9a-f]{32}$/;

/** Every rule of the log, and the counts it yields per local. */
export function checkIssuanceLog(entries: readonly IssuanceEntry[], ctx: IssuanceContext): { problems: string[]; locals: Map<string, LocalIssuance> } {
  const problems: string[] = [];
  const locals = new Map<string, LocalIssuance>([...ctx.localIds].map((l) => [l, { issued: 0, revoked: 0, tokens: 0 }]));
  // Per pseudonym: its local, and whether it was revoked or drew a token.
  const codes = new Map<string, { localId: string; revoked: boolean; token: boolean }>();
  let prev = FIRST_PREV;
  let lastAt = '';
  entries.forEach((e, i) => {
    const where = `entry ${i} (${e.kind}, local ${e.localId})`;
    if (e.seq !== i) problems.push(`${where}: numbered ${e.seq}, expected ${i}`);
    if (e.prev !== prev) problems.push(`${where}: does not follow the entry before it (chain broken)`);
    if (issuanceEntryHash(ctx.voteId, e) !== e.hash) problems.push(`${where}: its hash does not match its content`);
    if (!ctx.verifySignature(e.hash, e.signature)) problems.push(`${where}: not signed by the board key`);
    prev = e.hash;
    if (Number.isNaN(Date.parse(e.at))) problems.push(`${where}: its time is not a time`);
    else {
      if (lastAt && Date.parse(e.at) < Date.parse(lastAt)) problems.push(`${where}: dated ${e.at}, before the entry ahead of it (${lastAt})`);
      if (ctx.closedAt && Date.parse(e.at) > Date.parse(ctx.closedAt)) problems.push(`${where}: dated ${e.at}, after the vote closed (${ctx.closedAt})`);
      lastAt = e.at;
    }
    const local = locals.get(e.localId);
    if (!local) {
      problems.push(`${where}: local ${e.localId} is not in the vote`);
      return;
    }
    if (e.pseudonyms.length === 0 || e.pseudonyms.length > MAX_PSEUDONYMS_PER_ENTRY) problems.push(`${where}: holds ${e.pseudonyms.length} codes`);
    e.pseudonyms.forEach((p, k) => {
      if (!PSEUDONYM.test(p)) problems.push(`${where}: code ${k} is not a pseudonym`);
      if (k > 0 && p <= e.pseudonyms[k - 1]!) problems.push(`${where}: codes not sorted or repeated at ${k}`);
      const code = codes.get(p);
      if (e.kind === 'issued') {
        if (code) problems.push(`${where}: code ${p} was already issued`);
        else {
          codes.set(p, { localId: e.localId, revoked: false, token: false });
          local.issued++;
        }
        return;
      }
      if (!code || code.localId !== e.localId) {
        problems.push(`${where}: code ${p} was never issued in local ${e.localId}`);
        return;
      }
      if (code.revoked) problems.push(`${where}: code ${p} was already revoked`);
      else if (code.token) problems.push(`${where}: code ${p} already drew a token`);
      else if (e.kind === 'revoked') {
        code.revoked = true;
        local.revoked++;
      } else {
        code.token = true;
        local.tokens++;
      }
    });
  });
  return { problems, locals };
}

/** What the log says of one code: where it was issued, and whether it was revoked or drew a token. */
export interface CodeHistory {
  localId: string;
  issued: IssuanceEntry;
  revoked?: IssuanceEntry;
  token?: IssuanceEntry;
}

/**
 * A challenged code's challenge, by the code's pseudonym: the first `challenge issued` act naming it
 * (challenged codes are never in the issuance log; a second act naming one is refused by the acts'
 * rules). Read alike by the verifier's `unused-codes` and the board's "Was my code used?".
 */
export function findChallengedCode(acts: readonly { act: string; localId: string | null; details: Record<string, unknown> }[], pseudonym: string): { id: string; localId: string } | undefined {
  const a = acts.find((x) => x.act === 'challenge issued' && x.localId && x.details.code === pseudonym && typeof x.details.challenge === 'string');
  return a ? { id: a.details.challenge as string, localId: a.localId! } : undefined;
}

/** (Member, in the browser) The entries of one code, by its pseudonym; undefined if it was never issued. */
export function findCode(entries: readonly IssuanceEntry[], pseudonym: string): CodeHistory | undefined {
  let found: CodeHistory | undefined;
  for (const e of entries) {
    if (!e.pseudonyms.includes(pseudonym)) continue;
    if (e.kind === 'issued') found ??= { localId: e.localId, issued: e };
    else if (found && e.kind === 'revoked') found.revoked ??= e;
    else if (found && e.kind === 'tokens') found.token ??= e;
  }
  return found;
}

