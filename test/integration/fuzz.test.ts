/**
 * Fuzzing the public endpoints (no sign-in): 10,000 requests with random and mutated paths, queries
 * and bodies, built by fast-check from real requests of an open vote. Whatever arrives, the answer
 * is never a 5xx, and nothing is stored: the seeds are credentials already spent (a code that has
 * its token, a ballot already cast), so even a request that slips through cannot add a row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { randomBytes } from '@union-vote/crypto';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient, prepareChoices, spoilPrepared } from '@union-vote/client';
import { keygen } from '@union-vote/cli';
import { openTestApp, type TestApp } from '../support/app.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const base = exampleVotes.strikeAuthorization;
const vote: VoteDefinitionInput = { ...base, id: 'fuzzed', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

let t: TestApp;
let spent: { code: string; localId: string; blinded: string; token: unknown; ballot: unknown; trackingCode: string; spoiled: unknown; commitment: string };
const TABLES = ['ballots', 'voting_codes', 'sessions', 'users', 'tree_heads', 'tree_nodes', 'members', 'votes', 'outbox', 'running_totals', 'api_tokens'] as const;

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.database.handle.db)).rows[0]!.n);
  out.tokens = Number((await sql<{ n: number }>`select count(*)::int as n from voting_codes where token_issued_at is not null`.execute(t.database.handle.db)).rows[0]!.n);
  out.spoiled = Number((await sql<{ n: number }>`select count(*)::int as n from spoiled_ballots`.execute(t.database.handle.db)).rows[0]!.n);
  return out;
}

beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals: vote.locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  await t.openVote(vote.id);
  const localId = vote.locals[0]!.id;
  await t.admin.post(`/api/locals/${localId}/roster`, 'member_number,name,email,phone,good_standing\n1,Ana,ana@example.org,,yes\n', { 'content-type': 'text/csv' });
  const code = (await t.admin.post(`/api/votes/${vote.id}/locals/${localId}/codes`, {})).body.issued[0].code as string;
  // Cast once through the client, recording what it sent: the seeds of the mutations.
  const sent: Record<string, unknown> = {};
  const client = new VotingClient({
    baseUrl: '',
    fetch: async (url, init) => {
      if (init?.method === 'POST') sent[url.split('/').at(-1)!] = JSON.parse(String(init.body));
      return t.app.request(url, init);
    },
  });
  const result = await client.vote({ voteId: vote.id, code, localId, deviceSeed: randomBytes(32), choices: { [vote.questions[0]!.id]: 'yes' } });
  const tokens = sent.tokens as { blinded: string };
  const ballots = sent.ballots as { token: unknown; ballot: unknown };
  // A ballot opened by a check, once: the seed of the openings.
  const board = await client.board(vote.id);
  const prepared = prepareChoices({ manifest: board.manifest, localId, choices: { [vote.questions[0]!.id]: 'no' } });
  await spoilPrepared(client, { prepared, manifest: board.manifest, fingerprint: '', origin: '' });
  const opened = sent.spoiled as { spoiled: unknown };
  spent = { code, localId, blinded: tokens.blinded, token: ballots.token, ballot: ballots.ballot, trackingCode: result.trackingCode, spoiled: opened.spoiled, commitment: prepared.committed.commitment };
}, 120_000);
afterAll(() => t.close());

/** A JSON value, or a copy of `seed` with one place replaced, dropped or reshaped. */
function mutated(seed: unknown): fc.Arbitrary<unknown> {
  const anything = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 80 }),
    fc.constantFrom('', '00', 'ff'.repeat(32), '0'.repeat(64), 'zz'.repeat(32), '-1', '1e309', '__proto__', '\u0000', 'é'.repeat(40)),
    fc.integer(), fc.double(), fc.constant(null), fc.constant([]), fc.constant({}),
  );
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(seed, []);
  return fc.oneof(
    { weight: 1, arbitrary: anything },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom(...paths), anything, fc.boolean()).map(([path, value, drop]) => {
        if (path.length === 0) return value;
        const copy = structuredClone(seed) as Record<string | number, unknown>;
        let at: Record<string | number, unknown> = copy;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        const last = path.at(-1)!;
        if (drop && !Array.isArray(at)) delete at[last];
        else at[last] = value;
        return copy;
      }),
    },
  );
}

const segment = fc.oneof(fc.constant(vote.id), fc.constant('ratify-basic-agreement'), fc.string({ maxLength: 40 }), fc.constantFrom('..', '%00', '\u0000', 'a'.repeat(300), '%F0%9F%92%A5'));

describe('fuzzing the public endpoints', () => {
  it('refuses a body nested thousands of levels deep (validators recurse) with a 400 naming it', async () => {
    const deep = '{"rule":'.repeat(5000) + '1' + '}'.repeat(5000);
    const res = await t.admin.request('POST', '/api/votes', deep, { 'content-type': 'application/json' });
    expect([res.status, res.body.error.field, res.body.error.message]).toEqual([400, 'body', 'the body nests deeper than 32 levels']);
  });

  it('refuses a NUL character (which PostgreSQL cannot store) in a body, a path or a query with a 400, not a 500', async () => {
    // Found by the fuzzer: a user name holding U+0000 made the sign-in query fail with a 500.
    const body = await t.anonymous.post('/api/session', { username: '\u0000', password: 'x' });
    expect([body.status, body.body.error.field]).toEqual([400, 'body']);
    const path = await t.anonymous.get(`/api/board/${encodeURIComponent('\u0000')}`);
    expect([path.status, path.body.error.field]).toEqual([400, 'path']);
    const query = await t.anonymous.get(`/board/${vote.id}?track=%00`);
    expect([query.status, query.body.error.field]).toEqual([400, 'query']);
  });

  it(`answers ${RUNS.toLocaleString('en')} random and mutated requests without a 5xx, storing nothing`, async () => {
    const before = await counts();
    const requests = fc.oneof(
      mutated({ code: spent.code }).map((body) => ({ method: 'POST', path: `/api/votes/${vote.id}/codes/check`, body })),
      mutated({ localId: spent.localId, code: spent.code, blinded: spent.blinded }).map((body) => ({ method: 'POST', path: `/api/votes/${vote.id}/tokens`, body })),
      mutated({ localId: spent.localId, token: spent.token, ballot: spent.ballot }).map((body) => ({ method: 'POST', path: `/api/votes/${vote.id}/ballots`, body })),
      mutated({ spoiled: spent.spoiled }).map((body) => ({ method: 'POST', path: `/api/votes/${vote.id}/spoiled`, body })),
      mutated({ username: 'admin', password: 'not the password' }).map((body) => ({ method: 'POST', path: '/api/session', body })),
      fc.tuple(segment, fc.constantFrom('', '/tree-head', '/ballots', '/inclusion', '/consistency', '/totals', '/results', '/report', '/record', '/issuance', '/cosignatures', '/acts', '/spoiled', `/spoiled/${spent.commitment}`, `/check-codes/${spent.commitment.slice(0, 32)}`, '/check-codes/7K3M-QX2P'), fc.dictionary(fc.constantFrom('from', 'to', 'limit', 'trackingCode', 'format', 'local', 'treeSize'), fc.oneof(fc.string({ maxLength: 70 }), fc.integer().map(String), fc.constant(spent.trackingCode), fc.constant(spent.localId))))
        .map(([v, rest, q]) => ({ method: 'GET', path: `/api/board/${encodeURIComponent(v)}${rest}?${new URLSearchParams(q)}`, body: undefined })),
      fc.tuple(fc.constantFrom('/vote/', '/board/'), segment, fc.dictionary(fc.constantFrom('lang', 'track'), fc.string({ maxLength: 70 })))
        .map(([page, v, q]) => ({ method: 'GET', path: `${page}${encodeURIComponent(v)}?${new URLSearchParams(q)}`, body: undefined })),
      fc.tuple(segment, fc.string({ maxLength: 200 })).map(([v, raw]) => ({ method: 'POST', path: `/api/votes/${encodeURIComponent(v)}/ballots`, body: raw, raw: true })),
      mutated({ treeSize: 1, rootHash: '00'.repeat(32), timestamp: new Date().toISOString(), headSignature: '00'.repeat(64), actsSize: 3, actsHead: '00'.repeat(32), issuanceSize: 1, issuanceHead: '00'.repeat(32), closed: false, witnessKey: '00'.repeat(32), seenAt: new Date().toISOString(), signature: '00'.repeat(64) })
        .map((body) => ({ method: 'POST', path: `/api/votes/${vote.id}/cosignatures`, body })),
    );
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(requests, async (r) => {
      const raw = (r as { raw?: boolean }).raw;
      const res = await t.app.request(r.path, {
        method: r.method,
        headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
        body: r.body === undefined ? undefined : raw ? String(r.body) : JSON.stringify(r.body),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status >= 500) throw new Error(`${r.method} ${r.path} ${JSON.stringify(r.body)?.slice(0, 500)} → ${res.status} ${text.slice(0, 300)}`);
    }), { numRuns: RUNS });
    expect(await counts()).toEqual(before);
    // Most requests were refused with a 4xx; what was accepted was reading or the spent ballot's own receipt.
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
  });
});
