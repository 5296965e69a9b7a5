/**
 * `npm run bench:verify`: a 100,000-ballot election record, made through the app, tallied and verified.
 *  1. Ballots: the cached honest yes/no ballots of `npm run bench:crypto` (generated here if absent),
 *     ballot i cast in local i mod 13 of the Basic Agreement example.
 *  2. Casting's share of the tally, timed: adding one ballot to its local's running totals (what each
 *     cast does in its transaction), on a sample.
 *  3. The vote through the app on PGlite: defined, the bench trustee registered, sealed, approved,
 *     opened; rosters and codes (each logged in the issuance log under its pseudonym, a token drawn
 *     on as many as there are ballots), the ballots and their running totals loaded in four steps,
 *     the board signing a tree head after each; the hourly token batch written (timed). Then, timed: the
 *     admin closes it (issuance and totals frozen, final tree head signed) and the trustee's partial
 *     decryptions are uploaded (each proof checked, shares combined, discrete logs, rule evaluated,
 *     results published).
 *  4. The record, from the board (GET /api/board/{vote}/record), written to bench-data/record-v2-N.json.
 *  5. `union-vote-verify` on it with 2 threads and the vote's fingerprint, timed end to end (reading
 *     the file included).
 * BENCH_BALLOTS sets N.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  IDENTITY, addCiphertexts, ballotFromJson, ballotLeafFromJson, ciphertextFromJson, leafHash, partialDecrypt, partialDecryptionToJson, pointToHex,
  fromHex, questionCiphertextsFromJson, randomBytes, scalarToHex, toHex, trackingCodeFromJson, type Ciphertext,
} from '@union-vote/crypto';
import { sodiumReady, verifyBallotJsonWithSodium } from '@union-vote/crypto/sodium';
import sodium from 'libsodium-wrappers-sumo';
import { VoteDefinition, closingDigest, closingOf, codePseudonym, decryptionLabel, exampleVotes, formatCode, type ElectionRecord } from '@union-vote/election';
import { KEY_FILE_FORMAT, readKeyFile, registrationOf, type KeyFile } from '@union-vote/cli';
import { importRoster, withTransaction, type LocalTotal } from '@union-vote/db';
import { QUESTION, SECRET, VOTE, cacheName } from '../../crypto/bench/workload.ts';
import { addBallotToTotals } from '../../../worker/src/casting/running-totals.ts';
import { entriesFor, logDueTokens, logIssuance } from '../../../worker/src/casting/issuance.ts';
import { recordAct } from '../../../worker/src/acts.ts';
import { openTestApp } from '../../../test/support/app.ts';
import { sealApproveOpen } from '../../../test/support/ceremony.ts';
import { verifyInChromium } from './browser.ts';

const manifestVoteId = (record: string) => (JSON.parse(record) as ElectionRecord).manifest.voteId;

const N = Number(process.env.BENCH_BALLOTS ?? 100_000);
const data = fileURLToPath(new URL('../../../bench-data/', import.meta.url));
mkdirSync(data, { recursive: true });

// 1. Ballots.
const cache = `${data}${cacheName(N)}`;
if (!existsSync(cache)) {
  console.error(`generating ${N} ballots on 2 threads (cached for later runs)…`);
  const parts = await Promise.all([0, 1].map((k) => new Promise<string[]>((resolve, reject) => {
    const w = new Worker(new URL('../../crypto/bench/worker.mjs', import.meta.url), { workerData: { task: 'generate', from: Math.floor((k * N) / 2), to: Math.floor(((k + 1) * N) / 2) } });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  writeFileSync(cache, parts.flat().join('\n') + '\n');
}
const lines = readFileSync(cache, 'utf8').trim().split('\n');
const definition = VoteDefinition.parse({ ...exampleVotes.ratifyBasicAgreement, id: VOTE, title: 'Benchmark ratification', opensAt: '2026-11-01T00:00:00Z', closesAt: '2026-11-04T00:00:00Z' });
if (definition.questions[0]!.id !== QUESTION.id) throw new Error('the bench ballots answer another question');
const locals = definition.locals.map((l) => l.id);
const ballots = lines.map((line, i) => {
  const ballot = JSON.parse(line) as { localId: string; nullifier: string; questions: unknown[] };
  return { leafIndex: i, localId: ballot.localId, nullifier: ballot.nullifier, trackingCode: trackingCodeFromJson(ballot), ballot };
});

// 2. Casting's share: one ballot added to the running totals, per cast.
const keyFile: KeyFile = { format: KEY_FILE_FORMAT, voteId: VOTE, trusteeId: 'bench-trustee', secretKey: scalarToHex(SECRET), signingKey: '11'.repeat(32) };
const trustee = readKeyFile(keyFile);
const shape = { id: QUESTION.id, options: 2, blankAllowed: false };
const sample = ballots.slice(0, 1000).map((b) => ({ localId: b.localId, ballot: ballotFromJson(b.ballot) }));
const running = new Map<string, LocalTotal[]>();
const runningStart = performance.now();
for (const b of sample) running.set(b.localId, addBallotToTotals(running.get(b.localId) ?? [], b.ballot, [shape]));
const perCastMs = (performance.now() - runningStart) / sample.length;

// The sums the casts add up to (for loading the database and for the record).
const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
for (const b of ballots) {
  questionCiphertextsFromJson(b.ballot.questions[0], shape).forEach((ct, o) => {
    const k = `${b.localId}/${o}`;
    const s = sums.get(k) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
    s.ct = addCiphertexts(s.ct, ct);
    s.ballots++;
    sums.set(k, s);
  });
}

// 3 and 4. The vote through the app, its tally timed, and its record.
const server = await throughTheApp();
const file = `${data}record-v2-${N}.json`;
writeFileSync(file, server.record);

// The machine's speed in this run, as a baseline: libsodium's ristretto255 multiplication (84 µs on
// the run of 2026-11-22 that verified in 48.9 s), and the workers' check of one ballot, on one thread.
await sodiumReady();
const point = sodium.crypto_core_ristretto255_random();
const scalar = sodium.crypto_core_ristretto255_scalar_random();
const multStart = performance.now();
for (let i = 0; i < 2000; i++) sodium.crypto_scalarmult_ristretto255(scalar, point);
const multMicros = ((performance.now() - multStart) * 1000) / 2000;
const manifest = (JSON.parse(server.record) as ElectionRecord).manifest;
const electionKey = fromHex(manifest.keys.election, 32);
const checkStart = performance.now();
for (const b of ballots.slice(0, 1000)) {
  if (verifyBallotJsonWithSodium(b.ballot, { voteId: VOTE, localId: b.localId, electionKey, nullifier: fromHex(b.nullifier, 32), questions: [shape] }).verdict !== 'valid') throw new Error('a bench ballot does not verify');
}
const perBallotMs = (performance.now() - checkStart) / 1000;

// 5. The command-line verifier, end to end, three times.
const verifyRuns: number[] = [];
for (let i = 0; i < 3; i++) {
  const verifyStart = performance.now();
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/verify.mjs', import.meta.url)), file, '--threads', '2', '--fingerprint', server.fingerprint], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  verifyRuns.push((performance.now() - verifyStart) / 1000);
  if (i === 0) process.stderr.write(run.stdout);
  if (run.status !== 0) throw new Error(`the verifier failed (exit ${run.status}): ${run.stderr}`);
}
verifyRuns.sort((a, b) => a - b);

// 6. The same record verified by the board page's verifier in headless Chromium (BROWSER=0 skips it).
const browserRun = process.env.BROWSER === '0' ? undefined : await verifyInChromium(file, manifestVoteId(server.record), server.fingerprint);
if (browserRun && !browserRun.ok) throw new Error('the browser verifier did not pass the record');

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}. Command: \`npm run bench:verify\`.\n`);
console.log('| step | value |\n|---|---|');
console.log(`| ballots in the record (yes/no, 13 locals) | ${N.toLocaleString('en')} |`);
console.log(`| record size | ${(readFileSync(file).length / 1e6).toFixed(1)} MB |`);
console.log(`| casting: one ballot added to its local's running totals (per cast, in its transaction) | ${perCastMs.toFixed(2)} ms |`);
console.log(`| during the vote, on PGlite: the hourly token batch, here all ${N.toLocaleString('en')} tokens at once (marked logged, sorted, signed into the issuance log) | ${server.batchSeconds.toFixed(1)} s |`);
console.log(`| tally on PGlite: the admin closes the vote (issuance and ${sums.size} totals frozen, final tree head over ${N.toLocaleString('en')} leaves signed) | ${server.closeSeconds.toFixed(1)} s |`);
console.log(`| tally on PGlite: the trustee's ${sums.size} partial decryptions uploaded, proofs checked, combined, discrete logs, results published | ${server.decryptSeconds.toFixed(1)} s |`);
console.log(`| tally on PGlite: close to published results | ${(server.closeSeconds + server.decryptSeconds).toFixed(1)} s |`);
console.log(`| verify: \`union-vote-verify --fingerprint\`, 2 threads, every check, end to end, 3 runs (min / median / max) | ${verifyRuns.map((x) => x.toFixed(1)).join(' / ')} s |`);
if (browserRun) console.log(`| verify in headless Chromium: the board's verifier (${browserRun.checks} checks), ballot proofs on ${browserRun.workers} workers${browserRun.wasm ? ' with WebAssembly (libsodium)' : ', JavaScript'}, download to report | ${browserRun.seconds.toFixed(1)} s |`);
console.log(`| baseline, this run: libsodium ristretto255 multiplication (84 µs on 2026-11-22) | ${multMicros.toFixed(0)} µs |`);
console.log(`| baseline, this run: one ballot's proofs checked by the verifier's workers (libsodium), one thread | ${perBallotMs.toFixed(2)} ms |`);

/**
 * The vote through the app on PGlite, as in step 3 of the header; returns the tally's timings, the
 * record as the board serves it, and the fingerprint.
 */
async function throughTheApp(): Promise<{ batchSeconds: number; closeSeconds: number; decryptSeconds: number; record: string; fingerprint: string }> {
  // One morning of a vote (a staff session lasts 12 hours): sealed 00:30, codes 01:00, heads hourly, closed 06:00.
  let clock = new Date('2026-11-01T00:30:00Z');
  const at = (iso: string) => (clock = new Date(iso));
  const t = await openTestApp('pglite', { now: () => clock });
  try {
    const db = t.database.handle.db;
    await t.admin.put('/api/locals', { locals: definition.locals });
    await expectStatus(t.admin.post('/api/votes', { ...definition }), 201, 'define the vote');
    const perLocal = new Map<string, number>();
    for (const b of ballots) perLocal.set(b.localId, (perLocal.get(b.localId) ?? 0) + 1);
    // Rosters: 1.4 members per ballot, all in good standing.
    for (const l of locals) {
      const n = Math.ceil((perLocal.get(l) ?? 0) * 1.4);
      await importRoster(db, l, Array.from({ length: n }, (_, i) => ({ memberNumber: `${l}-${i}`, name: `Member ${i}`, email: null, phone: null, goodStanding: true })), clock);
    }
    await expectStatus(t.admin.post(`/api/votes/${VOTE}/trustees`, registrationOf(trustee)), 201, 'register the trustee');
    const { fingerprint } = await sealApproveOpen((m, path, body) => t.admin.request(m, path, body), VOTE, { 'bench-trustee': keyFile });
    // Codes: 1.3 per ballot, logged under their pseudonyms; a token drawn on one per ballot.
    at('2026-11-01T01:00:00Z');
    for (const l of locals) {
      const n = Math.ceil((perLocal.get(l) ?? 0) * 1.3);
      const codes = Array.from({ length: n }, (_, i) => {
        const code = formatCode(randomBytes(13));
        const token = i < (perLocal.get(l) ?? 0);
        return {
          vote_id: VOTE, local_id: l, member_number: `${l}-${i}`, code_hash: toHex(randomBytes(32)), pseudonym: codePseudonym(VOTE, code), issued_at: clock,
          ...(token ? { blinded: toHex(randomBytes(32)), evaluated: toHex(randomBytes(32)), proof: toHex(randomBytes(64)), token_issued_at: new Date('2026-11-01T01:00:00Z') } : {}),
        };
      });
      await withTransaction(db, async (tx) => {
        for (let i = 0; i < codes.length; i += 2000) await tx.insertInto('voting_codes').values(codes.slice(i, i + 2000)).execute();
        await logIssuance(tx, VOTE, clock, entriesFor(l, 'issued', codes.map((c) => c.pseudonym)));
      });
      await recordAct(db, VOTE, { role: 'secretary', localId: l }, 'codes issued', { count: n }, clock);
    }
    // Ballots and running totals, in four steps; the board signs a head after each.
    for (let step = 1; step <= 4; step++) {
      const part = ballots.slice(Math.round(((step - 1) * N) / 4), Math.round((step * N) / 4));
      for (let i = 0; i < part.length; i += 1000) {
        await db.insertInto('ballots').values(part.slice(i, i + 1000).map((b) => ({
          vote_id: VOTE, leaf_index: b.leafIndex, local_id: b.localId, nullifier: b.nullifier, tracking_code: b.trackingCode,
          leaf_hash: toHex(leafHash(ballotLeafFromJson(b.ballot))), ballot: b.ballot, receipt: {}, batch_ends_at: new Date('2026-11-02T00:00:00Z'),
        }))).execute();
      }
      await db.updateTable('votes').set({ log_size: Math.round((step * N) / 4) }).where('id', '=', VOTE).execute();
      at(`2026-11-01T0${1 + step}:00:00Z`);
      await expectStatus(t.anonymous.get(`/api/board/${VOTE}/tree-head`), 200, 'sign a tree head');
    }
    await db.insertInto('running_totals').values([...sums].map(([k, s]) => {
      const [localId, option] = k.split('/') as [string, string];
      return { vote_id: VOTE, question_id: QUESTION.id, local_id: localId, option: Number(option), ballots: s.ballots, alpha: pointToHex(s.ct.alpha), beta: pointToHex(s.ct.beta) };
    })).execute();
    await t.admin.post('/api/users', { username: 'bench-trustee', displayName: 'Bench trustee', role: 'trustee', votes: [VOTE], password: 'bench trustee password' });
    const session = await t.signIn('bench-trustee', 'bench trustee password');

    // The hourly token batch (the timer's work during a real vote), timed on its own.
    at('2026-11-01T05:30:00Z');
    const batchStart = performance.now();
    await logDueTokens(db, clock);
    const batchSeconds = (performance.now() - batchStart) / 1000;

    at('2026-11-01T06:00:00Z');
    const closeStart = performance.now();
    await expectStatus(t.admin.post(`/api/votes/${VOTE}/close`), 200, 'close the vote');
    const closeSeconds = (performance.now() - closeStart) / 1000;

    // The trustee decrypts the totals of the record as it closed (its shares are bound to that closing).
    const closed = (await t.anonymous.get(`/api/board/${VOTE}/record`)).body as ElectionRecord;
    const closing = closingDigest(closingOf(closed));
    const decryptStart = performance.now();
    const frozen = (await t.anonymous.get(`/api/board/${VOTE}/totals`)).body.totals as { questionId: string; localId: string; option: number; alpha: string; beta: string }[];
    const shares = frozen.map((f) => {
      const d = partialDecryptionToJson(partialDecrypt(trustee, ciphertextFromJson(f), decryptionLabel(f.questionId, f.localId, f.option, closing)));
      return { questionId: f.questionId, localId: f.localId, option: f.option, share: d.share, proof: d.proof };
    });
    const published = await expectStatus(session.post(`/api/votes/${VOTE}/decryptions`, { trusteeId: 'bench-trustee', shares }), 200, 'upload the decryptions');
    if (!published.body.complete) throw new Error('the results were not published');
    const decryptSeconds = (performance.now() - decryptStart) / 1000;
    const res = await t.app.request(`/api/board/${VOTE}/record`);
    if (res.status !== 200) throw new Error(`the record: ${res.status}`);
    return { batchSeconds, closeSeconds, decryptSeconds, record: await res.text(), fingerprint };
  } finally {
    await t.close();
  }
}

async function expectStatus<T extends { status: number; body: any }>(reply: Promise<T>, status: number, what: string): Promise<T> {
  const r = await reply;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}
