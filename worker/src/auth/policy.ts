/**
 * Authorization, in one place: what each role may do, scoped by local and by vote.
 *   admin      the whole union
 *   secretary  their locals' rosters; votes their locals take part in (read)
 *   monitor    read-only on the votes they are attached to
 *   trustee    the votes they are attached to (read; decryption comes later)
 */
import type { Role, User } from '@union-vote/db';
import { AppError } from '../errors.ts';

export function requireRole(user: User, ...roles: Role[]): void {
  if (!roles.includes(user.role)) throw new AppError('forbidden', `this needs the role ${roles.join(' or ')}; you are ${user.role}`);
}

/** Reading or changing a local's roster: the admin, or a secretary of that local. */
export function requireLocal(user: User, localId: string): void {
  if (user.role === 'admin') return;
  if (user.role === 'secretary' && user.locals.includes(localId)) return;
  throw new AppError('forbidden', `you do not run local ${localId}`);
}

/** Reading a vote: the admin; a monitor or trustee attached to it; a secretary of a local in it. */
export function requireVoteRead(user: User, voteId: string, voteLocals: string[]): void {
  if (user.role === 'admin') return;
  if ((user.role === 'monitor' || user.role === 'trustee') && user.votes.includes(voteId)) return;
  if (user.role === 'secretary' && voteLocals.some((l) => user.locals.includes(l))) return;
  throw new AppError('forbidden', `you have no access to vote ${voteId}`);
}

/** The scope of votes a user may list. */
export function voteScope(user: User): { locals?: string[]; votes?: string[] } | undefined {
  if (user.role === 'admin') return undefined;
  if (user.role === 'secretary') return { locals: user.locals };
  return { votes: user.votes };
}

/** Who may see the per-member turnout list (election turnout-list.ts). */
export { turnoutRefusal } from '@union-vote/election';
