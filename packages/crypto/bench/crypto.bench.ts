/**
 * `npm run bench:crypto`: what each crypto operation costs after warm-up on one core, and how
 * long 100,000 yes/no ballots take to verify with batch verification on two worker threads.
 * Prints Markdown for docs/benchmarks.md. BENCH_BALLOTS sets the batch size (default 100000);
 * generated ballots are cached in bench-data/ so later runs skip the (slow, honest) encryption.
 */
import { Worker } from 'node:worker_threads';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  addCiphertexts, ballotFromJson, ballotToJson, decryptTotal, encrypt, encryptBallot, evaluateTokenRequest, finalizeToken,
  generateIssuerKey, generateSigningKey, generateTrusteeKey, gPow, jointPublicKey, partialDecrypt, precomputeBase, prepareTokenRequest,
  randomBytes, redeemToken, signReceipt, pointToBytes, verifyBallot, verifyPartialDecryption, verifyReceipt, type Ciphertext,
  generateShareKeyPair, lagrangeAtZero, toHex, randomPolynomial, jointKeyFromCommitments, commitPolynomial, combineShares, evaluatePolynomial,
} from '../src/index.ts';
import { checkMessage, dealMessage, evaluateCeremony, joinMessage, openDealtShares, secretShareOf } from '@union-vote/election';
import { PUBLIC, QUESTION, VOTE, cacheName, contextFor, makeBallot } from './workload.ts';
import { evaluateTokenRequestWithSodium, redeemTokenWithSodium, sodiumReady, sodiumSigner, verifyBallotJsonWithSodium } from '../src/sodium.ts';

function measure(name: string, iterations: number, f: (i: number) => unknown): string {
  for (let i = 0; i < Math.max(5, iterations / 5); i++) f(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) f(i);
  const ms = (performance.now() - start) / iterations;
  const row = `| ${name} | ${ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`} | ${iterations} |`;
  console.error(row);
  return row;
}

const rows: string[] = [];
const key = precomputeBase(PUBLIC);
const ctx = contextFor(randomBytes(32), key);
const ballots = Array.from({ length: 60 }, (_, i) => encryptBallot({ [QUESTION.id]: i % 2 ? [1, 0] : [0, 1] }, ctx));
const jsons = ballots.map((b) => JSON.stringify(ballotToJson(b)));

rows.push(measure('encrypt + prove a yes/no ballot (client)', 60, () => encryptBallot({ [QUESTION.id]: [1, 0] }, ctx)));
rows.push(measure('verify a yes/no ballot (decoded)', 200, (i) => {
  if (!verifyBallot(ballots[i % 60]!, ctx).ok) throw new Error('bad ballot');
}));
rows.push(measure('decode + verify a yes/no ballot from JSON', 200, (i) => {
  if (!verifyBallot(ballotFromJson(JSON.parse(jsons[i % 60]!)), ctx).ok) throw new Error('bad ballot');
}));
const issuer = generateIssuerKey();
const request = prepareTokenRequest({ deviceSeed: randomBytes(32), code: 'ABCD-EFGH-JKLM-NPQR-STUV', voteId: VOTE, localId: '700' });
rows.push(measure('VOPRF token request: derive + blind (client)', 100, () => prepareTokenRequest({ deviceSeed: randomBytes(32), code: 'ABCD-EFGH-JKLM-NPQR-STUV', voteId: VOTE, localId: '700' })));
rows.push(measure('VOPRF evaluate with DLEQ proof (server)', 100, () => evaluateTokenRequest(issuer, request.blinded)));
const response = evaluateTokenRequest(issuer, request.blinded);
rows.push(measure('VOPRF verify + finalize (client)', 100, () => finalizeToken(request, response, issuer.publicKey)));
const token = finalizeToken(request, response, issuer.publicKey);
rows.push(measure('redeem a token: evaluate + constant-time compare (server)', 200, () => redeemToken(issuer, token, VOTE, '700')));
// The Node server's casting path on libsodium (sodium.ts): the same answers, on the same inputs.
await sodiumReady();
rows.push(measure('VOPRF evaluate with DLEQ proof (server, libsodium)', 500, () => evaluateTokenRequestWithSodium(issuer, request.blinded)));
rows.push(measure('redeem a token (server, libsodium)', 500, () => redeemTokenWithSodium(issuer, token, VOTE, '700')));
const canonical = jsons.map((j) => JSON.parse(j) as unknown);
rows.push(measure('check a yes/no ballot\'s proofs from its JSON (server, libsodium)', 500, (i) => {
  if (verifyBallotJsonWithSodium(canonical[i % 60], { voteId: ctx.voteId, localId: ctx.localId, electionKey: pointToBytes(PUBLIC), nullifier: ctx.nullifier, questions: ctx.questions }).verdict !== 'valid') throw new Error('bad ballot');
}));
const board = generateSigningKey();
const body = { voteId: VOTE, localId: '700', trackingCode: 'ab'.repeat(32), leafIndex: 12345, issuedAt: '2026-11-22T18:00:00.000Z' };
rows.push(measure('sign a receipt (Ed25519, noble)', 200, () => signReceipt(body, board.secretKey)));
const sign = sodiumSigner();
rows.push(measure('sign a receipt (Ed25519, libsodium, the Node server)', 2000, () => signReceipt(body, board.secretKey, sign)));
const receipt = signReceipt(body, board.secretKey);
rows.push(measure('verify a receipt (Ed25519, noble)', 200, () => verifyReceipt(receipt, board.publicKey)));
const cts: Ciphertext[] = Array.from({ length: 100 }, (_, i) => encrypt(i % 2, key).ciphertext);
rows.push(measure('homomorphic add of two ciphertexts', 5000, (i) => addCiphertexts(cts[i % 100]!, cts[(i + 1) % 100]!)));
const trustees = ['a', 'b', 'c'].map((id) => generateTrusteeKey(VOTE, id));
const joint = jointPublicKey(trustees.map((t) => t.public));

const r = 123456789n;
const total: Ciphertext = { alpha: gPow(r), beta: gPow(1_000_000).add(joint.multiply(r)) };

rows.push(measure('partial decryption with proof (one trustee)', 50, () => partialDecrypt(trustees[0]!.secret, total, 'q/l/o')));
const partials = trustees.map((t) => partialDecrypt(t.secret, total, 'q/l/o'));
rows.push(measure('verify a partial decryption', 50, () => verifyPartialDecryption(VOTE, trustees[0]!.public.publicKey, total, 'q/l/o', partials[0]!)));
{
  const start = performance.now();
  const m = decryptTotal(total, partials, 10_000_000);
  const cold = performance.now() - start;
  if (m !== 1_000_000) throw new Error(`decrypted ${m}`);
  rows.push(`| decrypt a total of 1,000,000 (combine 3 partials + BSGS up to 10,000,000), first call incl. table | ${cold.toFixed(0)} ms | 1 |`);
  rows.push(measure('decrypt a total of 1,000,000, table built', 10, () => decryptTotal(total, partials, 10_000_000)));
}

// k of n: the key ceremony for n = 5 (k = 3), as the trustees and the verifier run it, and 2-of-3
// partial decryptions combined for the 26 totals of the ratification (13 locals × yes/no).
{
  const ids = ['t1', 't2', 't3', 't4', 't5'];
  const keys = ids.map(() => ({ signing: generateSigningKey(), share: generateShareKeyPair() }));
  const joins = ids.map((id, i) => joinMessage(VOTE, id, { signingSecret: keys[i]!.signing.secretKey, signingKey: toHex(keys[i]!.signing.publicKey), shareKey: toHex(keys[i]!.share.publicKey) }));
  let t0 = performance.now();
  const deals: Awaited<ReturnType<typeof dealMessage>>["deal"][] = [];
  for (const [i, id] of ids.entries()) deals.push((await dealMessage(VOTE, id, 3, joins, keys[i]!.signing.secretKey)).deal);
  rows.push(`| key ceremony n = 5, k = 3: one dealer's deal (3 commitments with proofs, 5 shares sealed with HPKE, signed) | ${((performance.now() - t0) / 5).toFixed(1)} ms | 5 |`);
  t0 = performance.now();
  const messages = { joins, deals, checks: [] as ReturnType<typeof checkMessage>[], answers: [] };
  const opened: Map<string, bigint>[] = [];
  for (const [i, id] of ids.entries()) {
    const o = await openDealtShares(VOTE, id, keys[i]!.share.secretKey, messages, 5, 3);
    if (o.complaints.length) throw new Error('an honest deal was complained of');
    opened.push(o.shares);
    messages.checks.push(checkMessage(VOTE, id, o.complaints, keys[i]!.signing.secretKey, messages));
  }
  rows.push(`| key ceremony n = 5, k = 3: one trustee's check (5 shares opened and checked against the commitments) | ${((performance.now() - t0) / 5).toFixed(1)} ms | 5 |`);
  t0 = performance.now();
  const state = evaluateCeremony(VOTE, 5, 3, messages, true);
  rows.push(`| key ceremony n = 5, k = 3: the whole transcript read again (signatures, proofs, election key, 5 public shares), as the verifier does | ${(performance.now() - t0).toFixed(0)} ms | 1 |`);
  // The shares of this ceremony: what each trustee keeps (checked against their public share).
  ids.forEach((id, i) => secretShareOf(id, state, opened[i]!, messages));
}
{
  // 2 of 3 (the demo's setting): three dealers' polynomials of degree 1; two trustees' partial decryptions.
  const polys = [0, 1, 2].map(() => randomPolynomial(2));
  const K = jointKeyFromCommitments(polys.map((p) => commitPolynomial(VOTE, 'x', p).commitments));
  const shares = [1, 2, 3].map((j) => combineShares(polys.map((p) => evaluatePolynomial(p, j))));
  const totals = Array.from({ length: 26 }, (_, i) => encrypt(i % 7, K).ciphertext);
  const partial = [0, 2].map((i) => totals.map((ct) => partialDecrypt({ voteId: VOTE, trusteeId: `t${i + 1}`, secretKey: shares[i]!, signingSecret: new Uint8Array(32) }, ct, 'q/l/o').share));
  const weights = [lagrangeAtZero([1, 3], 1), lagrangeAtZero([1, 3], 3)];
  rows.push(measure('combine 2-of-3 partial decryptions (Lagrange) and decrypt the 26 totals of the ratification (counts < 10)', 10, () => totals.forEach((ct, j) => {
    if (decryptTotal(ct, [0, 1].map((i) => ({ share: partial[i]![j]!, coefficient: weights[i] })), 10) !== j % 7) throw new Error('wrong count');
  })));
}

// Batch verification of N ballots on two worker threads.
const N = Number(process.env.BENCH_BALLOTS ?? 100_000);
const threads = Math.min(2, cpus().length);

const cache = new URL(`../../../bench-data/${cacheName(N)}`, import.meta.url);
let lines: string[];
if (existsSync(cache)) {
  lines = readFileSync(cache, 'utf8').trim().split('\n');
} else {
  console.error(`generating ${N} ballots on ${threads} threads (cached for later runs)…`);
  const start = performance.now();
  const parts = await Promise.all(Array.from({ length: threads }, (_, k) => new Promise<string[]>((resolve, reject) => {
    const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { task: 'generate', from: Math.floor((k * N) / threads), to: Math.floor(((k + 1) * N) / threads) } });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  lines = parts.flat();
  console.error(`generated in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  mkdirSync(new URL('.', cache), { recursive: true });
  writeFileSync(cache, lines.join('\n') + '\n');
}
const chunk = 4096;
const start = performance.now();
const results = await Promise.all(Array.from({ length: threads }, (_, k) => new Promise<{ ok: boolean; ms: number; decodeMs: number; count: number }>((resolve, reject) => {
  const share = lines.slice(Math.floor((k * lines.length) / threads), Math.floor(((k + 1) * lines.length) / threads));
  const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { task: 'verify', lines: share, chunk } });
  w.once('message', resolve);
  w.once('error', reject);
})));
const wall = (performance.now() - start) / 1000;
if (!results.every((r) => r.ok)) throw new Error('batch verification failed on honest ballots');
const decode = results.reduce((s, r) => s + r.decodeMs, 0) / results.length / 1000;

console.log(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}. Command: \`npm run bench:crypto\`.\n`);
console.log('| operation (one core, after warm-up) | time | iterations |\n|---|---|---|\n' + rows.join('\n'));
console.log(`\n| batch verification | value |\n|---|---|`);
console.log(`| ballots (yes/no, each one ciphertext + one 0/1 proof) | ${lines.length.toLocaleString('en')} |`);
console.log(`| worker threads | ${threads} |`);
console.log(`| batch size per multi-scalar multiplication | ${chunk} ballots |`);
console.log(`| wall time, JSON decode + strict point decoding + batched proof check | ${wall.toFixed(1)} s |`);
console.log(`| of which decoding (per thread) | ${decode.toFixed(1)} s |`);
console.log(`| per ballot, per thread | ${((wall * 1000 * threads) / lines.length).toFixed(2)} ms |`);
