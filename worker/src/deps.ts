import type { Kysely } from 'kysely';
import type { DatabaseKind, Schema } from '@union-vote/db';
import type { Context } from 'hono';
import type { MessageSender } from './delivery/sender.ts';
import type { Limits } from './auth/limits.ts';
import type { CastingCrypto } from './casting/crypto.ts';

/** Everything the app needs from outside: no globals, so tests and each runtime pass their own. */
export interface AppDeps {
  readonly db: Kysely<Schema>;
  readonly dbKind: DatabaseKind;
  /** The clock (tests move it). */
  readonly now?: () => Date;
  /** Session lifetime in seconds (default 12 hours). */
  readonly sessionSeconds?: number;
  /** Delivers voting codes by e-mail or SMS; without one, the outbox keeps messages pending. */
  readonly sender?: MessageSender;
  /** The client's network address, for abuse limits (Node: the socket; Workers: CF-Connecting-IP). */
  readonly clientIp?: (c: Context) => string | undefined;
  /** Abuse limits; the defaults are in auth/limits.ts. */
  readonly limits?: Partial<Limits>;
  /**
   * Where each request's log line goes (one JSON object: time, method, route pattern, status,
   * duration, and an error id on a 5xx; never a body, path parameter, query, code, token, password or
   * address). Node and Workers log to the console; without it, nothing is logged.
   */
  readonly log?: (line: string) => void;
  /** The casting path's crypto (casting/crypto.ts): noble unless given; the Node server gives libsodium's. */
  readonly castingCrypto?: CastingCrypto;
  /** The pages' built scripts and stylesheet, by path (/assets/…); undefined when not found. */
  readonly assets?: (path: string, request: Request) => Promise<Response | undefined>;
}
