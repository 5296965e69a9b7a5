/**
 * A close racing a cast in flight. The cast holds the vote's row FOR KEY SHARE and then the box
 * lock shared; the close takes the row FOR UPDATE and then the box exclusively; the sequencer takes
 * the row FOR NO KEY UPDATE and then the box. One order for all, so no lock cycle: the close waits
 * for the cast, and the promised ballot is in the final box. (Before, the cast took the box first and
 * its pool row's foreign key then wanted the row: PostgreSQL aborted one of the two with a deadlock.)
 * The cast is held (a Kysely plugin) right after it has read the vote open, inside its transaction,
 * so the race is the same every run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { ballotToJson, encryptBallot, pointFromHex, randomBytes, tokenNullifier, tokenToJson, trackingCode } from '@union-vote/crypto';
import { ballotShapeFor } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { createApp } from '../../worker/src/app.ts';
import { Client, openTestApp, type TestApp } from '../support/app.ts';
import { threeLocals } from '../support/vote-run.ts';

/** Holds the first read of a vote's status (the cast's) until released. */
class HoldStatusRead implements KyselyPlugin {
  private armed = true;
  private readonly ids = new WeakSet<object>();
  private onReach!: () => void;
  readonly reached = new Promise<void>((r) => (this.onReach = r));
  release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const n = args.node as { kind: string; from?: { froms?: { table?: { identifier?: { name?: string } } }[] }; selections?: { selection?: { column?: { column?: { name?: string } } } }[] };
    // The cast's read of the vote's status under its row lock (db ballots.ts poolBallot: raw SQL).
    const raw = n.kind === 'RawNode' && (n as { sqlFragments?: string[] }).sqlFragments?.join('').includes('select status from votes where id =');
    if (this.armed && raw) this.ids.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.ids.has(args.queryId)) {
      this.armed = false;
      this.onReach();
      await this.gate;
    }
    return args.result;
  }
}

const db = process.env.TEST_DB ?? 'pglite';

describe(`a close racing a cast in flight, on ${db}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
    t.admin = new Client(t.app, { bearer: (await t.admin.post('/api/tokens', { name: 'close race' })).body.token as string });
  });
  afterAll(() => t.close());

  it('waits for the cast: the vote closes, and the promised ballot is in the final box', async () => {
    const def = threeLocals('close-race');
    await t.admin.put('/api/locals', { locals: def.locals });
    expect((await t.admin.post('/api/votes', def)).status).toBe(201);
    await t.openVote(def.id);
    await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n700-1,Ann,ann@example.org,,yes', { 'content-type': 'text/csv' });
    const [issued] = (await t.admin.post(`/api/votes/${def.id}/locals/700/codes`, {})).body.issued as { code: string }[];
    const client = new VotingClient({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)) });
    const board = await client.board(def.id);
    const token = (await client.obtainToken({ voteId: def.id, code: issued!.code, localId: '700', deviceSeed: randomBytes(32), board })).token!;
    const shapes = ballotShapeFor(board.manifest.definition, '700');
    const ballot = encryptBallot({ [shapes[0]!.id]: [1, 0] }, { voteId: def.id, localId: '700', publicKey: pointFromHex(board.manifest.keys.election), nullifier: tokenNullifier(token.input, def.id, '700'), questions: shapes });

    const hold = new HoldStatusRead();
    const held = createApp({ db: t.database.handle.db.withPlugin(hold), dbKind: t.database.handle.kind });
    const cast = held.request(`/api/votes/${def.id}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ localId: '700', token: tokenToJson(token), ballot: ballotToJson(ballot) }) });
    await hold.reached; // the cast has read the vote open, inside its transaction
    const close = t.admin.post(`/api/votes/${def.id}/close`);
    await new Promise((r) => setTimeout(r, 300));
    hold.release();
    const [casted, closed] = await Promise.all([cast, close]);
    expect(casted.status).toBe(202);
    expect(closed.status).toBe(200);
    const found = await t.anonymous.get(`/api/board/${def.id}/inclusion?trackingCode=${trackingCode(ballot)}`);
    expect(found.status).toBe(200);
    expect(found.body.receipt.localId).toBe('700');
  });
});
