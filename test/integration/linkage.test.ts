/**
 * Secrecy at rest: can someone who reads every table of the service (system columns such as xmin
 * and ctid included) and every line it logs, but did not watch the traffic as it happened, tell
 * which member cast which ballot?
 *
 * Members draw their token when their code is accepted and cast a while later (reading the
 * question), their timings overlapping, through the real app on a clock the test moves; the
 * board's readers (a monitor, the page) look at the box as time goes by, which sequences each batch
 * once it has ended. Then the attacker, given the strongest position (they even know which batch
 * each member's ballot went into), pairs members with ballots by every order the database kept.
 * A ballot names its local, so a member hides among the ballots of their local in their batch (a
 * cell). Against batched sequencing, the best they do is chance within each cell; the test asserts
 * at most 1.5 × chance, and that no order finer than the batch survives in the tables.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { ballotToJson, encryptBallot, pointFromHex, randomBytes, tokenNullifier, tokenToJson, toHex, trackingCode } from '@union-vote/crypto';
import { ballotShapeFor } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { Client, openTestApp, type TestApp } from '../support/app.ts';
import { threeLocals } from '../support/vote-run.ts';
import { ctidOrder } from '../support/database.ts';

const MEMBERS = 240;
const BATCH_SECONDS = 30;
const db = process.env.TEST_DB ?? 'pglite';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

interface Member { number: string; localId: string; code: string; tokenAt: number; castAt: number; trackingCode?: string }

/** Pairs the i-th of `members` with the i-th of `ballots`; returns how many pairs are right. */
function pairInOrder(members: Member[], ballots: { trackingCode: string }[]): number {
  return members.reduce((right, m, i) => right + (ballots[i]?.trackingCode === m.trackingCode ? 1 : 0), 0);
}

describe(`linking members to ballots from what the service stores, on ${db}`, () => {
  let t: TestApp;
  let clock = Math.ceil(Date.now() / 3600_000) * 3600_000 + 60_000;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await openTestApp(undefined, { now: () => new Date(clock) });
    t.admin = new Client(t.app, { bearer: (await t.admin.post('/api/tokens', { name: 'linkage' })).body.token as string });
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    }
  }, 120_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  it('links no better than chance within a batch, and keeps no order of arrival finer than the batch', async () => {
    const def = {
      ...threeLocals('linkage'), batchSeconds: BATCH_SECONDS,
      opensAt: new Date(clock - 3600_000).toISOString(), closesAt: new Date(clock + 24 * 3600_000).toISOString(),
    };
    await t.admin.put('/api/locals', { locals: def.locals });
    expect((await t.admin.post('/api/votes', def)).status).toBe(201);
    await t.openVote(def.id);
    // Three locals of 60%, 30% and 10% of the members: a ballot names its local, so a member hides
    // among the ballots of their own local in their batch.
    const issued: { memberNumber: string; localId: string; code: string }[] = [];
    for (const [localId, share] of [['700', 0.6], ['600', 0.3], ['80', 0.1]] as const) {
      const rows = Array.from({ length: MEMBERS * share }, (_, i) => `${localId}-${i},Member ${i},m${i}@l${localId}.example.org,,yes`);
      expect((await t.admin.post(`/api/locals/${localId}/roster`, 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
      const codes = (await t.admin.post(`/api/votes/${def.id}/locals/${localId}/codes`, {})).body.issued as { memberNumber: string; code: string }[];
      issued.push(...codes.map((c) => ({ ...c, localId })));
    }
    expect(issued).toHaveLength(MEMBERS);

    // Timings: tokens over ten minutes; each member reads for 5 seconds to 3 minutes, then casts.
    const rand = random(20261123);
    const start = clock;
    const members: Member[] = issued.map((c) => {
      const tokenAt = start + Math.floor(rand() * 600_000);
      return { number: c.memberNumber, localId: c.localId, code: c.code, tokenAt, castAt: tokenAt + 5_000 + Math.floor(rand() * 175_000) };
    });
    const events = members.flatMap((m) => [{ at: m.tokenAt, kind: 'token' as const, m }, { at: m.castAt, kind: 'cast' as const, m }]).sort((a, b) => a.at - b.at);

    const client = new VotingClient({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)), now: () => new Date(clock) });
    const board = await client.board(def.id);
    const drawn = new Map<Member, Awaited<ReturnType<VotingClient['obtainToken']>>>();
    for (const e of events) {
      clock = e.at;
      if (e.kind === 'token') {
        drawn.set(e.m, await client.obtainToken({ voteId: def.id, code: e.m.code, localId: e.m.localId, deviceSeed: randomBytes(32), board }));
      } else {
        const token = drawn.get(e.m)!.token!;
        const localId = e.m.localId;
        const shapes = ballotShapeFor(board.manifest.definition, localId);
        const nullifier = tokenNullifier(token.input, def.id, localId);
        const ballot = encryptBallot({ [shapes[0]!.id]: rand() < 0.5 ? [1, 0] : [0, 1] }, { voteId: def.id, localId, publicKey: pointFromHex(board.manifest.keys.election), nullifier, questions: shapes });
        e.m.trackingCode = trackingCode(ballot);
        const cast = await t.anonymous.post(`/api/votes/${def.id}/ballots`, { localId, token: tokenToJson(token), ballot: ballotToJson(ballot) });
        expect(cast.status).toBe(202);
      }
      // The board's readers look at the box now and then; a batch that has ended goes in.
      await t.anonymous.get(`/api/board/${def.id}/tree-head`);
    }
    clock = events.at(-1)!.at + 2 * BATCH_SECONDS * 1000;
    await t.anonymous.get(`/api/board/${def.id}/tree-head`);
    expect((await t.admin.post(`/api/votes/${def.id}/close`)).status).toBe(200);

    // What the attacker reads: every table, with its system columns.
    const h = t.database.handle.db;
    const codes = (await sql<{ member_number: string; xmin: string; ctid: string; token_issued_at: Date | null }>`
      select member_number, xmin::text as xmin, ctid::text as ctid, token_issued_at from voting_codes where vote_id = ${def.id}`.execute(h)).rows;
    const box = (await sql<{ leaf_index: number | null; local_id: string; tracking_code: string; xmin: string; ctid: string; receipt: { issuedAt: string } | null; batch_ends_at: Date }>`
      select leaf_index, local_id, tracking_code, xmin::text as xmin, ctid::text as ctid, receipt, batch_ends_at from ballots where vote_id = ${def.id}`.execute(h)).rows;
    expect(box.every((b) => b.leaf_index !== null), 'no pool row is left behind').toBe(true);
    expect(box).toHaveLength(MEMBERS);

    // The batches as the attacker sees them: the ballots sequenced together (one receipt time).
    const batches = new Map<string, typeof box>();
    for (const b of box) batches.set(b.receipt!.issuedAt, [...(batches.get(b.receipt!.issuedAt) ?? []), b]);
    for (const group of batches.values()) {
      // Nothing inside a batch follows arrival: one transaction id, one batch end, rows lying in leaf order, leaves in tracking-code order.
      expect(new Set(group.map((b) => b.xmin)).size).toBe(1);
      expect(new Set(group.map((b) => new Date(b.batch_ends_at).getTime())).size).toBe(1);
      const byLeaf = group.slice().sort((a, b) => a.leaf_index! - b.leaf_index!);
      expect(byLeaf.map((b) => b.tracking_code)).toEqual(byLeaf.map((b) => b.tracking_code).sort());
      expect(byLeaf.map((b) => ctidOrder(b.ctid))).toEqual(byLeaf.map((b) => ctidOrder(b.ctid)).sort((a, b) => a - b));
    }
    // Tokens are dated to the hour, never to the moment.
    expect(codes.every((c) => c.token_issued_at === null || new Date(c.token_issued_at).getTime() % 3600_000 === 0)).toBe(true);

    // The attacker's orders of the members: when each drew their token (the code rows' transaction
    // ids give it exactly, as long as the hour's token batch has not rewritten them), and, stronger
    // than anything the service keeps, when each cast (as a web server's access log or the member's
    // own word would tell).
    const xmin = new Map(codes.map((c) => [c.member_number, BigInt(c.xmin)]));
    const memberOrders: Record<string, Member[]> = {
      'token order (xmin)': members.slice().sort((a, b) => Number(xmin.get(a.number)! - xmin.get(b.number)!)),
      'casting order': members.slice().sort((a, b) => a.castAt - b.castAt),
    };
    // ... and of the ballots: every order the box kept.
    type Row = (typeof box)[number];
    const ballotOrders: Record<string, (a: Row, b: Row) => number> = {
      'leaf index': (a, b) => a.leaf_index! - b.leaf_index!,
      'row position (ctid)': (a, b) => ctidOrder(a.ctid) - ctidOrder(b.ctid),
      'transaction id (xmin), then row position': (a, b) => Number(BigInt(a.xmin) - BigInt(b.xmin)) || ctidOrder(a.ctid) - ctidOrder(b.ctid),
    };
    // The hiding places: the ballots of one local in one batch (a ballot names its local).
    const cellOf = (localId: string, issuedAt: string) => `${issuedAt} ${localId}`;
    const cells = new Map<string, Row[]>();
    for (const b of box) cells.set(cellOf(b.local_id, b.receipt!.issuedAt), [...(cells.get(cellOf(b.local_id, b.receipt!.issuedAt)) ?? []), b]);
    const cellOfMember = new Map(box.map((b) => [b.tracking_code, cellOf(b.local_id, b.receipt!.issuedAt)]));
    const asBallots = (rows: Row[]) => rows.map((b) => ({ trackingCode: b.tracking_code }));

    // Chance: a guess within the right cell is right with probability 1/size, i.e. one right per cell.
    const chance = cells.size / MEMBERS;
    const rates: Record<string, number> = {};
    for (const [who, memberOrder] of Object.entries(memberOrders)) {
      for (const [what, order] of Object.entries(ballotOrders)) {
        // Knowing each member's batch (and local), pair the cell's members in this order with its ballots in that one.
        let right = 0;
        for (const [cell, group] of cells) right += pairInOrder(memberOrder.filter((m) => cellOfMember.get(m.trackingCode!) === cell), asBallots(group.slice().sort(order)));
        rates[`${who} × ${what}, knowing the batch`] = right / MEMBERS;
        // Without that knowledge: per local, the k-th member with the k-th ballot (what linked 96-99% before batches).
        right = 0;
        for (const l of ['700', '600', '80']) right += pairInOrder(memberOrder.filter((m) => m.localId === l), asBallots(box.filter((b) => b.local_id === l).sort(order)));
        rates[`${who} × ${what}`] = right / MEMBERS;
      }
    }
    process.stdout.write(`linkage on ${db}: ${MEMBERS} members in 3 locals, ${batches.size} batches, ${cells.size} (batch, local) cells, chance ${(chance * 100).toFixed(1)}%; ${Object.entries(rates).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join('; ')}\n`);
    for (const [name, rate] of Object.entries(rates)) expect(rate, name).toBeLessThanOrEqual(1.5 * chance);

    // Every line the service logged: no code, member number or tracking code.
    for (const line of logged) {
      for (const m of members) {
        expect(line.includes(m.code) || line.includes(m.trackingCode!)).toBe(false);
      }
    }
  }, 600_000);
});
