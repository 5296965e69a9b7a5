/**
 * Casting end to end, over HTTP, on a real database: trustees register keys, the admin opens the
 * vote, secretaries issue codes, members vote through the voting client (token, encrypted ballot,
 * receipt, inclusion proof), and the board's counts match what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ballotFromJson, ballotToJson, encrypt, encryptBallot, fromHex, pointFromHex, prepareTokenRequest, proveOneOf, oneOfProofToJson, Transcript,
  appendLeaves, randomBytes, rootHash, toHex, tokenNullifier, verifyConsistency, verifyTreeHead, finalizeToken, tokenToJson,
} from '@union-vote/crypto';
import { compactFingerprint, exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { keygen } from '@union-vote/cli';
import { VotingClient, VotingError, type Choice } from '@union-vote/client';
import { leafHashes } from '@union-vote/db';
import { ballotsInBox, openTestApp, type Client, type TestApp } from '../support/app.ts';
import { closeDueVotes } from '../../worker/src/tally/close.ts';
import { TEST_DB } from '../support/database.ts';

let t: TestApp;
let client: VotingClient;
let secretary700: Client;
let fingerprint: string;
const hour = 3600_000;
const definition: VoteDefinitionInput = {
  ...exampleVotes.ratifyBasicAgreement,
  id: 'ratify-e2e',
  opensAt: new Date(Date.now() - hour).toISOString(),
  closesAt: new Date(Date.now() + 24 * hour).toISOString(),
};
const locals = definition.locals.map((l) => l.id);
const question = definition.questions[0]!.id;
const codes = new Map<string, { local: string; member: string; code: string }[]>();
const cast: { local: string; choice: Choice; trackingCode: string }[] = [];
const header = 'member_number,name,email,phone,good_standing\n';

async function issueCodes(local: string, as: Client = t.admin) {
  const res = await as.post(`/api/votes/${definition.id}/locals/${local}/codes`, {});
  expect(res.status).toBe(200);
  return res.body.issued as { memberNumber: string; code: string; link: string }[];
}

/** What the voting client does up to the ballot, done by hand so tests can then misbehave. */
async function tokenByHand(localId: string, code: string) {
  const board = await client.board(definition.id);
  const request = prepareTokenRequest({ deviceSeed: randomBytes(32), code, voteId: definition.id, localId });
  const answer = (await t.anonymous.post(`/api/votes/${definition.id}/tokens`, { localId, code, blinded: toHex(request.blinded) })).body;
  const token = finalizeToken(request, { evaluated: fromHex(answer.evaluated), proof: fromHex(answer.proof) }, fromHex(board.manifest.keys.issuers[localId]!));
  const context = { voteId: definition.id, localId, publicKey: pointFromHex(board.manifest.keys.election), nullifier: tokenNullifier(token.input, definition.id, localId), questions: [{ id: question, options: 2, blankAllowed: false }] };
  return { token, context };
}

beforeAll(async () => {
  t = await openTestApp();
  client = new VotingClient({ baseUrl: 'http://union-vote.test', fetch: (url, init) => Promise.resolve(t.app.request(url, init)) });
  expect((await t.admin.put('/api/locals', { locals: definition.locals })).status).toBe(200);
  expect((await t.admin.post('/api/votes', definition)).status).toBe(201);
  // Three trustees register keys made offline (the server only sees public keys and proofs), approve the sealed manifest, and the vote opens.
  for (const id of ['alice', 'bob', 'carol']) await t.registerTrustee(definition.id, id);
  fingerprint = (await t.openVote(definition.id)).fingerprint;
  // Every local has three members in good standing and one who is not.
  for (const local of locals) {
    const rows = [1, 2, 3, 4].map((i) => `${local}-${i},Member ${i} of ${local},m${i}@local${local}.example.org,,${i === 4 ? 'no' : 'yes'}`);
    expect((await t.admin.post(`/api/locals/${local}/roster`, header + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
  }
  secretary700 = await t.userWith('secretary', { locals: ['700'] });
});
afterAll(() => t.close());

describe(`casting on ${TEST_DB}`, () => {
  it('refuses to seal a vote without trustees or open one unsealed, and refuses a trustee key with a proof or registration for another vote', async () => {
    const other = { ...definition, id: 'no-trustees' };
    expect((await t.admin.post('/api/votes', other)).status).toBe(201);
    const seal = await t.admin.post('/api/votes/no-trustees/seal');
    expect(seal.status).toBe(409);
    expect(seal.body.error.message).toMatch(/register at least one trustee/);
    const open = await t.admin.post('/api/votes/no-trustees/open');
    expect(open.status).toBe(409);
    expect(open.body.error.message).toMatch(/is draft; only a sealed vote/);
    const res = await t.admin.post('/api/votes/no-trustees/trustees', keygen('another-vote', 'dave').registration);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('proof');
    // The key share's proof is for this vote, but the registration binds another signing key.
    const mine = keygen('no-trustees', 'dave').registration;
    const res2 = await t.admin.post('/api/votes/no-trustees/trustees', { ...mine, signingKey: keygen('no-trustees', 'eve').registration.signingKey });
    expect(res2.status).toBe(400);
    expect(res2.body.error.field).toBe('registration');
    // Codes are issued once the manifest is sealed: the letters carry its fingerprint.
    const codes = await t.admin.post('/api/votes/no-trustees/locals/700/codes', {});
    expect(codes.status).toBe(409);
    expect(codes.body.error.message).toMatch(/seal it first/);
  });

  it('issues one code per member in good standing, as JSON, CSV for mail merge or a printable mailer', async () => {
    for (const local of locals) {
      const issued = await issueCodes(local, local === '700' ? secretary700 : t.admin);
      expect(issued.map((i) => i.memberNumber)).toEqual([`${local}-1`, `${local}-2`, `${local}-3`]);
      for (const i of issued) {
        expect(i.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
        // The code is in the fragment, which browsers never send to the server.
        expect(i.link).toBe(`http://localhost/vote/${definition.id}#local=${local}&code=${i.code}&fp=${compactFingerprint(fingerprint)}`);
      }
      codes.set(local, issued.map((i) => ({ local, member: i.memberNumber, code: i.code })));
    }
    // Issuing again issues nothing: everyone has a live code.
    expect(await issueCodes('700')).toEqual([]);
    // A secretary of 700 cannot issue for 600.
    expect((await secretary700.post(`/api/votes/${definition.id}/locals/600/codes`, {})).status).toBe(403);
    // Only hashes are stored.
    const stored = await t.database.handle.db.selectFrom('voting_codes').select('code_hash').execute();
    const plain = [...codes.values()].flat().map((c) => c.code);
    expect(stored.some((s) => plain.some((p) => s.code_hash.includes(p.replace(/-/g, ''))))).toBe(false);
  });

  it('gives the plain codes once as CSV or as a mailer page, on reissue too', async () => {
    await t.admin.post('/api/locals/700/roster', header + '700-5,Ana Rivera,ana@example.org,,yes\n', { 'content-type': 'text/csv' });
    const csv = await t.admin.request('POST', `/api/votes/${definition.id}/locals/700/codes`, {}, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    expect(csv.body).toMatch(/^member_number,name,email,phone,code,link,fingerprint,language\r\n"700-5","Ana Rivera","ana@example.org","","[0-9A-Z-]{23}","http:\/\/localhost\/vote\/ratify-e2e#local=700&code=/);
    expect(csv.body).toContain(`"${fingerprint}"`);
    const mailer = await t.admin.request('POST', `/api/votes/${definition.id}/locals/700/codes/700-5/reissue`, undefined, { accept: 'text/html' });
    expect(mailer.status).toBe(200);
    expect(mailer.body).toContain('Ana Rivera');
    expect(mailer.body).toMatch(/class="code">[0-9A-Z-]{23}</);
    expect(mailer.body).toContain(`class="fp">${fingerprint}<`);
  });

  it('lets every member vote through the voting client: receipts and inclusion proofs verify', async () => {
    let i = 0;
    for (const [local, list] of codes) {
      for (const { code } of list) {
        const choice: Choice = i++ % 3 === 0 ? 'no' : 'yes';
        const result = await client.vote({ voteId: definition.id, code, deviceSeed: randomBytes(32), choices: { [question]: choice }, fingerprint });
        expect(result.localId).toBe(local);
        expect(result.receiptFile).toMatchObject({ fingerprint, receipt: { localId: local }, treeHead: { treeSize: result.receipt.leafIndex + 1 } });
        expect(result.inclusion.leafIndex).toBe(result.receipt.leafIndex);
        cast.push({ local, choice, trackingCode: result.trackingCode });
      }
    }
    expect(cast).toHaveLength(39);
  });

  it('counts per local: eligible, codes, tokens and ballots', async () => {
    const board = await client.board(definition.id);
    for (const local of locals) {
      const counts = board.counts.find((c) => c.localId === local)!;
      const extra = local === '700' ? 1 : 0; // 700-5 was added and given a code, but has not voted
      expect(counts).toEqual({ localId: local, eligible: 3 + extra, codesIssued: 3 + extra, tokensIssued: 3, ballotsCast: cast.filter((c) => c.local === local).length, challengedCast: 0, paperCounted: 0 });
    }
    expect(board.treeHead.treeSize).toBe(39);
    expect(verifyTreeHead(board.treeHead, fromHex(board.manifest.keys.board))).toBe(true);
  });

  it('publishes every ballot with its nullifier and leaf index, and the tree head commits to them all', async () => {
    const page1 = await t.anonymous.get(`/api/board/${definition.id}/ballots?limit=20`);
    const page2 = await t.anonymous.get(`/api/board/${definition.id}/ballots?from=20&limit=20`);
    const all = [...page1.body.ballots, ...page2.body.ballots];
    expect(all.map((b: any) => b.leafIndex)).toEqual([...Array(39).keys()]);
    expect(new Set(all.map((b: any) => b.nullifier)).size).toBe(39);
    expect(all.map((b: any) => b.trackingCode)).toEqual(cast.map((c) => c.trackingCode));
    expect(page1.headers.get('cache-control')).toMatch(/immutable/);
    const { leafHash, ballotLeaf } = await import('@union-vote/crypto');
    const leaves = all.map((b: any) => leafHash(ballotLeaf(ballotFromJson(b.ballot))));
    const head = (await t.anonymous.get(`/api/board/${definition.id}/tree-head`)).body;
    expect(toHex(rootHash(leaves))).toBe(head.rootHash);
  });

  it('proves an earlier tree head is a prefix of the current one', async () => {
    const before = (await t.anonymous.get(`/api/board/${definition.id}/tree-head`)).body;
    await t.admin.post('/api/locals/600/roster', header + '600-9,Late Voter,late@example.org,,yes\n', { 'content-type': 'text/csv' });
    const [late] = await issueCodes('600');
    const result = await client.vote({ voteId: definition.id, code: late!.code, deviceSeed: randomBytes(32), choices: { [question]: 'yes' } });
    cast.push({ local: '600', choice: 'yes', trackingCode: result.trackingCode });
    const after = (await t.anonymous.get(`/api/board/${definition.id}/tree-head`)).body;
    expect(after.treeSize).toBe(before.treeSize + 1);
    const proof = (await t.anonymous.get(`/api/board/${definition.id}/consistency?from=${before.treeSize}&to=${after.treeSize}`)).body.proof;
    expect(verifyConsistency(before.treeSize, after.treeSize, fromHex(before.rootHash), fromHex(after.rootHash), proof.map((h: string) => fromHex(h)))).toBe(true);
  });

  it('keeps the box as its perfect subtrees, and rebuilds them from the leaves when they are missing or do not give the last head', async () => {
    const db = t.database.handle.db;
    const storedSubtrees = async () => (await db.selectFrom('tree_nodes').select(['level', 'idx', 'hash']).where('vote_id', '=', definition.id).execute())
      .map((r) => `${r.level}:${r.idx}:${r.hash}`).sort();
    const fromLeaves = async (size: number) => appendLeaves(0, [], (await leafHashes(db, definition.id, size)).map((h) => fromHex(h))).completed
      .map((s) => `${s.level}:${s.index}:${toHex(s.hash)}`).sort();
    const head = (await t.anonymous.get(`/api/board/${definition.id}/tree-head`)).body;
    // Every subtree a batch completed was stored with it, and is what the leaves give.
    expect(await storedSubtrees()).toEqual(await fromLeaves(head.treeSize));
    expect((await storedSubtrees()).length).toBe(head.treeSize - 2); // 40 leaves: 32 + 8, so 31 + 7 subtrees above them
    const lookUp = () => t.anonymous.get(`/api/board/${definition.id}/inclusion?trackingCode=${cast[5]!.trackingCode}&treeSize=${head.treeSize}`);
    const consistency = () => t.anonymous.get(`/api/board/${definition.id}/consistency?from=3&to=${head.treeSize}`);
    const [proof, prefix] = [(await lookUp()).body, (await consistency()).body];
    // A box sequenced before the subtrees were kept (or whose subtrees were deleted) answers the same.
    await db.deleteFrom('tree_nodes').where('vote_id', '=', definition.id).execute();
    // Several members look up at once: one rebuilds under the vote's lock, the others find the subtrees.
    for (const answer of await Promise.all([lookUp(), lookUp(), lookUp(), lookUp()])) expect(answer.body).toEqual(proof);
    expect(await storedSubtrees()).toEqual(await fromLeaves(head.treeSize));
    await db.deleteFrom('tree_nodes').where('vote_id', '=', definition.id).execute();
    expect((await consistency()).body).toEqual(prefix);
    // A stored subtree corrupted (or left from another box): the sequencer finds that the subtrees do not
    // give the last signed head's root, rebuilds them from the leaves, and the next head commits to every leaf.
    await db.updateTable('tree_nodes').set({ hash: 'ab'.repeat(32) }).where('vote_id', '=', definition.id).where('level', '=', 5).where('idx', '=', 0).execute();
    await t.admin.post('/api/locals/600/roster', header + '600-10,Later Voter,later@example.org,,yes\n', { 'content-type': 'text/csv' });
    const [later] = await issueCodes('600');
    const result = await client.vote({ voteId: definition.id, code: later!.code, deviceSeed: randomBytes(32), choices: { [question]: 'no' } });
    cast.push({ local: '600', choice: 'no', trackingCode: result.trackingCode });
    const after = (await t.anonymous.get(`/api/board/${definition.id}/tree-head`)).body;
    expect(after.treeSize).toBe(head.treeSize + 1);
    expect(after.rootHash).toBe(toHex(rootHash((await leafHashes(db, definition.id, after.treeSize)).map((h) => fromHex(h)))));
    expect(await storedSubtrees()).toEqual(await fromLeaves(after.treeSize));
  });

  it('explains a mistyped, unknown or replaced code', async () => {
    const mistyped = await t.anonymous.post(`/api/votes/${definition.id}/codes/check`, { code: 'K7QM4-XPD9R-TAWB3' });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error).toMatchObject({ field: 'code', message: expect.stringMatching(/20 characters/) });
    const unknown = await t.anonymous.post(`/api/votes/${definition.id}/codes/check`, { code: 'K7QM4-XPD9R-TAWB3-HN2CE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_code');
    await t.admin.post('/api/locals/700/roster', header + '700-6,Bo Chen,bo@example.org,,yes\n', { 'content-type': 'text/csv' });
    const [first] = await issueCodes('700');
    const reissued = (await t.admin.post(`/api/votes/${definition.id}/locals/700/codes/700-6/reissue`)).body.issued[0];
    const old = await t.anonymous.post(`/api/votes/${definition.id}/codes/check`, { code: first!.code });
    expect(old.body.error.code).toBe('code_replaced');
    expect((await t.anonymous.post(`/api/votes/${definition.id}/codes/check`, { code: reissued.code.toLowerCase().replace(/-/g, ' ') })).body).toEqual({ localId: '700', tokenIssued: false });
  });

  it('refuses to reissue a code that has produced a token', async () => {
    const res = await t.admin.post(`/api/votes/${definition.id}/locals/700/codes/700-1/reissue`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/already been used to obtain a voting token/);
  });

  it('answers the same token request again after a crash, and refuses another one for the same code', async () => {
    await t.admin.post('/api/locals/884/roster', header + '884-7,Cy Duran,cy@example.org,,yes\n', { 'content-type': 'text/csv' });
    const { code } = (await issueCodes('884'))[0]!;
    const seed = randomBytes(32);
    const request = prepareTokenRequest({ deviceSeed: seed, code, voteId: definition.id, localId: '884' });
    const ask = (blinded: Uint8Array) => t.anonymous.post(`/api/votes/${definition.id}/tokens`, { localId: '884', code, blinded: toHex(blinded) });
    const first = await ask(request.blinded);
    expect(first.status).toBe(200);
    const again = await ask(prepareTokenRequest({ deviceSeed: seed, code, voteId: definition.id, localId: '884' }).blinded);
    expect(again.body).toEqual(first.body);
    const otherDevice = await ask(prepareTokenRequest({ deviceSeed: randomBytes(32), code, voteId: definition.id, localId: '884' }).blinded);
    expect(otherDevice.status).toBe(409);
    expect(otherDevice.body.error.code).toBe('token_spent');
    expect((await t.anonymous.post(`/api/votes/${definition.id}/codes/check`, { code })).body.tokenIssued).toBe(true);
  });

  it('returns the identical receipt for the identical ballot, and refuses another ballot on a spent token, even racing', async () => {
    await t.admin.post('/api/locals/892/roster', header + '892-8,Di Evans,di@example.org,,yes\n', { 'content-type': 'text/csv' });
    const { code } = (await issueCodes('892'))[0]!;
    const { token, context } = await tokenByHand('892', code);
    const yes = ballotToJson(encryptBallot({ [question]: [1, 0] }, context));
    const no = ballotToJson(encryptBallot({ [question]: [0, 1] }, context));
    const send = (ballot: unknown) => t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '892', token: tokenToJson(token), ballot });
    // Two different ballots on one token at once: the database lets exactly one in.
    const [a, b] = await Promise.all([send(yes), send(no)]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    const winner = a.status === 202 ? { res: a, ballot: yes } : { res: b, ballot: no };
    // While the ballot waits for its batch, a retry gets the same signed promise ...
    const early = await send(winner.ballot);
    expect(early.status).toBe(202);
    expect(early.body.promise).toEqual(winner.res.body.promise);
    // ... and once it is in the box, its receipt, the one the board's look-up gives.
    await ballotsInBox(t, definition.id);
    const retry = await send(winner.ballot);
    expect(retry.status).toBe(200);
    const looked = await t.anonymous.get(`/api/board/${definition.id}/inclusion?trackingCode=${winner.res.body.promise.trackingCode}`);
    expect(retry.body.receipt).toEqual(looked.body.receipt);
    expect(retry.body.receipt.issuedAt >= winner.res.body.promise.batchEndsAt).toBe(true);
    const counts = (await client.board(definition.id)).counts.find((c) => c.localId === '892')!;
    expect(counts.ballotsCast).toBe(cast.filter((c) => c.local === '892').length + 1);
  });

  it('refuses forged tokens, tampered proofs and ballots for another local, storing nothing', async () => {
    await ballotsInBox(t, definition.id);
    const before = (await client.board(definition.id)).treeHead.treeSize;
    const forged = { input: toHex(randomBytes(32)), output: toHex(randomBytes(64)) };
    const ballot = (await t.anonymous.get(`/api/board/${definition.id}/ballots?limit=1`)).body.ballots[0].ballot;
    const bad = await t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '700', token: forged, ballot });
    expect(bad.status).toBe(403);
    expect(bad.body.error.code).toBe('invalid_token');
    // A real token with a ballot whose proof was tampered with.
    await t.admin.post('/api/locals/729/roster', header + '729-9,Ed Fox,ed@example.org,,yes\n', { 'content-type': 'text/csv' });
    const { code } = (await issueCodes('729'))[0]!;
    const { token, context } = await tokenByHand('729', code);
    const honest = ballotToJson(encryptBallot({ [question]: [1, 0] }, context));
    const tampered = structuredClone(honest);
    tampered.questions[0]!.choices[0]!.proof.responses[0] = tampered.questions[0]!.choices[0]!.proof.responses[1]!;
    const res = await t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '729', token: tokenToJson(token), ballot: tampered });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_ballot', field: 'ballot' });
    // The same token presented for another local is not a token of that local.
    const moved = await t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '700', token: tokenToJson(token), ballot: honest });
    expect(moved.body.error.code).toBe('invalid_token');
    expect((await client.board(definition.id)).treeHead.treeSize).toBe(before);
    // The honest ballot still goes in afterwards: a refused attempt did not spend the token.
    expect((await t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '729', token: tokenToJson(token), ballot: honest })).status).toBe(202);
  });

  it('stores and publishes only the canonical ballot: an unknown field or a ciphertext in the clear is refused by name', async () => {
    await t.admin.post('/api/locals/705/roster', header + '705-9,Gus Hall,gus@example.org,,yes\n', { 'content-type': 'text/csv' });
    const { code } = (await issueCodes('705'))[0]!;
    const { token, context } = await tokenByHand('705', code);
    const honest = ballotToJson(encryptBallot({ [question]: [0, 1] }, context));
    const send = (ballot: unknown) => t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '705', token: tokenToJson(token), ballot });
    await ballotsInBox(t, definition.id);
    const before = (await client.board(definition.id)).treeHead.treeSize;
    const junk = await send({ ...honest, note: 'x'.repeat(400_000) });
    expect(junk.status).toBe(400);
    expect(junk.body.error).toMatchObject({ code: 'invalid_ballot', field: 'ballot.note', message: expect.stringMatching(/ballot\.note is not a field/) });
    const script = structuredClone(honest) as any;
    script.questions[0].choices[0].proof.comment = '<script>alert(1)</script>';
    expect((await send(script)).body.error.field).toBe('ballot.questions[0].choices[0].proof.comment');
    // r = 0: α is the identity and β = G shows "yes" to everyone; the proof is valid for it, the ballot is refused all the same.
    const clear = encrypt(1, context.publicKey, 0n);
    const inClear = structuredClone(honest);
    inClear.questions[0]!.choices[0] = { ciphertext: { alpha: clear.ciphertext.alpha.toHex(), beta: clear.ciphertext.beta.toHex() }, proof: oneOfProofToJson(proveOneOf(clear.ciphertext, 0n, 1, [0, 1], context.publicKey, new Transcript('ballot/choice'))) };
    expect((await send(inClear)).body.error).toMatchObject({ code: 'invalid_ballot', field: 'ballot.questions[0].choices[0].ciphertext.alpha' });
    // An extra field in the request beside the ballot is refused too.
    expect((await t.anonymous.post(`/api/votes/${definition.id}/ballots`, { localId: '705', token: tokenToJson(token), ballot: honest, extra: 1 })).status).toBe(400);
    expect((await client.board(definition.id)).treeHead.treeSize).toBe(before);
    // The honest ballot, sent with its keys in another order, is published exactly as ballotToJson writes it.
    const reordered = JSON.parse(JSON.stringify({ questions: honest.questions, nullifier: honest.nullifier, localId: honest.localId, voteId: honest.voteId }));
    const cast = await send(reordered);
    expect(cast.status).toBe(202);
    await ballotsInBox(t, definition.id);
    const { receipt } = (await t.anonymous.get(`/api/board/${definition.id}/inclusion?trackingCode=${cast.body.promise.trackingCode}`)).body;
    const published = (await t.anonymous.get(`/api/board/${definition.id}/ballots?from=${receipt.leafIndex}&limit=1`)).body.ballots[0];
    expect(published.ballot).toStrictEqual(honest);
    expect(receipt.localId).toBe('705');
  });

  it('refuses casting before the published opening time, saying when it opens', async () => {
    const later = { ...definition, id: 'ratify-later', opensAt: new Date(Date.now() + hour).toISOString() };
    expect((await t.admin.post('/api/votes', later)).status).toBe(201);
    await t.openVote(later.id);
    const [first] = (await t.admin.post(`/api/votes/${later.id}/locals/700/codes`, {})).body.issued;
    const res = await t.anonymous.post(`/api/votes/${later.id}/codes/check`, { code: first.code });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'vote_not_open', message: `voting on ${later.id} opens at ${new Date(later.opensAt).toISOString()}` });
  });

  it('closes a vote by itself once its closing time has passed', async () => {
    const brief = { ...definition, id: 'ratify-brief', opensAt: new Date(Date.now() - 2 * hour).toISOString(), closesAt: new Date(Date.now() + hour).toISOString() };
    await t.admin.post('/api/votes', brief);
    await t.openVote(brief.id);
    expect(await closeDueVotes(t.database.handle.db, new Date())).not.toContain(brief.id);
    expect(await closeDueVotes(t.database.handle.db, new Date(Date.now() + 2 * hour))).toContain(brief.id);
    expect((await t.admin.get(`/api/votes/${brief.id}`)).body.vote.status).toBe('closed');
    expect((await t.anonymous.get(`/api/board/${brief.id}/totals`)).body.totals).toHaveLength(13 * 2);
  });

  it('refuses everything once the vote is closed, with a clear error', async () => {
    await t.admin.post('/api/locals/871/roster', header + '871-9,Flo Gray,flo@example.org,,yes\n', { 'content-type': 'text/csv' });
    const { code } = (await issueCodes('871'))[0]!;
    expect((await t.admin.post(`/api/votes/${definition.id}/close`)).body.vote.status).toBe('closed');
    const err = await client.vote({ voteId: definition.id, code, deviceSeed: randomBytes(32), choices: { [question]: 'yes' }, localId: '871' }).catch((e) => e);
    expect(err).toBeInstanceOf(VotingError);
    expect(err.code).toBe('vote_closed');
    expect(err.message).toMatch(/closed at/);
    expect((await t.admin.post(`/api/votes/${definition.id}/locals/871/codes`, {})).status).toBe(409);
  });
});
