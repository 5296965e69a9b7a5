/** Signing in and out (cookie sessions for people), changing one's password, and API tokens for scripts. */
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import {
  createApiToken, createSession, deleteSession, endAccess, findCredentials, findUserById, listApiTokens, revokeApiToken, setPasswordHash,
} from '@union-vote/db';
import { checkSignIn } from '../auth/limits.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { randomToken, secretHash } from '../auth/secrets.ts';
import { API_TOKEN_PREFIX, SESSION_COOKIE, requireUser } from '../auth/principal.ts';

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'secretary', 'monitor', 'trustee']),
  locals: z.array(z.string()),
  votes: z.array(z.string()),
}).openapi('User');

const Credentials = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }).openapi('Credentials');
const SessionView = z.object({ user: UserView, csrfToken: z.string().openapi({ description: 'Send as X-CSRF-Token on every state-changing request made with the session cookie' }) }).openapi('Session');
export const Password = z.string().min(12, 'use at least 12 characters').max(1024);

export const session = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/session', tags: ['session'], summary: 'Sign in',
      request: { body: { content: { 'application/json': { schema: Credentials } }, required: true } },
      responses: { 200: { description: 'Signed in; sets the session cookie', content: { 'application/json': { schema: SessionView } } }, 400: errors[400], 401: errors[401], 429: errors[429] },
    }),
    async (c) => {
      const { db, now, sessionSeconds } = c.get('deps');
      const { username, password } = c.req.valid('json');
      const attempt = await checkSignIn(c, username);
      const creds = await findCredentials(db, username.toLowerCase());
      const ok = await verifyPassword(password, creds?.passwordHash);
      const user = ok && creds ? await findUserById(db, creds.id) : undefined;
      if (!user) {
        await attempt.failed();
        throw new AppError('invalid_credentials', 'wrong username or password');
      }
      const sid = randomToken(32);
      const csrfToken = randomToken(24);
      await createSession(db, { idHash: secretHash(sid), userId: user.id, csrfToken, expiresAt: new Date(now().getTime() + sessionSeconds * 1000) });
      setCookie(c, SESSION_COOKIE, sid, { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', maxAge: sessionSeconds });
      return c.json({ user, csrfToken }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/session', tags: ['session'], summary: 'Who am I', security,
      description: 'With a cookie session, also the CSRF token, so a page reloaded in a new tab can make changes (only a same-origin page can read this answer).',
      responses: { 200: { description: 'The signed-in user', content: { 'application/json': { schema: z.object({ user: UserView, csrfToken: z.string().optional() }) } } }, 401: errors[401] },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      const csrfToken = c.get('csrfToken');
      return c.json({ user: requireUser(c), ...(csrfToken ? { csrfToken } : {}) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/session', tags: ['session'], summary: 'Sign out', security,
      responses: { 204: { description: 'Signed out' }, 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      requireUser(c);
      const idHash = c.get('sessionIdHash');
      if (idHash) await deleteSession(c.get('deps').db, idHash);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/session/password', tags: ['session'], summary: 'Change my password (signs out my other sessions and revokes my API tokens)', security,
      request: { body: { content: { 'application/json': { schema: z.object({ currentPassword: z.string().max(1024), newPassword: Password }) } }, required: true } },
      responses: { 204: { description: 'Changed' }, 400: errors[400], 401: errors[401], 403: errors[403] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db } = c.get('deps');
      const { currentPassword, newPassword } = c.req.valid('json');
      const creds = await findCredentials(db, user.username);
      if (!(await verifyPassword(currentPassword, creds?.passwordHash))) throw new AppError('invalid_credentials', 'the current password is wrong', 'currentPassword');
      await setPasswordHash(db, user.id, await hashPassword(newPassword));
      // A changed password ends every other way in: other sessions, and every API token.
      await endAccess(db, user.id, c.get('deps').now(), c.get('sessionIdHash'));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/tokens', tags: ['session'], summary: 'Create an API token for scripts, acting as me', security,
      request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(100) }) } }, required: true } },
      responses: {
        201: { description: 'The token, shown once', content: { 'application/json': { schema: z.object({ id: z.string(), name: z.string(), token: z.string() }) } } },
        400: errors[400], 401: errors[401], 403: errors[403],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { name } = c.req.valid('json');
      const token = API_TOKEN_PREFIX + randomToken(32);
      const { id } = await createApiToken(c.get('deps').db, { userId: user.id, name, tokenHash: secretHash(token) });
      return c.json({ id, name, token }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/tokens', tags: ['session'], summary: 'My API tokens (names and dates; never the secret)', security,
      responses: {
        200: { description: 'Newest first', content: { 'application/json': { schema: z.object({ tokens: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })) }) } } },
        401: errors[401],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const tokens = await listApiTokens(c.get('deps').db, user.id);
      return c.json({ tokens: tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/tokens/{id}', tags: ['session'], summary: 'Revoke one of my API tokens', security,
      request: { params: z.object({ id: z.uuid('a token id, as GET /api/tokens lists it') }) },
      responses: { 204: { description: 'Revoked' }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { db, now } = c.get('deps');
      if (!(await revokeApiToken(db, user.id, c.req.valid('param').id, now()))) throw new AppError('not_found', 'you have no live API token with this id');
      return c.body(null, 204);
    },
  );
