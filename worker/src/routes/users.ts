/** The admin's management of people and their scopes. */
import { createRoute, z } from '@hono/zod-openapi';
import { createUser, disableUser, endAccess, existingLocalIds, findEnabledUser, findVote, isUniqueViolation, listUsers, setPasswordHash, updateUser, type Schema, type User } from '@union-vote/db';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../env.ts';
import { actorOf, recordAct } from '../acts.ts';
import { LocalId, VoteId } from '@union-vote/election';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireRole } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { Password, UserView } from './session.ts';

/** A role and its scope: secretaries run locals, monitors and trustees are attached to votes. */
const Scope = z.object({
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(['admin', 'secretary', 'monitor', 'trustee']),
  locals: z.array(LocalId).max(1000).default([]).openapi({ description: 'Secretaries: the locals they run' }),
  votes: z.array(VoteId).max(1000).default([]).openapi({ description: 'Monitors and trustees: the votes they are attached to' }),
});
function scopeRules(u: { role: string; locals: string[]; votes: string[] }, ctx: z.RefinementCtx): void {
  if (u.role === 'secretary' && u.locals.length === 0) ctx.addIssue({ code: 'custom', path: ['locals'], message: 'a secretary needs at least one local' });
  if (u.role !== 'secretary' && u.locals.length > 0) ctx.addIssue({ code: 'custom', path: ['locals'], message: 'only secretaries are scoped to locals' });
  if ((u.role === 'admin' || u.role === 'secretary') && u.votes.length > 0) ctx.addIssue({ code: 'custom', path: ['votes'], message: 'only monitors and trustees are attached to votes' });
}
const NewUser = Scope.extend({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'use 2 to 64 lower-case letters, digits, dots, dashes or underscores'),
  password: Password.optional().openapi({ description: 'Omit to have one generated and returned once' }),
}).superRefine(scopeRules).openapi('NewUser');
const ChangedUser = Scope.superRefine(scopeRules).openapi('ChangedUser');

/** Every local and vote named must exist; the error names the first that does not. */
async function checkScope(db: Kysely<Schema>, input: { locals: string[]; votes: string[] }): Promise<void> {
  const known = await existingLocalIds(db, input.locals);
  const unknown = input.locals.findIndex((l) => !known.has(l));
  if (unknown >= 0) throw new AppError('validation_failed', `local ${input.locals[unknown]} does not exist`, `locals.${unknown}`);
  for (const [i, v] of input.votes.entries()) if (!(await findVote(db, v))) throw new AppError('validation_failed', `vote ${v} does not exist`, `votes.${i}`);
}

const PersonParam = z.object({ username: z.string().min(1).max(64) });

function personChange(path: 'disable' | 'password', summary: string) {
  return createRoute({
    method: 'post', path: `/users/{username}/${path}`, tags: ['users'], summary, security,
    request: { params: PersonParam },
    responses: {
      200: { description: 'Done', content: { 'application/json': { schema: z.object({ user: UserView, password: z.string().optional() }) } } },
      400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
    },
  });
}

/** The admin changing another person (never themselves: another admin does that). */
async function changing(c: Context<AppEnv>) {
  const admin = requireUser(c);
  requireRole(admin, 'admin');
  const { db, now } = c.get('deps');
  const person = await findEnabledUser(db, c.req.param('username')!);
  if (!person) throw new AppError('not_found', `there is no enabled person ${c.req.param('username')}`);
  if (person.id === admin.id) throw new AppError('wrong_state', 'you cannot change your own account here: another administrator does, or change your password with PUT /api/session/password');
  return { admin, person, db, now: now() };
}

/** A change to a monitor or trustee is an official act of each vote they are attached to. */
async function recordPersonChange(db: Kysely<Schema>, person: User, admin: User, change: string, now: Date): Promise<void> {
  for (const voteId of person.votes) await recordAct(db, voteId, actorOf(admin), 'person changed', { username: person.username, role: person.role, change }, now);
}

export const users = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/users', tags: ['users'], summary: 'Create a person with a role (admin)', security,
      request: { body: { content: { 'application/json': { schema: NewUser } }, required: true } },
      responses: {
        201: { description: 'Created; a generated password is returned once', content: { 'application/json': { schema: z.object({ user: UserView, password: z.string().optional() }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409],
      },
    }),
    async (c) => {
      requireRole(requireUser(c), 'admin');
      const { db } = c.get('deps');
      const input = c.req.valid('json');
      await checkScope(db, input);
      const generated = input.password ? undefined : generatePassword();
      try {
        const user = await createUser(db, { username: input.username, displayName: input.displayName, role: input.role, passwordHash: await hashPassword(input.password ?? generated!), locals: input.locals, votes: input.votes });
        return c.json({ user, ...(generated ? { password: generated } : {}) }, 201);
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('conflict', `username ${input.username} is taken`, 'username');
        throw e;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/users/{username}', tags: ['users'], security,
      summary: "Change a person's name, role and scope (admin): losing a role, a local or a vote ends their sessions and API tokens",
      request: { params: PersonParam, body: { content: { 'application/json': { schema: ChangedUser } }, required: true } },
      responses: {
        200: { description: 'Changed', content: { 'application/json': { schema: z.object({ user: UserView }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const { admin, person, db, now } = await changing(c);
      const input = c.req.valid('json');
      await checkScope(db, input);
      await updateUser(db, person.id, input);
      const lost = person.role !== input.role || person.locals.some((l) => !input.locals.includes(l)) || person.votes.some((v) => !input.votes.includes(v));
      if (lost) await endAccess(db, person.id, now);
      const change = [
        person.role !== input.role ? `role ${person.role} → ${input.role}` : '',
        ...input.votes.filter((v) => !person.votes.includes(v)).map((v) => `attached to ${v}`),
        ...person.votes.filter((v) => !input.votes.includes(v)).map((v) => `detached from ${v}`),
      ].filter(Boolean).join('; ').slice(0, 500);
      // An act on every vote the person was or is now attached to.
      const votes = [...new Set([...person.votes, ...input.votes])];
      if (change) for (const voteId of votes) await recordAct(db, voteId, actorOf(admin), 'person changed', { username: person.username, role: input.role, change }, now);
      return c.json({ user: { ...person, displayName: input.displayName, role: input.role, locals: input.locals, votes: input.votes } }, 200);
    },
  )
  .openapi(personChange('disable', 'Disable a person (admin): they can no longer sign in; their sessions end and their API tokens are revoked'), async (c) => {
    const { admin, person, db, now } = await changing(c);
    await disableUser(db, person.id, now);
    await endAccess(db, person.id, now);
    await recordPersonChange(db, person, admin, 'disabled', now);
    return c.json({ user: person }, 200);
  })
  .openapi(personChange('password', "Reset a person's password (admin): a new one is generated and returned once; their sessions end and their API tokens are revoked"), async (c) => {
    const { admin, person, db, now } = await changing(c);
    const password = generatePassword();
    await setPasswordHash(db, person.id, await hashPassword(password));
    await endAccess(db, person.id, now);
    await recordPersonChange(db, person, admin, 'password reset', now);
    return c.json({ user: person, password }, 200);
  })
  .openapi(
    createRoute({
      method: 'get', path: '/users', tags: ['users'], summary: 'List people (admin)', security,
      responses: { 200: { description: 'Everyone', content: { 'application/json': { schema: z.object({ users: z.array(UserView) }) } } }, 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      requireRole(requireUser(c), 'admin');
      return c.json({ users: await listUsers(c.get('deps').db) }, 200);
    },
  );
