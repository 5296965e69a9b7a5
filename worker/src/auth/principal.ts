/**
 * Who is calling: a person signed in with a session cookie, or a script with an API token
 * (Authorization: Bearer). Cookie-authenticated requests that change state must echo the
 * session's CSRF token in X-CSRF-Token (a cross-site form cannot set that header).
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { findApiToken, findSession, findUserById, type User } from '@union-vote/db';
import { constantTimeEqual } from '@union-vote/crypto';
import { AppError } from '../errors.ts';
import { secretHash } from './secrets.ts';
import type { AppEnv } from '../env.ts';

export const SESSION_COOKIE = '__Host-uv_session';
export const API_TOKEN_PREFIX = 'uvt_';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const enc = new TextEncoder();

export function principal(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, now } = c.get('deps');
    // Signing in acts as nobody yet: a session still in the browser (someone else's, or an expired
    // page's) must not make the sign-in fail its CSRF check.
    if (c.req.method === 'POST' && c.req.path === '/api/session') {
      c.set('user', null);
      return next();
    }
    let user: User | undefined;
    const auth = c.req.header('authorization');
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m || !m[1]!.startsWith(API_TOKEN_PREFIX)) throw new AppError('unauthenticated', 'the Authorization header must be "Bearer uvt_…"');
      const token = await findApiToken(db, secretHash(m[1]!), now());
      if (!token) throw new AppError('unauthenticated', 'the API token is unknown or revoked');
      user = await findUserById(db, token.userId);
      c.set('auth', 'token');
    } else {
      const sid = getCookie(c, SESSION_COOKIE);
      if (sid) {
        const idHash = secretHash(sid);
        const session = await findSession(db, idHash, now());
        if (session) {
          if (!SAFE.has(c.req.method)) {
            const sent = c.req.header('x-csrf-token') ?? '';
            if (!constantTimeEqual(enc.encode(sent), enc.encode(session.csrfToken))) throw new AppError('csrf_failed', 'missing or wrong X-CSRF-Token header');
          }
          user = await findUserById(db, session.userId);
          c.set('sessionIdHash', idHash);
          c.set('csrfToken', session.csrfToken);
          c.set('auth', 'session');
        }
      }
    }
    c.set('user', user ?? null);
    await next();
  };
}

/** The signed-in user, or 401. */
export function requireUser(c: { get(key: 'user'): User | null }): User {
  const user = c.get('user');
  if (!user) throw new AppError('unauthenticated', 'sign in first');
  return user;
}
