/**
 * `npm run bench:roster`: one 100,000-member roster imported in one request, on PGlite and on
 * PostgreSQL, through the real app (CSV parse, validation, batched upserts in one transaction),
 * then the same file again (every row compared, none written). Then how long other requests wait
 * behind one large upload (issue 13: no request more than 100 ms behind an import): requests to
 * /healthz every 10 ms, alone (the baseline), then while a 32 MB roster with an unclosed quote is
 * refused, then while the 100,000-member roster is imported. Prints Markdown tables for
 * docs/benchmarks.md.
 */
import { performance } from 'node:perf_hooks';
import { openTestApp } from '../support/app.ts';

const ROWS = Number(process.env.ROWS ?? 100_000);
const header = 'member_number,name,email,phone,good_standing\n';
const csv = header + Array.from({ length: ROWS }, (_, i) => `${100000 + i},Member ${i},member${i}@example.org,+1 555 010 ${String(i % 10000).padStart(4, '0')},${i % 17 ? 'yes' : 'no'}`).join('\n') + '\n';

const rows: string[] = [];
for (const db of process.env.ONLY_WAITS ? [] : ['pglite', 'postgres'] as const) {
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

/** Latencies of /healthz asked every 10 ms while `during` runs (or for `ms` alone). */
async function healthWhile(t: Awaited<ReturnType<typeof openTestApp>>, during: () => Promise<unknown>): Promise<{ n: number; p50: number; p99: number; max: number }> {
  const waits: number[] = [];
  let done = false;
  // Each request is due 10 ms after the previous one was due; its wait is counted from when it was due,
  // so time the event loop spent blocked (a timer that could not fire) counts too.
  const probe = (async () => {
    let due = performance.now();
    while (!done) {
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      await t.app.request('/healthz');
      const now = performance.now();
      waits.push(now - due);
      due = Math.max(due + 10, now);
    }
  })();
  await during();
  done = true;
  await probe;
  waits.sort((a, b) => a - b);
  const at = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]!;
  return { n: waits.length, p50: at(0.5), p99: at(0.99), max: waits.at(-1)! };
}

const lines: string[] = [];
for (const db of ['pglite', 'postgres'] as const) {
  const t = await openTestApp(db);
  await t.admin.put('/api/locals', { locals: [{ id: '700', name: 'Local 700', delegates: 70 }] });
  // The bodies as the network delivers them to the service: bytes, in 64 KB pieces, with their length
  // declared, cut before the measurement. Encoding 32 MB of text, or copying it into a Request, is the
  // sender's work, which would otherwise block this same process and count as a wait.
  const unclosed = piecesOf(new TextEncoder().encode(header + '1,"Ana Rivera,ana@example.org,,yes\n' + 'x'.repeat(32 * 1024 * 1024 - header.length - 100) + '\n'));
  const csvPieces = piecesOf(new TextEncoder().encode(csv));
  for (const [what, run] of [
    ['alone (baseline)', () => new Promise((r) => setTimeout(r, 3000))],
    ['during a 32 MB roster with an unclosed quote (refused)', () => expectStatus(400, t.admin.post('/api/locals/700/roster', unclosed.stream(), unclosed.headers))],
    [`during a ${ROWS.toLocaleString('en')}-member import`, () => expectStatus(200, t.admin.post('/api/locals/700/roster', csvPieces.stream(), csvPieces.headers))],
  ] as const) {
    const started = performance.now();
    const r = await healthWhile(t, run);
    lines.push(`| ${db} | ${what} | ${((performance.now() - started) / 1000).toFixed(1)} s | ${r.n} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`);
    console.error(lines.at(-1));
  }
  await t.close();
}
console.log('\n| database | /healthz asked every 10 ms | duration | requests | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n' + lines.join('\n'));

/** A body cut into the 64 KB pieces a network delivers, sent as a stream with its length declared. */
function piecesOf(bytes: Uint8Array) {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 65_536) pieces.push(bytes.slice(at, at + 65_536));
  return {
    headers: { 'content-type': 'text/csv', 'content-length': String(bytes.length) },
    stream: () => {
      let i = 0;
      return new ReadableStream<Uint8Array>({ pull: (controller) => (i < pieces.length ? controller.enqueue(pieces[i++]!) : controller.close()) });
    },
  };
}

/** The reply, once its status is the one expected (a wait measured behind a failed upload measures nothing). */
async function expectStatus(status: number, reply: Promise<{ status: number; body: unknown }>) {
  const res = await reply;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}
