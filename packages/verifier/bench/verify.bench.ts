/**
 * `npm run bench:verify`: a 100,000-ballot election record, tallied and verified.
 *  1. Ballots: the cached honest yes/no ballots of `npm run bench:crypto` (generated here if absent),
 *     spread over the 13 locals of the Basic Agreement example.
 *  2. Casting's share of the tally, timed: adding one ballot to its local's running totals (what each
 *     cast does in its transaction), on a sample.
 *  3. The server's tally, timed, through the app on PGlite: the ballots and the running totals they
 *     add up to are loaded into a vote opened with the bench trustee's key; then the admin closes it
 *     (issuance and totals frozen, final tree head signed) and the trustee's partial decryptions are
 *     uploaded (each proof checked, shares combined, discrete logs, rule evaluated, results published).
 *  4. The record: manifest and tree heads signed by a board key, issuance, totals, decryptions,
 *     results; written to bench-data/record-N.json.
 *  5. `union-vote-verify` on it with 2 threads, timed end to end (reading the file included).
 * BENCH_BALLOTS sets N.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  IDENTITY, addCiphertexts, ballotFromJson, ballotLeafFromJson, ciphertextFromJson, decryptTotal, fromHex, generateIssuerKey, generateSigningKey, knowledgeProofToJson,
  leafHash, partialDecrypt, partialDecryptionToJson, pointToHex, questionCiphertextsFromJson, rootHash, signStatement, signTreeHead, toHex,
  trackingCodeFromJson, trusteeKeyFromSecret, verifyPartialDecryption, type Ciphertext,
} from '@union-vote/crypto';
import { FIRST_PREV, RECORD_FORMAT, VoteDefinition, actHash, computeResults, exampleVotes, manifestBytes, totalLabel, type ActKind, type ElectionRecord } from '@union-vote/election';
import { QUESTION, SECRET, VOTE } from '../../crypto/bench/workload.ts';
import type { LocalTotal } from '@union-vote/db';
import { addBallotToTotals } from '../../../worker/src/casting/running-totals.ts';
import { openTestApp } from '../../../test/support/app.ts';

const N = Number(process.env.BENCH_BALLOTS ?? 100_000);
const data = fileURLToPath(new URL('../../../bench-data/', import.meta.url));
mkdirSync(data, { recursive: true });

// 1. Ballots.
const cache = `${data}ballots-${N}.jsonl`;
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
  const ballot = JSON.parse(line) as { nullifier: string; questions: unknown[] };
  return { leafIndex: i, localId: locals[i % locals.length]!, nullifier: ballot.nullifier, trackingCode: trackingCodeFromJson(ballot), ballot };
});

// 2. Casting's share: one ballot added to the running totals, per cast.
const trustee = trusteeKeyFromSecret(VOTE, 'bench-trustee', SECRET);
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

// 3. The server's tally on PGlite.
const server = await serverTally();

const encryptedTotals: ElectionRecord['encryptedTotals'] = [];
const decryptions: ElectionRecord['decryptions'] = [];
const counts = new Map<string, { questionId: string; localId: string; ballots: number; yes: number; no: number }>();
for (const [k, s] of sums) {
  const [localId, o] = k.split('/') as [string, string];
  const option = Number(o);
  const label = totalLabel(QUESTION.id, localId, option);
  const d = partialDecrypt(trustee.secret, s.ct, label);
  if (!verifyPartialDecryption(VOTE, trustee.public.publicKey, s.ct, label, d)) throw new Error('share does not verify');
  const value = decryptTotal(s.ct, [d], s.ballots);
  encryptedTotals.push({ questionId: QUESTION.id, localId, option, ballots: s.ballots, alpha: pointToHex(s.ct.alpha), beta: pointToHex(s.ct.beta) });
  const dj = partialDecryptionToJson(d);
  decryptions.push({ trusteeId: dj.trusteeId, questionId: QUESTION.id, localId, option, share: dj.share, proof: dj.proof });
  const c = counts.get(localId) ?? { questionId: QUESTION.id, localId, ballots: s.ballots, yes: 0, no: 0 };
  if (option === 0) c.yes = value;
  else c.no = value;
  counts.set(localId, c);
}

// 4. The record.
const board = generateSigningKey();
const issuers = Object.fromEntries(locals.map((l) => [l, toHex(generateIssuerKey().publicKey)]));
const trustees = [{ trusteeId: 'bench-trustee', publicKey: pointToHex(trustee.public.publicKey), proof: knowledgeProofToJson(trustee.public.proof) }];
const manifestSignature = signStatement('manifest', manifestBytes({ voteId: VOTE, definition, electionKey: pointToHex(trustee.public.publicKey), issuerKeys: issuers, trustees: trustees.map(({ trusteeId, publicKey }) => ({ trusteeId, publicKey })) }), board.secretKey);
const leaves = ballots.map((b) => leafHash(ballotLeafFromJson(b.localId, b.ballot)));
const treeHeads = [0.25, 0.5, 0.75, 1].map((f) => {
  const size = Math.round(N * f);
  const h = signTreeHead({ voteId: VOTE, treeSize: size, rootHash: toHex(rootHash(leaves.slice(0, size))), timestamp: new Date(Date.UTC(2026, 10, 1 + 3 * f)).toISOString() }, board.secretKey);
  return { treeSize: h.treeSize, rootHash: h.rootHash, timestamp: h.timestamp, signature: h.signature };
});
const perLocal = new Map<string, number>();
for (const b of ballots) perLocal.set(b.localId, (perLocal.get(b.localId) ?? 0) + 1);
const issuance = locals.map((l) => ({ localId: l, eligible: Math.ceil((perLocal.get(l) ?? 0) * 1.4), codesIssued: Math.ceil((perLocal.get(l) ?? 0) * 1.3), tokensIssued: perLocal.get(l) ?? 0 }));
// The official acts, as the service would have logged them.
const acts: ElectionRecord['acts'] = [];
const act = (kind: ActKind, role: string, localId: string | null, details: Record<string, string | number | boolean>, day: number) => {
  const body = { seq: acts.length, at: new Date(Date.UTC(2026, 9, 25 + day)).toISOString(), role, localId, act: kind, details, prev: acts.at(-1)?.hash ?? FIRST_PREV };
  const hash = actHash(VOTE, body);
  const opened = acts.some((a) => a.act === 'vote opened') || kind === 'vote opened';
  acts.push({ ...body, hash, signature: opened ? signStatement('act', fromHex(hash), board.secretKey) : null });
};
act('vote defined', 'admin', null, { title: definition.title }, 0);
act('trustee registered', 'admin', null, { trusteeId: 'bench-trustee', publicKey: pointToHex(trustee.public.publicKey) }, 1);
act('vote opened', 'admin', null, {}, 7);
for (const i of issuance) act('codes issued', 'secretary', i.localId, { count: i.codesIssued }, 7);
act('vote closed', 'clock', null, {}, 10);
act('decryptions submitted', 'trustee', null, { trusteeId: 'bench-trustee', shares: decryptions.length }, 10);
act('results published', 'service', null, { [QUESTION.id]: 'passed' }, 10);
const record: ElectionRecord = {
  format: RECORD_FORMAT,
  vote: { id: VOTE, title: definition.title, status: 'tallied', opensAt: definition.opensAt, closesAt: definition.closesAt, definition },
  keys: { election: pointToHex(trustee.public.publicKey), board: toHex(board.publicKey), issuers },
  manifestSignature, trustees, issuance, ballots, treeHeads, encryptedTotals, decryptions,
  results: computeResults(definition, Object.fromEntries(issuance.map((i) => [i.localId, i.eligible])), [...counts.values()]),
  acts,
};
const file = `${data}record-${N}.json`;
writeFileSync(file, JSON.stringify(record));

// 5. The command-line verifier, end to end.
const verifyStart = performance.now();
const run = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/verify.mjs', import.meta.url)), file, '--threads', '2'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const verifySeconds = (performance.now() - verifyStart) / 1000;
process.stderr.write(run.stdout);
if (run.status !== 0) throw new Error(`the verifier failed (exit ${run.status}): ${run.stderr}`);

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}. Command: \`npm run bench:verify\`.\n`);
console.log('| step | value |\n|---|---|');
console.log(`| ballots in the record (yes/no, 13 locals) | ${N.toLocaleString('en')} |`);
console.log(`| record size | ${(readFileSync(file).length / 1e6).toFixed(1)} MB |`);
console.log(`| casting: one ballot added to its local's running totals (per cast, in its transaction) | ${perCastMs.toFixed(2)} ms |`);
console.log(`| tally on PGlite: the admin closes the vote (issuance and ${sums.size} totals frozen, final tree head over ${N.toLocaleString('en')} leaves signed) | ${server.closeSeconds.toFixed(1)} s |`);
console.log(`| tally on PGlite: the trustee's ${sums.size} partial decryptions uploaded, proofs checked, combined, discrete logs, results published | ${server.decryptSeconds.toFixed(1)} s |`);
console.log(`| tally on PGlite: close to published results | ${(server.closeSeconds + server.decryptSeconds).toFixed(1)} s |`);
console.log(`| verify: \`union-vote-verify\`, 2 threads, all 14 checks, end to end | ${verifySeconds.toFixed(1)} s |`);

/** Loads the ballots and their running totals into a vote opened through the app, then times close and decryption. */
async function serverTally(): Promise<{ closeSeconds: number; decryptSeconds: number }> {
  const t = await openTestApp('pglite', { now: () => new Date('2026-11-02T00:00:00Z') });
  try {
    await t.admin.put('/api/locals', { locals: definition.locals });
    await expectStatus(t.admin.post('/api/votes', { ...definition }), 201, 'define the vote');
    await expectStatus(t.admin.post(`/api/votes/${VOTE}/trustees`, { trusteeId: 'bench-trustee', publicKey: pointToHex(trustee.public.publicKey), proof: knowledgeProofToJson(trustee.public.proof) }), 201, 'register the trustee');
    await expectStatus(t.admin.post(`/api/votes/${VOTE}/open`), 200, 'open the vote');
    const db = t.database.handle.db;
    for (let i = 0; i < ballots.length; i += 1000) {
      await db.insertInto('ballots').values(ballots.slice(i, i + 1000).map((b) => ({
        vote_id: VOTE, leaf_index: b.leafIndex, local_id: b.localId, nullifier: b.nullifier, tracking_code: b.trackingCode,
        leaf_hash: toHex(leafHash(ballotLeafFromJson(b.localId, b.ballot))), ballot: b.ballot, receipt: {}, cast_at: new Date('2026-11-02T00:00:00Z'),
      }))).execute();
    }
    await db.updateTable('votes').set({ log_size: ballots.length }).where('id', '=', VOTE).execute();
    await db.insertInto('running_totals').values([...sums].map(([k, s]) => {
      const [localId, option] = k.split('/') as [string, string];
      return { vote_id: VOTE, question_id: QUESTION.id, local_id: localId, option: Number(option), ballots: s.ballots, alpha: pointToHex(s.ct.alpha), beta: pointToHex(s.ct.beta) };
    })).execute();
    await t.admin.post('/api/users', { username: 'bench-trustee', displayName: 'Bench trustee', role: 'trustee', votes: [VOTE], password: 'bench trustee password' });
    const session = await t.signIn('bench-trustee', 'bench trustee password');

    const closeStart = performance.now();
    await expectStatus(t.admin.post(`/api/votes/${VOTE}/close`), 200, 'close the vote');
    const closeSeconds = (performance.now() - closeStart) / 1000;

    const decryptStart = performance.now();
    const frozen = (await t.anonymous.get(`/api/board/${VOTE}/totals`)).body.totals as { questionId: string; localId: string; option: number; alpha: string; beta: string }[];
    const shares = frozen.map((f) => {
      const d = partialDecryptionToJson(partialDecrypt(trustee.secret, ciphertextFromJson(f), totalLabel(f.questionId, f.localId, f.option)));
      return { questionId: f.questionId, localId: f.localId, option: f.option, share: d.share, proof: d.proof };
    });
    const published = await expectStatus(session.post(`/api/votes/${VOTE}/decryptions`, { trusteeId: 'bench-trustee', shares }), 200, 'upload the decryptions');
    if (!published.body.complete) throw new Error('the results were not published');
    return { closeSeconds, decryptSeconds: (performance.now() - decryptStart) / 1000 };
  } finally {
    await t.close();
  }
}

async function expectStatus<T extends { status: number; body: any }>(reply: Promise<T>, status: number, what: string): Promise<T> {
  const r = await reply;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}
