/**
 * `npm run bench:verify`: a 100,000-ballot election record, tallied and verified.
 *  1. Ballots: the cached honest yes/no ballots of `npm run bench:crypto` (generated here if absent),
 *     spread over the 13 locals of the Basic Agreement example.
 *  2. Tally, timed: encrypted totals from the ballots, the trustee's partial decryptions with
 *     proofs, their verification, combination and discrete logs (the server's work after close,
 *     without the database).
 *  3. The record: manifest and tree heads signed by a board key, issuance, totals, decryptions,
 *     results; written to bench-data/record-N.json.
 *  4. `union-vote-verify` on it with 2 threads, timed end to end (reading the file included).
 * BENCH_BALLOTS sets N.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  IDENTITY, addCiphertexts, ballotLeafFromJson, decryptTotal, fromHex, generateIssuerKey, generateSigningKey, knowledgeProofToJson,
  leafHash, partialDecrypt, partialDecryptionToJson, pointToHex, questionCiphertextsFromJson, rootHash, signStatement, signTreeHead, toHex,
  trackingCodeFromJson, trusteeKeyFromSecret, verifyPartialDecryption, type Ciphertext,
} from '@union-vote/crypto';
import { RECORD_FORMAT, VoteDefinition, computeResults, exampleVotes, manifestBytes, totalLabel, type ElectionRecord } from '@union-vote/election';
import { QUESTION, SECRET, VOTE } from '../../crypto/bench/workload.ts';

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

// 2. The tally, timed.
const trustee = trusteeKeyFromSecret(VOTE, 'bench-trustee', SECRET);
const tallyStart = performance.now();
const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
const shape = { id: QUESTION.id, options: 2, blankAllowed: false };
for (const b of ballots) {
  questionCiphertextsFromJson(b.ballot.questions[0], shape).forEach((ct, o) => {
    const k = `${b.localId}/${o}`;
    const s = sums.get(k) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
    s.ct = addCiphertexts(s.ct, ct);
    s.ballots++;
    sums.set(k, s);
  });
}
const totalsSeconds = (performance.now() - tallyStart) / 1000;
const decryptStart = performance.now();
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
const decryptSeconds = (performance.now() - decryptStart) / 1000;

// 3. The record.
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
const record: ElectionRecord = {
  format: RECORD_FORMAT,
  vote: { id: VOTE, title: definition.title, status: 'tallied', opensAt: definition.opensAt, closesAt: definition.closesAt, definition },
  keys: { election: pointToHex(trustee.public.publicKey), board: toHex(board.publicKey), issuers },
  manifestSignature, trustees, issuance, ballots, treeHeads, encryptedTotals, decryptions,
  results: computeResults(definition, Object.fromEntries(issuance.map((i) => [i.localId, i.eligible])), [...counts.values()]),
};
const file = `${data}record-${N}.json`;
writeFileSync(file, JSON.stringify(record));

// 4. The command-line verifier, end to end.
const verifyStart = performance.now();
const run = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/verify.mjs', import.meta.url)), file, '--threads', '2'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const verifySeconds = (performance.now() - verifyStart) / 1000;
process.stderr.write(run.stdout);
if (run.status !== 0) throw new Error(`the verifier failed (exit ${run.status}): ${run.stderr}`);

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}. Command: \`npm run bench:verify\`.\n`);
console.log('| step | value |\n|---|---|');
console.log(`| ballots in the record (yes/no, 13 locals) | ${N.toLocaleString('en')} |`);
console.log(`| record size | ${(readFileSync(file).length / 1e6).toFixed(1)} MB |`);
console.log(`| tally: encrypted totals from the ballots (decode the ciphertexts + add, one thread) | ${totalsSeconds.toFixed(1)} s |`);
console.log(`| tally: ${sums.size} partial decryptions with proofs, checked, combined, discrete logs | ${decryptSeconds.toFixed(1)} s |`);
console.log(`| verify: \`union-vote-verify\`, 2 threads, all 13 checks, end to end | ${verifySeconds.toFixed(1)} s |`);
