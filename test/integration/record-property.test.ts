/**
 * Property: whatever single byte of an election record is changed (in any value or key, wherever it
 * lies: a signature, a hex point, a count, a timestamp, a word of the results), the verifier fails a
 * named check, and never throws. The record is a real one, built through the app, with a local where
 * nobody voted (its totals and decryptions are the identity) and monitors' cosignatures. The bytes
 * are changed in the UTF-8 text, as a file on disk would be, and read back as the CLI reads them.
 * PROPERTY_RUNS raises the number of records tried (300 by default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ElectionRecord } from '@union-vote/election';
import { verifyRecord } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { runVote, threeLocals } from '../support/vote-run.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
let t: TestApp;
let bytes: Uint8Array;
/** Byte offsets inside a key, a string value or a number/true/false/null literal of the JSON text. */
let positions: number[];

/** The offsets of every byte that belongs to a token's content (not to structure or whitespace). */
function tokenBytes(b: Uint8Array): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (inString) {
      if (c === 0x5c) { // a backslash escape: both bytes are content
        out.push(i, i + 1);
        i++;
      } else if (c === 0x22) inString = false;
      else out.push(i);
    } else if (c === 0x22) inString = true;
    else if (/[-0-9.eE+a-z]/.test(String.fromCharCode(c))) out.push(i);
  }
  return out;
}

beforeAll(async () => {
  t = await openTestApp();
  const run = await runVote(t, threeLocals('property'), { 700: ['yes', 'no'], 600: ['yes'] }, 1);
  const record: ElectionRecord = await run.tally();
  expect(record.ballots).toHaveLength(3);
  expect(record.encryptedTotals.some((x) => x.alpha === '00'.repeat(32))).toBe(true); // local 80: nobody voted
  expect(record.cosignatures.length).toBeGreaterThan(0);
  expect((await verifyRecord(record)).ok).toBe(true);
  bytes = new TextEncoder().encode(JSON.stringify(record));
  positions = tokenBytes(bytes);
}, 300_000);
afterAll(() => t.close());

describe(`a record with any one byte changed, on ${TEST_DB}`, () => {
  it('fails a named check, and the verifier never throws', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(), fc.integer({ min: 0x20, max: 0xff }), async (k, replacement) => {
      const at = positions[k % positions.length]!;
      if (bytes[at] === replacement) return;
      const changed = bytes.slice();
      changed[at] = replacement;
      const text = new TextDecoder().decode(changed);
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        input = text; // as the CLI passes a file that is not JSON
      }
      const report = await verifyRecord(input);
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.id);
      const context = new TextDecoder().decode(bytes.slice(Math.max(0, at - 60), at + 20));
      expect(report.ok, `byte ${at} (…${context}…) → ${String.fromCharCode(replacement)} passed`).toBe(false);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed).not.toContain('verifier');
    }), { numRuns: RUNS });
  }, 60_000 + RUNS * 500);
});
