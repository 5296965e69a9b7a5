/**
 * `union-vote-verify <record.json> [--threads N]`: verifies an election record and prints each
 * check with pass or fail; exits 1 if any fails, 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { verifyRecord } from './verify.ts';
import { parallelBallotProofs } from './parallel.ts';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const threadsArg = args.indexOf('--threads');
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : Math.min(2, availableParallelism());
if (!file || !Number.isInteger(threads) || threads < 1) {
  console.error('usage: union-vote-verify <record.json> [--threads N]');
  process.exit(2);
}

function bar(done: number, total: number): void {
  if (!process.stderr.isTTY && done !== total && done % 20_000 >= 2048) return;
  const width = 30;
  const filled = Math.round((width * done) / Math.max(1, total));
  process.stderr.write(`\r  ballot proofs [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}${done === total ? '\n' : process.stderr.isTTY ? '' : '\n'}`);
}

const start = performance.now();
let record: unknown;
try {
  record = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  console.error(`cannot read ${file}: ${(e as Error).message}`);
  process.exit(2);
}
const report = await verifyRecord(record, { verifyBallotProofs: parallelBallotProofs(threads, bar) });
for (const c of report.checks) {
  console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.id.padEnd(18)} ${c.name}`);
  for (const d of c.details.slice(0, c.ok ? 3 : 20)) console.log(`      ${d}`);
  if (c.details.length > (c.ok ? 3 : 20)) console.log(`      … and ${c.details.length - (c.ok ? 3 : 20)} more`);
}
const seconds = ((performance.now() - start) / 1000).toFixed(1);
console.log(report.ok ? `\nThe record verifies: ${report.checks.length} checks passed in ${seconds} s.` : `\nThe record does NOT verify: ${report.checks.filter((c) => !c.ok).length} of ${report.checks.length} checks failed (${seconds} s).`);
process.exit(report.ok ? 0 : 1);
