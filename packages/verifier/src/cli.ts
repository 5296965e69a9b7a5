/**
 * `union-vote-verify check-spoiled …`: one ballot opened by a member's check (check-spoiled-cli.ts).
 * `union-vote-verify <record.json> [--fingerprint FP] [--witness FILE]... [--receipts DIR] [--unused-code CODE]... [--threads N]`
 *
 * Verifies an election record and prints each check with PASS or FAIL; exits 1 if any fails, 2 on
 * bad usage (or a file that cannot be read at all). A record that is not even JSON fails `format`.
 *   --fingerprint FP   the vote's fingerprint from a member's letter or the trustees' announcement;
 *                      without it the record is checked only against itself, and this says so
 *   --witness FILE     a monitor's own copy of the heads it cosigned (union-vote monitor watch)
 *   --receipts DIR     members' receipt files (*.json), as downloaded after casting, and the board's
 *                      promise files of members whose receipt never came
 *   --unused-code CODE a code whose holder did not vote: it must show no token
 *   --check-code CODE  the check code a member was shown before pressing "Cast": a ballot in the box has it
 *   --spoiled FILE     an opened ballot as a member saved it from the checker (signed by the board): the record lists it
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { verifyRecord, type NamedFile } from './verify.ts';
import { parallelBallotProofs } from './parallel.ts';

if (process.argv[2] === 'check-spoiled') await (await import('./check-spoiled-cli.ts')).main(process.argv.slice(3));

const USAGE = 'usage: union-vote-verify <record.json> [--fingerprint FP] [--witness FILE]... [--receipts DIR] [--unused-code CODE]... [--check-code CODE]... [--spoiled FILE]... [--threads N]\n       union-vote-verify check-spoiled <checker link> | --board URL --vote ID --ballot COMMITMENT | --record FILE --ballot COMMITMENT  [--fingerprint FP]';
const args = process.argv.slice(2);
const valued = new Set(['--threads', '--fingerprint', '--witness', '--receipts', '--unused-code', '--check-code', '--spoiled']);
const positional: string[] = [];
const values = new Map<string, string[]>();
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (valued.has(a)) {
    const v = args[++i];
    if (v === undefined) fail(`${a} needs a value`);
    values.set(a, [...(values.get(a) ?? []), v]);
  } else if (a.startsWith('--')) fail(`unknown option ${a}`);
  else positional.push(a);
}
function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
const one = (name: string) => values.get(name)?.at(-1);
const file = positional[0];
const threads = one('--threads') !== undefined ? Number(one('--threads')) : Math.min(2, availableParallelism());
if (!file || positional.length > 1 || !Number.isInteger(threads) || threads < 1) fail('give one record file, and --threads a whole number');

function text(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return fail(`cannot read ${path}: ${(e as Error).message}`);
  }
}
/** A file's JSON, or the text itself when it is not JSON (the check it feeds then fails by name). */
function json(path: string): unknown {
  const t = text(path);
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

function bar(done: number, total: number): void {
  if (!process.stderr.isTTY && done !== total && done % 20_000 >= 2048) return;
  const width = 30;
  const filled = Math.round((width * done) / Math.max(1, total));
  process.stderr.write(`\r  ballot proofs [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}${done === total ? '\n' : process.stderr.isTTY ? '' : '\n'}`);
}

const start = performance.now();
const witnesses: NamedFile[] = (values.get('--witness') ?? []).map((f) => ({ name: f, content: json(f) }));
const receipts: NamedFile[] = [];
for (const dir of values.get('--receipts') ?? []) {
  let names: string[] = [];
  try {
    names = statSync(dir).isDirectory() ? readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => join(dir, n)) : [dir];
  } catch (e) {
    fail(`cannot read ${dir}: ${(e as Error).message}`);
  }
  receipts.push(...names.map((n) => ({ name: n, content: json(n) })));
}
const record = json(file);
const report = await verifyRecord(record, {
  fingerprint: one('--fingerprint'), witnesses, receipts, unusedCodes: values.get('--unused-code') ?? [],
  checkCodes: values.get('--check-code') ?? [], spoiled: (values.get('--spoiled') ?? []).map((f) => ({ name: f, content: json(f) })),
  verifyBallotProofs: parallelBallotProofs(threads, bar),
});
for (const c of report.checks) {
  const shown = c.ok ? 3 : 20;
  console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.id.padEnd(18)} ${c.name}`);
  for (const d of c.details.slice(0, shown)) console.log(`      ${d}`);
  if (c.details.length > shown) console.log(`      … and ${c.details.length - shown} more`);
}
const seconds = ((performance.now() - start) / 1000).toFixed(1);
if (report.ok) {
  console.log(`\nThe record verifies: ${report.checks.length} checks passed in ${seconds} s.`);
  if (!report.anchored) console.log(`WARNING: no fingerprint was given, so the record was checked only against itself. Its fingerprint is ${report.fingerprint}; compare it with a member's letter or the trustees' announcement (--fingerprint).`);
} else {
  console.log(`\nThe record does NOT verify: ${report.checks.filter((c) => !c.ok).length} of ${report.checks.length} checks failed (${seconds} s).`);
}
process.exit(report.ok ? 0 : 1);
