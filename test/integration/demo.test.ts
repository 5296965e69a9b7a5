/** The demo that `npm start` seeds: example votes, one of them open, codes a member can vote with. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '@union-vote/crypto';
import { parseCsv } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { seedDemo } from '../../worker/src/demo.ts';
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
    expect(JSON.parse(readFileSync(join(dataDir, 'demo-trustee-key.json'), 'utf8'))).toMatchObject({ voteId: 'ratify-basic-agreement', trusteeId: 'demo-trustee' });
  });

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
