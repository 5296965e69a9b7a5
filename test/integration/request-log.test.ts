/**
 * The request log: one structured line per request (time, method, route pattern, status, duration,
 * and an error id on a 5xx, which the answer also gives), and nothing a member or official typed:
 * no body, path parameter, query, code, token, password or address.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

const lines: string[] = [];
let t: TestApp;
const vote: VoteDefinitionInput = { ...exampleVotes.strikeAuthorization, id: 'logged', opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

beforeAll(async () => {
  t = await openTestApp(undefined, {
    log: (line) => lines.push(line),
    // A fault inside a handler: what an unforeseen bug looks like from outside.
    assets: async (path) => {
      if (path === '/assets/fault.js') throw new Error('disk read failed for K7QM4-XPD9R-TAWB3-HN2CE');
      return undefined;
    },
  });
  await t.admin.put('/api/locals', { locals: vote.locals });
  await t.admin.post('/api/votes', vote);
  await t.openVote(vote.id);
});
afterAll(() => t.close());

const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe(`the request log on ${TEST_DB}`, () => {
  it('logs a 500 with an error id that the answer gives too, and the error without the secret it quoted', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await t.anonymous.get('/assets/fault.js');
      expect(res.status).toBe(500);
      const errorId = res.body.error.errorId as string;
      expect(errorId).toMatch(/^[0-9a-f]{8}$/);
      expect(res.body.error.message).toContain(`error ${errorId}`);
      expect(logged().at(-1)).toEqual({ at: expect.any(String), method: 'GET', route: '/assets/:file', status: 500, ms: expect.any(Number), errorId });
      const reported = errors.mock.calls.map((c) => String(c[0])).join('\n');
      expect(reported).toContain(errorId);
      expect(reported).toContain('disk read failed');
      expect(reported).not.toContain('K7QM4-XPD9R-TAWB3-HN2CE');
    } finally {
      errors.mockRestore();
    }
  });

  it('logs the route pattern and status of every request, never a code, a password, a body or a query', async () => {
    lines.length = 0;
    await t.anonymous.post(`/api/votes/${vote.id}/codes/check`, { code: 'K7QM4-XPD9R-TAWB3-HN2CE' });
    await t.anonymous.post('/api/session', { username: 'admin', password: 'a wrong password' });
    await t.anonymous.get(`/api/board/${vote.id}/inclusion?trackingCode=${'ab'.repeat(32)}`);
    await t.anonymous.get('/no/such/page?secret=1');
    expect(logged().map((l) => [l.method, l.route, l.status])).toEqual([
      ['POST', '/api/votes/:voteId/codes/check', 404],
      ['POST', '/api/session', 401],
      ['GET', '/api/board/:voteId/inclusion', 404],
      ['GET', '(no route)', 404],
    ]);
    const all = lines.join('\n');
    for (const secret of ['K7QM4', 'a wrong password', 'abab', 'secret', vote.id, '127.0.0.1']) expect(all).not.toContain(secret);
  });
});
