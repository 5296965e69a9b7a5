/**
 * A whole vote run through the real app, as the people around it would: trustees who make their keys
 * offline and approve the sealed manifest, a monitor who witnesses the box from the opening (their
 * own witness file, cosignatures posted to the board), members who vote from their letters' links
 * (fingerprint included) and keep their receipt files, members who abstain and keep their letters,
 * then the close and each trustee's checked decryption. The operator attacks in
 * test/integration/operator.test.ts start from here.
 */
import { expect } from 'vitest';
import { evaluateToken, fromHex, generateSigningKey, prepareTokenRequest, randomBytes, toHex, type IssuerKey, type Token } from '@union-vote/crypto';
import { exampleVotes, type ElectionRecord, type ReceiptFile, type VoteDefinitionInput, type WitnessFile } from '@union-vote/election';
import { VotingClient, type Choice } from '@union-vote/client';
import { Witness, decrypt, readKeyFile } from '@union-vote/cli';
import type { VerifyOptions } from '@union-vote/verifier';
import type { TestApp } from './app.ts';
import { registerTrustees, sealApproveOpen, type Ceremony } from './ceremony.ts';

export interface Member {
  localId: string;
  code: string;
  /** How they voted; undefined for a member who did not vote. */
  choice?: Choice;
  receipt?: ReceiptFile;
  leafIndex?: number;
}

export interface RunVote {
  voteId: string;
  fingerprint: string;
  ceremony: Ceremony;
  members: Member[];
  /** The monitor watching from the opening, with its own witness file. */
  witness: Witness;
  client: VotingClient;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** A token drawn by a member of the local who then did not cast (room for one ballot there). */
  unusedToken(localId: string): Promise<void>;
  /** The monitor's round: the current head, checked and cosigned. */
  witnessNow(): Promise<void>;
  boardSecret(): Promise<Uint8Array>;
  issuerKey(localId: string): Promise<IssuerKey>;
  /** Closes the vote, each trustee checks the record (against the fingerprint they approved) and decrypts; returns the record. */
  tally(): Promise<ElectionRecord>;
  /** The close alone (the admin's), then `decrypt`: what `tally` does in two steps, for what happens between them. */
  close(): Promise<void>;
  /** The close, then the monitor watching until it has seen the box final, as `monitor watch` does; returns the record before any decryption. */
  closeWatched(): Promise<ElectionRecord>;
  /** Each trustee checks the record and decrypts (those from `from` to before `to` in order, when given); returns the record. */
  decrypt(from?: number, to?: number): Promise<ElectionRecord>;
  witnessFile(): WitnessFile;
}

/** Local 700 (70 delegates), 600 (80) and 80 (25), winner-take-all at a majority, ties to no. */
export function threeLocals(id: string): VoteDefinitionInput {
  const base = exampleVotes.ratifyBasicAgreement;
  const keep = ['700', '600', '80'];
  return {
    ...base, id, title: `Ratification (${id})`,
    opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    locals: base.locals.filter((l) => keep.includes(l.id)),
    questions: [{ ...base.questions[0]!, locals: keep }],
    turnoutList: { visibleTo: [], from: 'close' },
  };
}

/**
 * Runs a vote up to (not including) the close: `ballots` lists, per local, the choices of the
 * members who vote (in casting order, interleaved across locals); `abstain` members per local get a
 * code and never use it.
 */
export async function runVote(t: TestApp, def: VoteDefinitionInput, ballots: Record<string, Choice[]>, abstain = 1): Promise<RunVote> {
  const voteId = def.id;
  const fetchApp = (url: string, init?: RequestInit) => Promise.resolve(t.app.request(url, init));
  const call = (method: string, path: string, body?: unknown) => t.admin.request(method, path, body);
  await t.admin.put('/api/locals', { locals: def.locals });
  expect((await t.admin.post('/api/votes', def)).status).toBe(201);
  const trustees = [`${voteId}-alice`, `${voteId}-bob`];
  const ceremony = await sealApproveOpen(call, voteId, await registerTrustees(call, voteId, trustees));

  // The monitor: a key of their own, an account attached to the vote, an API token.
  const monitor = await t.userWith('monitor', { votes: [voteId] });
  const monitorToken = (await monitor.post('/api/tokens', { name: 'witness' })).body.token as string;
  const witness = new Witness({ baseUrl: '', voteId, fingerprint: ceremony.fingerprint, secretKey: generateSigningKey().secretKey, apiToken: monitorToken, fetch: fetchApp });
  // The monitor's clock follows the service's, a second on at each look at least (so its looks stay in order).
  let clock = 0;
  const witnessNow = async () => void (await witness.poll(new Date((clock = Math.max(clock + 1000, t.now().getTime())))));
  await witnessNow();

  // Rosters and codes.
  const members: Member[] = [];
  for (const l of def.locals.map((x) => x.id)) {
    const n = (ballots[l]?.length ?? 0) + abstain + 1; // +1: a spare member for unusedToken
    const rows = Array.from({ length: n }, (_, i) => `${l}-${i},Member ${i} of ${l},m${i}@l${l}.example.org,,yes`);
    expect((await t.admin.post(`/api/locals/${l}/roster`, 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
    const issued = (await t.admin.post(`/api/votes/${voteId}/locals/${l}/codes`, {})).body.issued as { code: string; link: string }[];
    issued.forEach((c, i) => members.push({ localId: l, code: c.code, ...(i < (ballots[l]?.length ?? 0) ? { choice: ballots[l]![i]! } : {}) }));
  }
  const client = new VotingClient({ baseUrl: '', fetch: fetchApp });
  // Casting, interleaved across locals; the monitor witnesses after every two ballots.
  const voters = members.filter((m) => m.choice);
  const order = voters.slice().sort((a, b) => voters.filter((x) => x.localId === a.localId).indexOf(a) - voters.filter((x) => x.localId === b.localId).indexOf(b));
  for (const [i, m] of order.entries()) {
    const result = await client.vote({ voteId, code: m.code, deviceSeed: randomBytes(32), choices: { [def.questions[0]!.id]: m.choice! }, localId: m.localId, fingerprint: ceremony.fingerprint });
    m.receipt = result.receiptFile;
    m.leafIndex = result.receipt.leafIndex;
    if (i % 2 === 1) await witnessNow();
  }
  await witnessNow();

  const db = t.database.handle.db;
  const run: RunVote = {
    voteId, fingerprint: ceremony.fingerprint, ceremony, members, witness, client, fetch: fetchApp, witnessNow,
    witnessFile: () => structuredClone(witness.file),
    async unusedToken(localId) {
      const spare = members.filter((m) => m.localId === localId && !m.choice).at(-1)!;
      const request = prepareTokenRequest({ deviceSeed: randomBytes(32), code: spare.code, voteId, localId });
      expect((await t.anonymous.post(`/api/votes/${voteId}/tokens`, { localId, code: spare.code, blinded: toHex(request.blinded) })).status).toBe(200);
      members.splice(members.indexOf(spare), 1); // no longer an abstainer who can say their code was unused
    },
    async boardSecret() {
      return fromHex((await db.selectFrom('vote_keys').select('board_secret_key').where('vote_id', '=', voteId).executeTakeFirstOrThrow()).board_secret_key);
    },
    async issuerKey(localId) {
      const k = await db.selectFrom('issuer_keys').select(['secret_key', 'public_key']).where('vote_id', '=', voteId).where('local_id', '=', localId).executeTakeFirstOrThrow();
      return { secretKey: fromHex(k.secret_key), publicKey: fromHex(k.public_key) };
    },
    async tally() {
      await run.close();
      return run.decrypt();
    },
    async close() {
      expect((await t.admin.post(`/api/votes/${voteId}/close`)).status).toBe(200);
    },
    async closeWatched() {
      await run.close();
      let last;
      for (let i = 1; i <= 3; i++) last = await witness.poll(new Date(Date.now() + i * 60_000));
      expect(last).toMatchObject({ voteStatus: 'closed', status: 'unchanged' });
      return (await t.anonymous.get(`/api/board/${voteId}/record`)).body as ElectionRecord;
    },
    async decrypt(from = 0, to = trustees.length) {
      for (const id of trustees.slice(from, to)) {
        const account = await t.admin.post('/api/users', { username: id, displayName: id, role: 'trustee', votes: [voteId], password: `trustee password ${id}` });
        if (account.status !== 409) expect(account.status).toBe(201);
        const session = await t.signIn(id, `trustee password ${id}`);
        const token = (await session.post('/api/tokens', { name: 'decrypt' })).body.token as string;
        await decrypt({ baseUrl: '', fetch: fetchApp, voteId, key: readKeyFile(ceremony.keyFiles[id]), apiToken: token });
      }
      return (await t.anonymous.get(`/api/board/${voteId}/record`)).body as ElectionRecord;
    },
  };
  return run;
}

/** Everything members and monitors can bring: the fingerprint, the monitor's file, every receipt, and the codes of those who did not vote. */
export function evidenceOf(run: RunVote, notVoted: (m: Member) => boolean): VerifyOptions {
  return {
    fingerprint: run.fingerprint,
    witnesses: [{ name: 'monitor.json', content: run.witnessFile() }],
    receipts: run.members.filter((m) => m.receipt).map((m, i) => ({ name: `receipt-${i}.json`, content: m.receipt })),
    unusedCodes: run.members.filter(notVoted).map((m) => m.code),
  };
}

/** A token the operator makes itself with the issuer key from the database: the server cannot tell it from a member's. */
export function operatorToken(issuer: IssuerKey): Token {
  const input = randomBytes(32);
  return { input, output: evaluateToken(issuer, input) };
}

