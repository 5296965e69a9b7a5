/**
 * `npm run bench:roster`: one 100,000-member roster imported in one request, on PGlite and on
 * PostgreSQL, through the real app (CSV parse, validation, batched upserts in one transaction),
 * then the same file again (every row compared, none written). Prints a Markdown table for
 * docs/benchmarks.md.
 */
import { performance } from 'node:perf_hooks';
import { openTestApp } from '../support/app.ts';

const ROWS = Number(process.env.ROWS ?? 100_000);
const header = 'member_number,name,email,phone,good_standing\n';
const csv = header + Array.from({ length: ROWS }, (_, i) => `${100000 + i},Member ${i},member${i}@example.org,+1 555 010 ${String(i % 10000).padStart(4, '0')},${i % 17 ? 'yes' : 'no'}`).join('\n') + '\n';

const rows: string[] = [];
for (const db of ['pglite', 'postgres'] as const) {
  const t = await openTestApp(db);
  await t.admin.put('/api/locals', { locals: [{ id: '700', name: 'Local 700', delegates: 70 }] });
  for (const round of ['first import', 're-import (unchanged)']) {
    const start = performance.now();
    const res = await t.admin.post('/api/locals/700/roster', csv, { 'content-type': 'text/csv' });
    const seconds = (performance.now() - start) / 1000;
    if (res.status !== 200) throw new Error(`${db}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    rows.push(`| ${db} | ${round} | ${ROWS.toLocaleString('en')} | ${(csv.length / 1e6).toFixed(1)} MB | ${seconds.toFixed(2)} s | ${JSON.stringify(res.body)} |`);
    console.error(rows.at(-1));
  }
  await t.close();
}
console.log('| database | run | rows | file | time | result |\n|---|---|---|---|---|---|\n' + rows.join('\n'));
