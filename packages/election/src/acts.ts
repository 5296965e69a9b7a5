/**
 * The official acts of a vote: every step taken by its officials (defined, trustees registered,
 * opened, rosters imported, codes issued, closed, decrypted, published), each with who did it as a
 * role and a local, never member data. Each act is hashed with the one before it (a chain, so none
 * can be dropped or reordered unseen), and from the opening on signed by the board key; the acts
 * before the opening are covered by the signed opening's chain. Pure: the service appends, the
 * verifier checks (`checkActs`).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical.ts';

export const ACTS = [
  'vote defined', 'vote changed', 'trustee registered', 'vote opened', 'roster imported', 'good standing changed',
  'codes issued', 'code reissued', 'vote closed', 'decryptions submitted', 'results published',
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
  /** The board's signature over the hash (statement kind "act"); null before the vote opened. */
  signature: string | null;
}

export const FIRST_PREV = '0'.repeat(64);

/** The act's hash: SHA-256 of the canonical JSON of everything but the hash and signature. */
export function actHash(voteId: string, a: Omit<Act, 'hash' | 'signature'>): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson({ format: 'union-vote/act/v1', voteId, seq: a.seq, at: a.at, role: a.role, localId: a.localId, act: a.act, details: a.details, prev: a.prev }))));
}

export interface ActsContext {
  voteId: string;
  status: string;
  issuance: { localId: string; codesIssued: number }[];
  /** verifyStatement('act', hash bytes, signature) with the board key. */
  verifySignature(hash: string, signature: string): boolean;
}

/** Every rule the acts must keep; returns what is wrong (empty when all is well). */
export function checkActs(acts: readonly Act[], ctx: ActsContext): string[] {
  const problems: string[] = [];
  let prev = FIRST_PREV;
  let opened = -1;
  let closed = -1;
  const codes = new Map<string, number>();
  acts.forEach((a, i) => {
    const where = `act ${i} (${a.act})`;
    if (a.seq !== i) problems.push(`${where}: numbered ${a.seq}, expected ${i}`);
    if (a.prev !== prev) problems.push(`${where}: does not follow the act before it (chain broken)`);
    if (actHash(ctx.voteId, a) !== a.hash) problems.push(`${where}: its hash does not match its content`);
    prev = a.hash;
    if (!(ACTS as readonly string[]).includes(a.act)) problems.push(`${where}: unknown act`);
    if (a.act === 'vote opened') {
      if (opened >= 0) problems.push(`${where}: the vote was opened twice`);
      opened = i;
    }
    if (opened >= 0 && (a.signature === null || !ctx.verifySignature(a.hash, a.signature))) problems.push(`${where}: not signed by the board key`);
    if (opened >= 0 && i > opened && (a.act === 'vote changed' || a.act === 'trustee registered' || a.act === 'vote defined')) problems.push(`${where}: after the vote opened`);
    if (a.act === 'vote closed') {
      if (closed >= 0) problems.push(`${where}: the vote was closed twice`);
      if (opened < 0) problems.push(`${where}: closed before it opened`);
      closed = i;
    }
    if (closed >= 0 && i > closed && ['codes issued', 'code reissued', 'roster imported', 'good standing changed'].includes(a.act)) problems.push(`${where}: after the vote closed`);
    if (a.act === 'results published' && closed < 0) problems.push(`${where}: results published before the vote closed`);
    if ((a.act === 'codes issued' || a.act === 'code reissued') && a.localId) codes.set(a.localId, (codes.get(a.localId) ?? 0) + Number(a.details.count ?? 1));
  });
  if (acts.length && acts[0]!.act !== 'vote defined') problems.push('the first act is not the vote\'s definition');
  if (opened < 0) problems.push('no act opened the vote');
  if ((ctx.status === 'closed' || ctx.status === 'tallied') && closed < 0) problems.push('no act closed the vote');
  if (ctx.status === 'tallied' && !acts.some((a) => a.act === 'results published')) problems.push('no act published the results');
  for (const i of ctx.issuance) {
    const logged = codes.get(i.localId) ?? 0;
    if (i.codesIssued > logged) problems.push(`local ${i.localId}: ${i.codesIssued} live codes, but the acts issue only ${logged}`);
  }
  return problems;
}
