/**
 * The trustees' key ceremony on the server (k of n, docs/trustees.md): the server relays the signed
 * messages, refuses one that does not verify or comes out of turn, and when the last one is in (or
 * the administrator ends it) stores the trustees who qualified, with their public shares, in the
 * same transaction, with the official act. It learns nothing: the shares travel sealed to their
 * recipients, and the election key follows from the public commitments.
 */
import type { Kysely } from 'kysely';
import { addCeremonyMessage, ceremonyOver, endCeremony, findVote, listCeremony, withTransaction, lockVote, type CeremonyRow, type CeremonyTrustee, type Schema } from '@union-vote/db';
import {
  evaluateCeremony, type CeremonyState, type DkgAnswer, type DkgCheck, type DkgDeal, type DkgJoin, type DkgMessages, type VoteDefinition,
} from '@union-vote/election';
import { AppError } from '../errors.ts';
import { recordAct, type Actor } from '../acts.ts';

export function messagesOf(rows: readonly CeremonyRow[]): DkgMessages {
  const of = <T>(kind: CeremonyRow['kind']) => rows.filter((r) => r.kind === kind).map((r) => r.message as T);
  return { joins: of<DkgJoin>('join'), deals: of<DkgDeal>('deal'), checks: of<DkgCheck>('check'), answers: of<DkgAnswer>('answer') };
}

async function ceremonyVote(db: Kysely<Schema>, voteId: string): Promise<{ count: number; threshold: number }> {
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (!vote.definition.trustees) throw new AppError('wrong_state', `vote ${voteId} has no key ceremony: its trustees each register a key of their own (its definition names no trustees count and threshold)`);
  return vote.definition.trustees;
}

export interface CeremonyView {
  count: number;
  threshold: number;
  phase: CeremonyState['phase'];
  waitingFor: string[];
  disqualified: { trusteeId: string; reason: string }[];
  qualified: string[];
  failed?: string;
  electionKey?: string;
  publicShares?: Record<string, string>;
  /** Whether the server stored the ceremony's outcome (the trustees of the vote). */
  ended: boolean;
  messages: DkgMessages;
}

export async function ceremonyView(db: Kysely<Schema>, voteId: string): Promise<CeremonyView> {
  const { count, threshold } = await ceremonyVote(db, voteId);
  const messages = messagesOf(await listCeremony(db, voteId));
  const ended = await ceremonyOver(db, voteId);
  const state = evaluateCeremony(voteId, count, threshold, messages, ended);
  return {
    count, threshold, phase: state.phase, waitingFor: state.waitingFor, disqualified: state.disqualified, qualified: state.qualified,
    ...(state.failed ? { failed: state.failed } : {}), ...(state.electionKey ? { electionKey: state.electionKey, publicShares: state.publicShares! } : {}),
    ended, messages,
  };
}

/** The qualified trustees: their public share, index, signing key, and signed join as their registration. */
function endedTrustees(state: CeremonyState, m: DkgMessages): CeremonyTrustee[] {
  const joins = new Map(m.joins.map((j) => [j.trusteeId, j]));
  return state.qualified.map((id) => ({
    trusteeId: id, publicKey: state.publicShares![id]!, index: state.indices.get(id)!, signingKey: joins.get(id)!.signingKey, registration: joins.get(id)!.signature,
  }));
}

function endAct(state: CeremonyState): Record<string, string | number> {
  return {
    qualified: state.qualified.join(', '),
    disqualified: state.disqualified.map((d) => `${d.trusteeId}: ${d.reason}`).join('; ').slice(0, 500) || 'none',
    electionKey: state.electionKey!,
  };
}

/**
 * Adds a trustee's message (`author` is the signed-in trustee, checked by the route). Refuses it
 * out of turn (409) or when it does not verify (400, naming what is wrong).
 */
export async function addMessage(db: Kysely<Schema>, voteId: string, kind: CeremonyRow['kind'], author: string, message: DkgJoin | DkgDeal | DkgCheck | DkgAnswer, now: Date): Promise<CeremonyView> {
  const { count, threshold } = await ceremonyVote(db, voteId);
  const about = kind === 'answer' ? (message as DkgAnswer).recipient : '';
  const result = await addCeremonyMessage(db, voteId, { kind, trusteeId: author, about, message }, (rows) => {
    const before = evaluateCeremony(voteId, count, threshold, messagesOf(rows.slice(0, -1)));
    if (rows.slice(0, -1).some((r) => r.kind === kind && r.trusteeId === author && r.about === about)) {
      throw new AppError('conflict', kind === 'answer' ? `${author} has already answered ${about}'s complaint` : `${author} has already sent their ${kind === 'check' ? 'check' : kind}`);
    }
    const turn = outOfTurn(kind, before, rows, author, about);
    if (turn) throw new AppError('wrong_state', turn);
    const after = evaluateCeremony(voteId, count, threshold, messagesOf(rows));
    const problem = after.invalid.find((x) => !before.invalid.includes(x));
    if (problem) throw new AppError('validation_failed', `your ${kind === 'check' ? 'check' : kind} does not verify: ${problem}`, kind);
    if (after.phase !== 'done' || !after.electionKey) return null;
    return endedTrustees(after, messagesOf(rows));
  }, async (tx) => {
    const state = evaluateCeremony(voteId, count, threshold, messagesOf(await listCeremony(tx, voteId)));
    await recordAct(tx, voteId, { role: 'service' }, 'key ceremony ended', endAct(state), now);
  });
  refuse(voteId, result.status);
  return ceremonyView(db, voteId);
}

function outOfTurn(kind: CeremonyRow['kind'], before: CeremonyState, rows: CeremonyRow[], author: string, about: string): string | null {
  const waiting = before.waitingFor.length ? ` (waiting for ${before.waitingFor.join('; ')})` : '';
  if (kind === 'join') return before.phase === 'join' ? null : 'every trustee of this vote has joined the key ceremony';
  if (kind === 'deal') return before.phase === 'join' ? `trustees deal once every trustee has joined${waiting}` : null;
  if (kind === 'check') return before.phase === 'join' || before.phase === 'deal' ? `trustees check their shares once every trustee has dealt${waiting}` : null;
  const complained = rows.some((r) => r.kind === 'check' && r.trusteeId === about && (r.message as DkgCheck).complaints.some((c) => c.dealer === author));
  return complained ? null : `${about} has made no complaint against ${author}: there is nothing to answer`;
}

function refuse(voteId: string, status: string): void {
  if (status === 'added' || status === 'ended') return;
  if (status === 'missing') throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (status === 'over') throw new AppError('wrong_state', `the key ceremony of vote ${voteId} is over; the administrator can start it again while the vote is a draft`);
  throw new AppError('wrong_state', `vote ${voteId} is ${status}; the trustees' key ceremony runs while it is a draft`);
}

/**
 * The administrator ends the ceremony with what it holds: a dealer who did not deal, or did not
 * answer a complaint, is disqualified; a trustee who did not check complained of nobody.
 */
export async function endCeremonyNow(db: Kysely<Schema>, voteId: string, actor: Actor, now: Date): Promise<CeremonyView> {
  const { count, threshold } = await ceremonyVote(db, voteId);
  let ending: CeremonyState | undefined;
  const result = await endCeremony(db, voteId, (rows) => {
    const state = evaluateCeremony(voteId, count, threshold, messagesOf(rows), true);
    if (state.phase === 'join') throw new AppError('wrong_state', `the ceremony cannot end before every trustee has joined (${state.waitingFor.join('; ')}): trustees are numbered once all ${count} are in`);
    if (state.failed || !state.electionKey) throw new AppError('wrong_state', state.failed ?? 'no election key');
    ending = state;
    return endedTrustees(state, messagesOf(rows));
  }, (tx) => recordAct(tx, voteId, actor, 'key ceremony ended', endAct(ending!), now));
  refuse(voteId, result.status);
  return ceremonyView(db, voteId);
}

/** The administrator starts the ceremony again (a failed one, or other trustees): every message and its outcome go. */
export async function restartCeremony(db: Kysely<Schema>, voteId: string, actor: Actor, now: Date): Promise<CeremonyView> {
  await ceremonyVote(db, voteId);
  const status = await withTransaction(db, async (tx) => {
    const s = await lockVote(tx, voteId, 'parts');
    if (s !== 'draft') return s ?? 'missing';
    await tx.deleteFrom('trustee_ceremony').where('vote_id', '=', voteId).execute();
    await tx.deleteFrom('trustees').where('vote_id', '=', voteId).execute();
    await recordAct(tx, voteId, actor, 'key ceremony restarted', {}, now);
    return 'added';
  });
  refuse(voteId, status);
  return ceremonyView(db, voteId);
}
