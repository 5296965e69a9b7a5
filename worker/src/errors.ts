/**
 * Errors are values with a stable code; this is the one place that maps codes to HTTP statuses.
 * Every error answer is JSON {error: {code, message, field?, issues?}}; no stack trace leaves
 * the server.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { CryptoError } from '@union-vote/crypto';
import { fieldIssues, type FieldIssue } from '@union-vote/election';

export const STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_roster: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  unknown_code: 404,
  conflict: 409,
  code_replaced: 409,
  token_spent: 409,
  challenged_code: 409,
  voted_on_paper: 409,
  vote_not_open: 409,
  vote_closed: 409,
  not_in_good_standing: 403,
  invalid_token: 403,
  invalid_ballot: 400,
  ballot_opened: 409,
  wrong_state: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  unsupported_media_type: 415,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  get status(): (typeof STATUS)[ErrorCode] {
    return STATUS[this.code];
  }
}

export function validationError(error: ZodError, prefix: (string | number)[] = []): AppError {
  const issues = fieldIssues(error, prefix);
  const first = issues[0] ?? { field: '(body)', message: 'invalid' };
  return new AppError('validation_failed', `${first.field}: ${first.message}`, first.field, { issues });
}

export function issuesError(code: ErrorCode, issues: FieldIssue[]): AppError {
  const first = issues[0]!;
  return new AppError(code, `${first.field}: ${first.message}`, first.field, { issues });
}

export function errorBody(e: AppError) {
  return { error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.details ?? {}) } };
}

/** Driver and server codes that mean the database is down or restarting, not that the request was wrong. */
const DATABASE_DOWN = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE',
  '57P01', '57P02', '57P03', // admin_shutdown, crash_shutdown, cannot_connect_now
]);

/** Hono's onError: known errors as their JSON, anything else as a bare 500 (logged here only). */
export function handleError(err: Error, c: Context): Response {
  let e: AppError;
  if (err instanceof AppError) e = err;
  else if (err instanceof ZodError) e = validationError(err);
  else if (err instanceof CryptoError) e = new AppError('invalid_request', err.message);
  else if (err instanceof HTTPException) {
    const status = err.status;
    e = status === 413 ? new AppError('payload_too_large', 'the request body is too large')
      : status === 400 && /JSON/i.test(err.message) ? new AppError('invalid_json', 'the request body is not valid JSON')
      : status === 401 ? new AppError('unauthenticated', err.message || 'sign in first')
      : status === 403 ? new AppError('forbidden', err.message || 'forbidden')
      : status === 404 ? new AppError('not_found', 'not found')
      : status < 500 ? new AppError('invalid_request', err.message || 'bad request')
      : new AppError('internal', 'internal error');
  } else if (DATABASE_DOWN.has(String((err as { code?: unknown }).code))) {
    // The database restarting or unreachable: nothing was stored, and the same request will work
    // again shortly (a cast is one transaction; a retry of the same ballot gets the same receipt).
    console.warn(`database unavailable: ${(err as { code?: unknown }).code}`);
    e = new AppError('unavailable', 'the database is unavailable for a moment; nothing was stored; try again', undefined, { retryAfter: 1 });
  } else {
    // An id the person who saw the error can quote, and the log line of this request carries.
    const errorId = crypto.randomUUID().slice(0, 8);
    c.set('errorId', errorId);
    console.error(JSON.stringify({ errorId, error: describeError(err) }));
    e = new AppError('internal', `something went wrong on the server (error ${errorId}); nothing you did caused it: try again, and if it happens again give this error id to the administrators`, undefined, { errorId });
  }
  if ((e.code === 'rate_limited' || e.code === 'unavailable') && typeof e.details?.retryAfter === 'number') c.header('Retry-After', String(e.details.retryAfter));
  return c.json(errorBody(e), e.status);
}

/**
 * What the log keeps of an unexpected error: its kind, driver code, message and stack, with every
 * long run of letters and digits (a code, a token, a key, a hash) replaced, since a database error
 * can quote the value it refused.
 */
export function describeError(err: unknown): { name: string; code?: string; message: string; stack?: string } {
  const redact = (s: string) => s.replace(/[A-Za-z0-9+/=_-]{16,}/g, '[…]').slice(0, 2000);
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (err as { code?: unknown })?.code;
  return { name: e.name, ...(typeof code === 'string' ? { code } : {}), message: redact(e.message), ...(e.stack ? { stack: redact(e.stack.split('\n').slice(1, 8).join('\n')) } : {}) };
}
