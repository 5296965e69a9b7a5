import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrateToLatest } from '@union-vote/db/migrate';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

describe(`the service on ${TEST_DB}`, () => {
  it('has applied every migration, and applying again changes nothing', async () => {
    const files = Object.keys(await loadMigrations()).sort();
    const health = await t.anonymous.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: TEST_DB, migration: files.at(-1), migrations: files.length });
    const again = await migrateToLatest(t.database.handle.db, t.database.schema ? { schema: t.database.schema } : {});
    expect(again.results).toEqual([]);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.anonymous.get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'no route for GET /api/nothing-here' } });
  });

  it('answers malformed JSON with a 400 and no stack trace', async () => {
    const res = await t.admin.post('/api/votes', '{"id": "x"', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('describes itself in OpenAPI 3.1, with a readable reference page', async () => {
    const doc = await t.anonymous.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/api/session', '/api/locals/{localId}/roster', '/api/votes']));
    expect(doc.body.components.schemas.Rule).toBeDefined();
    const page = await t.anonymous.get('/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/api/locals/{localId}/roster');
  });
});

describe('signing in', () => {
  it('refuses a wrong password or an unknown user alike', async () => {
    for (const username of ['admin', 'nobody']) {
      const res = await t.anonymous.post('/api/session', { username, password: 'wrong password' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
    }
  });

  it('sets a Secure, HttpOnly, SameSite=Strict session cookie and stores only its hash', async () => {
    const secretary = await t.userWith('monitor');
    expect((await secretary.get('/api/session')).body.user.role).toBe('monitor');
    const res = await t.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'x' }) });
    expect(res.status).toBe(401);
    const users = await t.admin.get('/api/users');
    const login = await t.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: users.body.users[1].username, password: `correct horse ${users.body.users[1].username}` }) });
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-uv_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const sid = cookie.split(';')[0]!.split('=')[1]!;
    const stored = await t.database.handle.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(sid);
  });

  it('refuses a state change made with the cookie but without the CSRF header', async () => {
    const monitor = await t.userWith('monitor');
    const res = await t.app.request('/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: (monitor as any).auth.cookie },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(res.status).toBe(403);
    expect((await res.json() as any).error.code).toBe('csrf_failed');
  });

  it('lets someone sign in from a browser that still holds another session, and hands a page its CSRF token', async () => {
    const monitor = await t.userWith('monitor');
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: (monitor as any).auth.cookie },
      body: JSON.stringify({ username: 'admin-second', password: 'x' }),
    });
    expect(res.status).toBe(401); // judged on the credentials, not refused for the stale session's CSRF
    const me = await monitor.get('/api/session');
    expect(me.body.csrfToken).toBe((monitor as any).auth.csrf);
  });

  it('issues API tokens for scripts, shown once, that act as their owner', async () => {
    const created = await t.admin.post('/api/tokens', { name: 'roster sync' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^uvt_/);
    const script = new (t.anonymous.constructor as any)(t.app, { bearer: created.body.token });
    expect((await script.get('/api/session')).body.user.username).toBe('admin');
    const forged = new (t.anonymous.constructor as any)(t.app, { bearer: 'uvt_forged' });
    expect((await forged.get('/api/session')).status).toBe(401);
  });

  it('changes a password, after which the old one no longer works', async () => {
    const res = await t.admin.post('/api/users', { username: 'changer', displayName: 'Changer', role: 'monitor' });
    expect(res.status).toBe(201);
    const generated = res.body.password as string;
    expect(generated.length).toBeGreaterThanOrEqual(20);
    const me = await t.signIn('changer', generated);
    expect((await me.put('/api/session/password', { currentPassword: generated, newPassword: 'short' })).body.error.field).toBe('newPassword');
    expect((await me.put('/api/session/password', { currentPassword: generated, newPassword: 'a much longer passphrase' })).status).toBe(204);
    expect((await t.anonymous.post('/api/session', { username: 'changer', password: generated })).status).toBe(401);
    expect((await t.anonymous.post('/api/session', { username: 'changer', password: 'a much longer passphrase' })).status).toBe(200);
  });

  it('signs out', async () => {
    const monitor = await t.userWith('monitor');
    expect((await monitor.delete('/api/session')).status).toBe(204);
    expect((await monitor.get('/api/session')).status).toBe(401);
  });
});
