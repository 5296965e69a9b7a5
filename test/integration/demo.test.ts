/** The demo that `npm start` seeds: example votes, one of them open, codes a member can vote with. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '@union-vote/crypto';
import { parseCsv } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { seedDemo } from '../../worker/src/demo.ts';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let t: TestApp;
const dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

describe(`the demo on ${TEST_DB}`, () => {
  it('seeds the example votes once, opens the ratification, and hands out codes that work', async () => {
    const seeded = await seedDemo(t.database.handle.db, new Date(), { dataDir, origin: 'http://127.0.0.1:8787' });
    expect(seeded.votes).toEqual(['ratify-basic-agreement', 'strike-authorization', 'ratify-2021-agreements']);
    expect((await seedDemo(t.database.handle.db, new Date(), { dataDir, origin: 'x' })).votes).toEqual([]);
    expect(statSync(seeded.codesFile!).mode & 0o777).toBe(0o600);
    const rows = parseCsv(readFileSync(seeded.codesFile!, 'utf8')).slice(1).map((r) => r.fields);
    expect(rows).toHaveLength(36); // 40 members, 4 not in good standing
    expect(rows[0]![5]).toMatch(/^http:\/\/127\.0\.0\.1:8787\/vote\/ratify-basic-agreement#local=700&code=/);
    const client = new VotingClient({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)) });
    const result = await client.vote({ voteId: 'ratify-basic-agreement', code: rows[0]![4]!, deviceSeed: randomBytes(32), choices: { 'basic-agreement': 'yes' } });
    expect(result.localId).toBe('700');
    for (const id of ['alice', 'bob', 'carol']) {
      expect(JSON.parse(readFileSync(join(dataDir, `demo-trustee-${id}.json`), 'utf8'))).toMatchObject({ format: 'union-vote/trustee-share/v1', voteId: 'ratify-basic-agreement', trusteeId: id, approvedFingerprint: seeded.fingerprint });
      expect(statSync(join(dataDir, `demo-trustee-${id}.token`)).mode & 0o777).toBe(0o600);
    }
    const manifest = (await t.anonymous.get('/api/board/ratify-basic-agreement')).body.manifest;
    expect(manifest.definition.trustees).toEqual({ count: 3, threshold: 2 });
    expect(manifest.trustees.map((x: { trusteeId: string }) => x.trusteeId)).toEqual(['alice', 'bob', 'carol']);
  });

  it('`npm run demo:vote` checks the board against the letter\'s fingerprint before it sends the code, and refuses a board with another', async () => {
    const codes = readFileSync(join(dataDir, 'demo-codes.csv'), 'utf8');
    const forgedDir = mkdtempSync(join(tmpdir(), 'demo-forged-'));
    // The letters carry another fingerprint than the board's vote (a board that is not the one the trustees approved).
    const real = parseCsv(codes).slice(1)[0]!.fields[6]!;
    writeFileSync(join(forgedDir, 'demo-codes.csv'), codes.replaceAll(real, 'AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH'));
    const asked: string[] = [];
    const server = serve({ fetch: (req: Request) => (asked.push(new URL(req.url).pathname), t.app.fetch(req)), port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    try {
      const out = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/cli/src/demo-vote.ts'], { cwd: ROOT, env: { ...process.env, DATA_DIR: forgedDir, SERVER: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } })
        .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/^Not voting: this board's vote has the fingerprint .*, not AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH from your letter: do not vote here\. Nothing was sent with the code\./);
      expect(asked).toEqual(['/api/board/ratify-basic-agreement']);
    } finally {
      server.close();
    }
  }, 60_000);

  it("the README's trustee steps on the demo, exactly as written: close, two of the three trustees decrypt, the results are published", async () => {
    // The README's block, with the service's address and the data directory of this test.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf('# On the demo'), readme.indexOf('```', readme.indexOf('# On the demo'))).trim();
    const commands = block.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const command of commands) {
        const line = command.replaceAll('http://127.0.0.1:8787', `http://127.0.0.1:${port}`).replaceAll('data/', `${dataDir}/`).replace(/^npx union-vote /, `${process.execPath} ${join(ROOT, 'packages/cli/bin/union-vote.mjs')} `)
          .replaceAll(' npx union-vote ', ` ${process.execPath} ${join(ROOT, 'packages/cli/bin/union-vote.mjs')} `).replace(/^npm run demo:vote/, `SERVER=http://127.0.0.1:${port} DATA_DIR=${dataDir} ${process.execPath} --import tsx packages/cli/src/demo-vote.ts`);
        const out = await promisify(execFile)('bash', ['-c', line], { cwd: ROOT }).catch((e: { code: number; stdout: string; stderr: string }) => e);
        expect((out as { code?: number }).code ?? 0, `${command}\n${(out as { stderr: string }).stderr}`).toBe(0);
      }
    } finally {
      server.close();
    }
    const results = (await t.anonymous.get('/api/board/ratify-basic-agreement/results')).body;
    expect(results.questions[0].locals.find((l: { localId: string }) => l.localId === '700')).toMatchObject({ yes: 2, no: 1 });
  }, 120_000);

  it('`npm run demo:vote` says what is wrong and what to do, without a stack trace, when the service is not running or the demo was never started', async () => {
    const run = (env: Record<string, string>) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/cli/src/demo-vote.ts'], { cwd: ROOT, env: { ...process.env, ...env } })
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
    const down = await run({ DATA_DIR: dataDir, SERVER: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Could not reach the service at http:\/\/127\.0\.0\.1:9 .*Start it with `npm start`/);
    expect(down.stderr).not.toMatch(/\n\s+at /);
    const never = await run({ DATA_DIR: join(dataDir, 'nowhere') });
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/start the service first with `npm start`/);
  }, 60_000);
});
