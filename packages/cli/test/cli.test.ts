import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trusteePublicKeyFromJson, verifyTrusteeKey } from '@union-vote/crypto';
import { readKeyFile } from '../src/index.ts';

const bin = fileURLToPath(new URL('../bin/union-vote.mjs', import.meta.url));

describe('union-vote trustee keygen', () => {
  it('writes the secret share to a private file and prints a registration that verifies', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'trustee-')), 'alice.json');
    const run = spawnSync(process.execPath, [bin, 'trustee', 'keygen', '--vote', 'strike-2026', '--trustee', 'alice', '--out', out], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const key = readKeyFile(JSON.parse(readFileSync(out, 'utf8')));
    expect(key).toMatchObject({ voteId: 'strike-2026', trusteeId: 'alice' });
    const registration = JSON.parse(run.stdout);
    expect(registration.trusteeId).toBe('alice');
    expect(verifyTrusteeKey('strike-2026', trusteePublicKeyFromJson(registration))).toBe(true);
    expect(run.stdout).not.toContain(JSON.parse(readFileSync(out, 'utf8')).secretKey);
    // Never overwrites a key file.
    expect(spawnSync(process.execPath, [bin, 'trustee', 'keygen', '--vote', 'strike-2026', '--trustee', 'alice', '--out', out], { encoding: 'utf8' }).status).toBe(2);
  });

  it('explains its usage', () => {
    const run = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/usage: union-vote trustee join[\s\S]*union-vote trustee keygen/);
  });
});
