import type { User } from '@union-vote/db';
import type { Context } from 'hono';
import type { AppDeps } from './deps.ts';
import type { Limits } from './auth/limits.ts';

export interface ResolvedDeps extends Required<Omit<AppDeps, 'now' | 'sender' | 'assets' | 'clientIp' | 'limits' | 'log'>> {
  now: () => Date;
  sender: AppDeps['sender'];
  clientIp: (c: Context) => string;
  limits: Limits;
}

/** Hono's environment: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    deps: ResolvedDeps;
    user: User | null;
    auth: 'session' | 'token';
    sessionIdHash: string;
    /** The cookie session's CSRF token (for GET /api/session to hand back to the page). */
    csrfToken?: string;
    /** Set by the error handler on a 5xx: in the answer and the request's log line. */
    errorId?: string;
  };
}
