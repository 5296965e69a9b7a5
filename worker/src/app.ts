/**
 * createApp(deps): the whole HTTP service as one Hono app, with no globals and no I/O at import
 * time. Node (`npm start`), workerd (`wrangler dev` / deploy) and the tests all serve this.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from './deps.ts';
import type { AppEnv, ResolvedDeps } from './env.ts';
import { AppError, errorBody, handleError } from './errors.ts';
import { principal } from './auth/principal.ts';
import { DEFAULT_LIMITS, limitCasting } from './auth/limits.ts';
import { health } from './routes/health.ts';
import { session } from './routes/session.ts';
import { users } from './routes/users.ts';
import { locals } from './routes/locals.ts';
import { votes } from './routes/votes.ts';
import { ceremony } from './routes/ceremony.ts';
import { codes } from './routes/codes.ts';
import { casting } from './routes/casting.ts';
import { challenges } from './routes/challenges.ts';
import { paper } from './routes/paper.ts';
import { checks } from './routes/checks.ts';
import { board } from './routes/board.ts';
import { turnout } from './routes/turnout.ts';
import { tally } from './routes/tally.ts';
import { renderReference } from './routes/docs.ts';
import { notFoundPage, pages } from './pages/routes.tsx';
import { WORKER_POLICIES } from './pages/headers.ts';
import { nobleCastingCrypto } from './casting/crypto.ts';

const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * PostgreSQL cannot store U+0000 in text, and answers a query holding one with an error: refuse it at
 * the door with a 400, in the path or query (every route), and in a body (the API, after the size limit).
 */
const NUL = '\u0000';
const refuseNulInAddress: MiddlewareHandler<AppEnv> = async (c, next) => {
  let where: string | undefined;
  try {
    const url = new URL(c.req.url);
    if (decodeURIComponent(url.pathname).includes(NUL)) where = 'path';
    else if ([...url.searchParams].some(([k, v]) => k.includes(NUL) || v.includes(NUL))) where = 'query';
  } catch {
    throw new AppError('validation_failed', 'the address is not valid percent-encoding', 'path');
  }
  if (where) throw new AppError('validation_failed', `the ${where} contains a NUL character (U+0000), which no field may hold`, where);
  await next();
};
const refuseNulInBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  // A roster file is read as bytes by its route (its encoding is detected there: UTF-16 holds NUL bytes).
  const roster = c.req.method === 'POST' && /\/roster$/.test(c.req.path);
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !roster) {
    const text = await c.req.text();
    const json = /json/.test(c.req.header('content-type') ?? '');
    if (text.includes(NUL) || (json && /\\u0000/i.test(text))) {
      throw new AppError('validation_failed', 'the body contains a NUL character (U+0000), which no field may hold', 'body');
    }
    // Validators recurse: a body nested thousands of levels deep would exhaust the stack. None needs more than this.
    if (json && jsonDepth(text) > MAX_JSON_DEPTH) throw new AppError('validation_failed', `the body nests deeper than ${MAX_JSON_DEPTH} levels`, 'body');
  }
  await next();
};

const MAX_JSON_DEPTH = 32;

/** The deepest nesting of brackets in a JSON text, outside strings. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') max = Math.max(max, ++depth);
    else if (ch === '}' || ch === ']') depth--;
  }
  return max;
}

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const resolved: ResolvedDeps = {
    db: deps.db, dbKind: deps.dbKind, now: deps.now ?? (() => new Date()), sessionSeconds: deps.sessionSeconds ?? 12 * 3600, sender: deps.sender,
    clientIp: (c) => deps.clientIp?.(c) ?? 'unknown',
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    castingCrypto: deps.castingCrypto ?? nobleCastingCrypto,
  };
  const app = new OpenAPIHono<AppEnv>();

  app.onError(handleError);
  app.notFound((c) => {
    // A person following a wrong link gets a page; a program (the API, anything not asking for HTML) gets JSON.
    const browsing = (c.req.method === 'GET' || c.req.method === 'HEAD') && !c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html');
    if (browsing) return notFoundPage(c);
    return c.json(errorBody(new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`)), 404);
  });
  app.use('*', async (c, next) => {
    c.set('deps', resolved);
    const started = performance.now();
    await next();
    // One structured line per request: the route's pattern, never its parameters, query or body.
    if (deps.log) {
      const route = routePath(c, c.req.routeIndex);
      const errorId = c.get('errorId');
      deps.log(JSON.stringify({
        at: new Date().toISOString(), method: c.req.method, route: route === '*' || route === '/*' ? '(no route)' : route, status: c.res.status,
        ms: Math.round(performance.now() - started), ...(errorId ? { errorId } : {}),
      }));
    }
  });
  app.use('*', refuseNulInAddress);

  app.route('/', health);

  const api = new OpenAPIHono<AppEnv>();
  api.use('*', async (c, next) => {
    // The roster's route reads its file as it arrives and refuses it past MAX_ROSTER_BYTES itself:
    // bodyLimit would copy a body sent without a length into one buffer first.
    if (c.req.method === 'POST' && /\/roster$/.test(c.req.path)) return next();
    return bodyLimit({
      maxSize: JSON_BODY_LIMIT,
      onError: () => { throw new AppError('payload_too_large', `the request body may be at most ${JSON_BODY_LIMIT} bytes`); },
    })(c, next);
  });
  api.use('*', refuseNulInBody);
  api.use('/votes/*', limitCasting());
  // The board is public: any origin may read it (the independent ballot checker is hosted elsewhere,
  // by design). Never with credentials: a wildcard origin does not let a browser send cookies.
  api.use('/board/*', async (c, next) => {
    await next();
    if (c.req.method === 'GET') c.header('Access-Control-Allow-Origin', '*');
  });
  api.use('*', principal());
  api.route('/', session).route('/', users).route('/', locals).route('/', votes).route('/', ceremony).route('/', codes).route('/', casting).route('/', challenges).route('/', paper).route('/', checks).route('/', board).route('/', turnout).route('/', tally);
  app.route('/api', api);

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: '__Host-uv_session' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiToken', { type: 'http', scheme: 'bearer' });
  const info = { title: 'Union Vote', version: '0.1.0', description: 'A verifiable voting service for contract ratification and strike authorization.' };
  app.doc31('/openapi.json', { openapi: '3.1.0', info });
  app.get('/docs', (c) => c.html(renderReference(app.getOpenAPI31Document({ openapi: '3.1.0', info }))));
  app.get('/assets/:file', async (c) => {
    const found = await deps.assets?.(c.req.path, c.req.raw);
    if (!found) throw new AppError('not_found', `no asset ${c.req.path}`);
    const policy = WORKER_POLICIES[c.req.path];
    if (!policy) return found;
    const res = new Response(found.body, found);
    res.headers.set('Content-Security-Policy', policy);
    return res;
  });
  app.route('/', pages());
  return app;
}
