/**
 * Abuse limits, counted in the database (so they hold across Node processes and Workers isolates):
 *  - casting per network address (code checks and tokens; of ballots and ballot checks, only those
 *    refused), generous
 *    enough for a union hall whose members all vote over one Wi-Fi address; per code for the code
 *    check and the token. A
 *    code has 100 random bits, so guessing is hopeless even without a limit: the limit keeps the
 *    service up, it is not what protects the codes;
 *  - failed sign-ins per (user name, address) and per address. Never per user name alone, which
 *    would let anyone lock a local's secretary out by typing wrong passwords from anywhere.
 * Board reads are not limited: they are cacheable (ballot pages and proofs are immutable).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { hitRateLimitWindows, hitRateLimits, peekRateLimits } from '@union-vote/db';
import { normalizeCode } from '@union-vote/election';
import { AppError } from '../errors.ts';
import { secretHash } from './secrets.ts';
import type { AppEnv } from '../env.ts';

export interface Limit { limit: number; windowSeconds: number }
export interface Limits {
  castingPerAddress: Limit;
  castingPerCode: Limit;
  signInFailuresPerUserAndAddress: Limit;
  signInFailuresPerAddress: Limit;
}

export const DEFAULT_LIMITS: Limits = {
  castingPerAddress: { limit: 300, windowSeconds: 60 },
  castingPerCode: { limit: 20, windowSeconds: 600 },
  signInFailuresPerUserAndAddress: { limit: 10, windowSeconds: 900 },
  signInFailuresPerAddress: { limit: 100, windowSeconds: 900 },
};

function refuse(what: string, l: Limit, now: Date): never {
  const retryAfter = Math.max(1, Math.ceil((Math.floor(now.getTime() / (l.windowSeconds * 1000)) + 1) * l.windowSeconds - now.getTime() / 1000));
  throw new AppError('rate_limited', `too many ${what}: at most ${l.limit} in ${l.windowSeconds} s; try again in ${retryAfter} s`, undefined, { retryAfter });
}


/**
 * For the casting routes. The code check and the token are counted per address and per code. A
 * ballot is never counted when it is accepted: only refused ballots are, per address (peeked before,
 * counted after). An accepted cast then writes nothing beside its pool row, so no bucket of the
 * member's address (the one their token request counted) dates their ballot. Addresses are stored
 * only hashed.
 */
export function limitCasting(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST' || !/^\/api\/votes\/[^/]+\/(codes\/check|tokens|ballots|commitments|spoiled)$/.test(c.req.path)) return next();
    const { db, now, limits, clientIp } = c.get('deps');
    const at = now();
    const address = secretHash(`address:${clientIp(c) ?? ''}`);
    const perAddress = limits.castingPerAddress;
    if (/\/(ballots|commitments|spoiled)$/.test(c.req.path)) {
      // Anonymous steps (the ballot, and the ballot check's commitment and opening): counted only when refused.
      const bucket = `casting:refused-ballots:${address}`;
      const [refused] = await peekRateLimits(db, [bucket], perAddress.windowSeconds, at);
      if (refused! >= perAddress.limit) refuse('refused ballots from this network address', perAddress, at);
      await next();
      if (c.res.status >= 400 && c.res.status < 500) await hitRateLimits(db, [bucket], perAddress.windowSeconds, at);
      return;
    }
    const [count] = await hitRateLimits(db, [`casting:addr:${address}`], perAddress.windowSeconds, at);
    if (count! > perAddress.limit) refuse('voting requests from this network address', perAddress, at);
    const body = await c.req.json().catch(() => undefined) as { code?: unknown } | undefined;
    const code = typeof body?.code === 'string' ? normalizeCode(body.code) : null;
    if (code) {
      // Codes are counted under their hash, never stored as they are; and only once the address is
      // within its limit, so a member behind a busy address does not use up their code's attempts.
      const [perCode] = await hitRateLimits(db, [`casting:code:${secretHash(code)}`], limits.castingPerCode.windowSeconds, at);
      if (perCode! > limits.castingPerCode.limit) refuse('attempts with this code', limits.castingPerCode, at);
    }
    return next();
  };
}

/** Sign-in: refused while this (user name, address) or this address has too many recent failures. */
export async function checkSignIn(c: Context<AppEnv>, username: string): Promise<{ failed(): Promise<void> }> {
  const { db, now, limits, clientIp } = c.get('deps');
  const at = now();
  const address = clientIp(c);
  const pair = `signin:user-addr:${secretHash(username.toLowerCase())}:${address}`;
  const all = `signin:addr:${address}`;
  const [a, b] = [limits.signInFailuresPerUserAndAddress, limits.signInFailuresPerAddress];
  const [pairCount, allCount] = await Promise.all([
    peekRateLimits(db, [pair], a.windowSeconds, at).then((r) => r[0]!),
    peekRateLimits(db, [all], b.windowSeconds, at).then((r) => r[0]!),
  ]);
  if (pairCount >= a.limit) refuse(`failed sign-ins for ${username} from this address`, a, at);
  if (allCount >= b.limit) refuse('failed sign-ins from this network address', b, at);
  return {
    failed: async () => {
      await hitRateLimitWindows(db, [{ bucket: pair, windowSeconds: a.windowSeconds }, { bucket: all, windowSeconds: b.windowSeconds }], at);
    },
  };
}
