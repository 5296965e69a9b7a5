/**
 * The operator who relays the key ceremony's messages, against the trustees' own programs (a fetch
 * in front of the real app answers each trustee's GET /ceremony as the operator likes; the trustees
 * run the real `union-vote trustee` steps). Found by review (scratch/dkg-attack.test.ts) when the
 * deals did not name the keys they were sealed to and trustees opened shares without checking the
 * deal; each attack then gave the operator the election key or an honest dealer's disqualification.
 * Now:
 *  1. dealers shown the others' joins with share keys of the operator's: their deals are refused
 *     (they sign the joins they saw), and a dealer who deals again deals a fresh polynomial; the key
 *     the ceremony ends with is not what the operator harvested;
 *  2. trustees shown deals with a changed share: they refuse to go on instead of complaining, so no
 *     honest dealer reveals a share;
 *  3. a deal stored by the operator that was sealed to other keys: every other trustee refuses;
 *  4. a complaint and its answer dropped before sealing: the complainer recomputes their share from
 *     the manifest's own ceremony before approving, finds none from that dealer, and refuses;
 *  5. (a second review) a dealer answered with a made-up view holding complaints by the operator's
 *     own "trustees", or a trustee shown one so as to sign a complaint for replay: each program reads
 *     the ceremony again itself (every deal present, the joins it dealt to, its own deal as made) and
 *     refuses; a check signed against other joins or deals does not verify in the real ceremony.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { G, evaluatePolynomial, fromHex, generateShareKeyPair, generateSigningKey, lagrangeAtZero, openShare, pointFromHex, pointToHex, sealShare, signStatement, toHex, addS, mulS, type Scalar } from '@union-vote/crypto';
import { answerMessage, checkMessage, dealBytes, dealMessage, joinMessage, joinsDigest, trusteeIndices, type DkgDeal, type DkgJoin } from '@union-vote/election';
import { approve, checkCeremony, dealCeremony, joinCeremony, openShareFile, shareKeyOf, type CeremonyOptions, type ShareFile } from '@union-vote/cli';
import { openTestApp, type TestApp } from '../support/app.ts';
import { PASSPHRASE, thresholdSteps, type Fetch, type Trustee } from '../support/threshold.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(async () => t?.close());

const { fetchApp, trusteeAccounts, options, createVote, save } = thresholdSteps(() => t);

/** The operator's server: GET /ceremony answered per trustee by `fork`; everything else relayed. */
function operatorFetch(me: string, fork: (me: string, view: any) => Promise<any>): Fetch {
  return async (url, init) => {
    const res = await fetchApp(url, init);
    if ((init?.method ?? 'GET') !== 'GET' || !url.endsWith('/ceremony')) return res;
    const view = await res.json();
    return new Response(JSON.stringify(await fork(me, view)), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
}

/** a₀ of a polynomial of degree k − 1 from k of its points (index → value). */
function constantTerm(points: Map<number, Scalar>): Scalar {
  const set = [...points.keys()];
  return set.reduce((acc, i) => addS(acc, mulS(lagrangeAtZero(set, i), points.get(i)!)), 0n);
}

describe('the operator relaying the key ceremony', () => {
  it('1. shows dealers share keys of its own: the deals are refused, the dealers deal afresh, and what it harvested is not the key', async () => {
    const def = await createVote('dkg-steal', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['steal-a', 'steal-b', 'steal-c']);
    for (const tr of trustees) tr.file = (await joinCeremony({ ...options(def.id, tr), trusteeId: tr.id })).file;
    const fake = new Map<string, { join: DkgJoin; shareSecret: Uint8Array }>();
    for (const tr of trustees) {
      const s = generateSigningKey();
      const k = generateShareKeyPair();
      fake.set(tr.id, { join: joinMessage(def.id, tr.id, { signingSecret: s.secretKey, signingKey: toHex(s.publicKey), shareKey: toHex(k.publicKey) }), shareSecret: k.secretKey });
    }
    const realJoins = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body.messages.joins as DkgJoin[];
    const indices = trusteeIndices(realJoins);
    // The operator keeps what each dealer sends (the POST body), and shows fake joins while dealing.
    const harvested = new Map<string, Map<string, Scalar>>();
    const stealing = (me: string): Fetch => async (url, init) => {
      if ((init?.method ?? 'GET') === 'POST' && url.endsWith('/ceremony/deals')) {
        const deal = JSON.parse(String(init!.body)) as DkgDeal;
        const m = new Map<string, Scalar>();
        for (const s of deal.shares) {
          if (s.recipient === me) continue;
          m.set(s.recipient, await openShare(fake.get(s.recipient)!.shareSecret, s, { voteId: def.id, dealer: me, recipient: s.recipient }, deal.commitments.map((c) => pointFromHex(c))));
        }
        harvested.set(me, m);
      }
      return operatorFetch(me, async (who, view) => {
        if (view.phase === 'deal') view.messages.joins = view.messages.joins.map((j: DkgJoin) => (j.trusteeId === who ? j : fake.get(j.trusteeId)!.join));
        return view;
      })(url, init);
    };
    for (const tr of trustees) {
      await expect(dealCeremony(options(def.id, tr, stealing(tr.id)), tr.file, save(tr))).rejects.toThrow(/your deal does not verify: .*not signed by the dealer for the trustees of this ceremony/);
    }
    let x = 0n;
    for (const shares of harvested.values()) x = addS(x, constantTerm(new Map([...shares].map(([r, s]) => [indices.get(r)!, s]))));
    // Shown the real joins, each dealer deals a fresh polynomial (not the one the operator saw).
    for (const tr of trustees) await dealCeremony(options(def.id, tr), tr.file, save(tr));
    for (const round of [1, 2]) for (const tr of trustees) await checkCeremony(options(def.id, tr), tr.file, save(tr));
    const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    expect(view.ended).toBe(true);
    expect(pointToHex(G.multiply(x))).not.toBe(view.electionKey);
  }, 300_000);

  it('2. shows trustees a deal with a changed share, to draw complaints: they refuse to go on, and no dealer reveals a share', async () => {
    const def = await createVote('dkg-harvest', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['harvest-a', 'harvest-b', 'harvest-c']);
    for (const tr of trustees) tr.file = (await joinCeremony({ ...options(def.id, tr), trusteeId: tr.id })).file;
    for (const tr of trustees) await dealCeremony(options(def.id, tr), tr.file, save(tr));
    const corrupt = async (me: string, view: any) => {
      if (view.phase !== 'check' || view.ended) return view;
      view.messages.deals = view.messages.deals.map((d: DkgDeal) => (d.dealer === me ? d : {
        ...d, shares: d.shares.map((s) => (s.recipient === me ? { ...s, ciphertext: s.ciphertext.slice(0, -2) + (s.ciphertext.endsWith('00') ? '01' : '00') } : s)),
      }));
      return view;
    };
    for (const tr of trustees) {
      await expect(checkCeremony(options(def.id, tr, operatorFetch(tr.id, corrupt)), tr.file, save(tr))).rejects.toThrow(/the key ceremony as the server shows it does not verify .*deal: not signed by the dealer/);
    }
    const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    expect([view.messages.checks.length, view.messages.answers.length]).toEqual([0, 0]);
    // Shown the ceremony as it is, they check and it ends with nobody disqualified.
    for (const round of [1, 2]) for (const tr of trustees) await checkCeremony(options(def.id, tr), tr.file, save(tr));
    expect((await t.admin.get(`/api/votes/${def.id}/ceremony`)).body).toMatchObject({ ended: true, disqualified: [], messages: { answers: [] } });
  }, 300_000);

  it('3. stores a deal sealed to keys of its own (written into the database): every other trustee refuses to check', async () => {
    const def = await createVote('dkg-planted', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['planted-a', 'planted-b', 'planted-c']);
    for (const tr of trustees) tr.file = (await joinCeremony({ ...options(def.id, tr), trusteeId: tr.id })).file;
    const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    // planted-a's deal, made by her own program but for joins the operator showed her.
    const s = generateSigningKey();
    const k = generateShareKeyPair();
    const fakeJoins = view.messages.joins.map((j: DkgJoin) => (j.trusteeId === 'planted-b' ? joinMessage(def.id, 'planted-b', { signingSecret: s.secretKey, signingKey: toHex(s.publicKey), shareKey: toHex(k.publicKey) }) : j));
    const secrets = openShareFile(trustees[0]!.file, PASSPHRASE).secrets;
    const { deal } = await dealMessage(def.id, 'planted-a', 2, fakeJoins, fromHex(secrets.signingKey, 32));
    await t.database.handle.db.insertInto('trustee_ceremony').values({ vote_id: def.id, kind: 'deal', trustee_id: 'planted-a', about: '', message: deal }).execute();
    for (const tr of trustees.slice(1)) {
      await expect(dealCeremony(options(def.id, tr), tr.file, save(tr))).rejects.toThrow(/does not verify \(planted-a's deal: not signed by the dealer for the trustees of this ceremony/);
    }
    // And one who had dealt before it was planted refuses to check.
    const again = await createVote('dkg-planted-late', 3, 2);
    const late = await trusteeAccounts(again.id, ['late-a', 'late-b', 'late-c']);
    for (const tr of late) tr.file = (await joinCeremony({ ...options(again.id, tr), trusteeId: tr.id })).file;
    for (const tr of late.slice(1)) await dealCeremony(options(again.id, tr), tr.file, save(tr));
    const joins = (await t.admin.get(`/api/votes/${again.id}/ceremony`)).body.messages.joins as DkgJoin[];
    const other = joins.map((j) => (j.trusteeId === 'late-b' ? joinMessage(again.id, 'late-b', { signingSecret: s.secretKey, signingKey: toHex(s.publicKey), shareKey: toHex(k.publicKey) }) : j));
    const planted = (await dealMessage(again.id, 'late-a', 2, other, fromHex(openShareFile(late[0]!.file, PASSPHRASE).secrets.signingKey, 32))).deal;
    await t.database.handle.db.insertInto('trustee_ceremony').values({ vote_id: again.id, kind: 'deal', trustee_id: 'late-a', about: '', message: planted }).execute();
    for (const tr of late.slice(1)) {
      await expect(checkCeremony(options(again.id, tr), tr.file, save(tr))).rejects.toThrow(/late-a's deal: not signed by the dealer for the trustees of this ceremony/);
    }
  }, 300_000);

  it('4. drops a complaint and its answer from the ceremony before sealing: the complainer, recomputing their share from the manifest, refuses to approve', async () => {
    const def = await createVote('dkg-dropped', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['drop-a', 'drop-b', 'drop-m']);
    const [a, , m] = trustees as [Trustee, Trustee, Trustee];
    for (const tr of trustees) tr.file = (await joinCeremony({ ...options(def.id, tr), trusteeId: tr.id })).file;
    for (const tr of trustees.slice(0, 2)) await dealCeremony(options(def.id, tr), tr.file, save(tr));
    // drop-m deals drop-a a wrong share (sealed properly), then answers her complaint with the right one.
    const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    const signing = fromHex(openShareFile(m.file, PASSPHRASE).secrets.signingKey, 32);
    const honest = await dealMessage(def.id, 'drop-m', 2, view.messages.joins, signing);
    const commitments = honest.deal.commitments.map((c) => pointFromHex(c));
    const wrong = await sealShare(fromHex(view.messages.joins.find((j: DkgJoin) => j.trusteeId === 'drop-a').shareKey, 32), addS(evaluatePolynomial(honest.coefficients, 1), 1n), { voteId: def.id, dealer: 'drop-m', recipient: 'drop-a' }, commitments);
    const body = { ...honest.deal, shares: honest.deal.shares.map((x) => (x.recipient === 'drop-a' ? { recipient: 'drop-a', ...wrong } : x)) };
    const { signature: _old, ...unsigned } = body;
    const deal = { ...unsigned, signature: signStatement('dkg-deal', dealBytes(def.id, unsigned, joinsDigest(view.messages.joins)), signing) };
    expect((await fetchApp(`/api/votes/${def.id}/ceremony/deals`, { method: 'POST', headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' }, body: JSON.stringify(deal) })).status).toBe(200);
    const complained = await checkCeremony(options(def.id, a), a.file, save(a));
    expect(complained.lines.join('\n')).toMatch(/complained of drop-m \(wrong share\)/);
    await checkCeremony(options(def.id, trustees[1]!), trustees[1]!.file, save(trustees[1]!));
    const check = checkMessage(def.id, 'drop-m', [], signing, (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body.messages);
    expect((await fetchApp(`/api/votes/${def.id}/ceremony/checks`, { method: 'POST', headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' }, body: JSON.stringify(check) })).status).toBe(200);
    const answer = answerMessage(def.id, 'drop-m', 'drop-a', honest.coefficients, signing, (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body.messages);
    const answered = await fetchApp(`/api/votes/${def.id}/ceremony/answers`, { method: 'POST', headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json' }, body: JSON.stringify(answer) });
    expect(((await answered.json()) as { ended: boolean; qualified: string[] })).toMatchObject({ ended: true, qualified: ['drop-a', 'drop-b', 'drop-m'] });
    for (const tr of trustees.slice(0, 2)) expect((await checkCeremony(options(def.id, tr), tr.file, save(tr))).lines.join('\n')).toMatch(/your share of the election key is in your key file/);
    // The operator deletes the complaint and its answer: the manifest would show a ceremony without complaints.
    await t.database.handle.db.deleteFrom('trustee_ceremony').where('vote_id', '=', def.id).where((eb) => eb.or([eb('kind', '=', 'answer'), eb.and([eb('kind', '=', 'check'), eb('trustee_id', '=', 'drop-a')])])).execute();
    expect((await t.admin.post(`/api/votes/${def.id}/seal`)).status).toBe(200);
    await expect(approve({ baseUrl: '', fetch: fetchApp, voteId: def.id, apiToken: a.token, key: shareKeyOf(a.file, PASSPHRASE), confirm: () => true }))
      .rejects.toThrow(/you hold no valid share from drop-m, who qualified: your complaint is not in the ceremony/);
  }, 300_000);

  it('5. answers a dealer\'s check with a made-up view (other keys, complaints signed by them), or shows a trustee one to harvest a signed complaint: each refuses, nothing is revealed', async () => {
    const def = await createVote('dkg-madeup', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['madeup-a', 'madeup-b', 'madeup-c']);
    for (const tr of trustees) tr.file = (await joinCeremony({ ...options(def.id, tr), trusteeId: tr.id })).file;
    for (const tr of trustees) await dealCeremony(options(def.id, tr), tr.file, save(tr));
    const real = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    // The operator's own trustees under the other ids, with deals and complaints signed by them.
    const fakes = await Promise.all(['madeup-b', 'madeup-c'].map(async (id) => {
      const s = generateSigningKey();
      const k = generateShareKeyPair();
      return { id, signing: s.secretKey, join: joinMessage(def.id, id, { signingSecret: s.secretKey, signingKey: toHex(s.publicKey), shareKey: toHex(k.publicKey) }) };
    }));
    const joins = real.messages.joins.map((j: DkgJoin) => fakes.find((f) => f.id === j.trusteeId)?.join ?? j);
    // For madeup-c: everyone's real join but madeup-b's, and deals without her own.
    const joinsC = real.messages.joins.map((j: DkgJoin) => (j.trusteeId === 'madeup-b' ? fakes[0]!.join : j));
    const deals = await Promise.all(fakes.map(async (f) => (await dealMessage(def.id, f.id, 2, joins, f.signing)).deal));
    const made = { joins, deals, checks: fakes.map((f) => checkMessage(def.id, f.id, [{ dealer: 'madeup-a', reason: 'wrong share' }], f.signing, { joins, deals })), answers: [] };
    const posted: string[] = [];
    const madeUp = (answerPosts: boolean): Fetch => async (url, init) => {
      const method = init?.method ?? 'GET';
      if (method === 'POST') posted.push(url);
      const res = await fetchApp(url, init);
      if (method === 'POST' && url.endsWith('/ceremony/checks') && answerPosts) return new Response(JSON.stringify({ ...real, phase: 'answer', ended: false, messages: made }), { status: 200, headers: { 'content-type': 'application/json' } });
      if (method === 'GET' && url.endsWith('/ceremony') && !answerPosts) return new Response(JSON.stringify({ ...real, phase: 'check', messages: made }), { status: 200, headers: { 'content-type': 'application/json' } });
      return res;
    };
    // A: madeup-a checks for real; the answer to her check is the made-up view: she refuses to answer.
    await expect(checkCeremony(options(def.id, trustees[0]!, madeUp(true)), trustees[0]!.file, save(trustees[0]!))).rejects.toThrow(/other trustees' keys than those you dealt to/);
    expect(posted.filter((u) => u.endsWith('/answers'))).toEqual([]);
    // B: madeup-b is shown a made-up ceremony (to sign a complaint the operator could replay): he refuses before signing anything.
    posted.length = 0;
    await expect(checkCeremony(options(def.id, trustees[1]!, madeUp(false)), trustees[1]!.file, save(trustees[1]!))).rejects.toThrow(/the server lists other keys for madeup-b than those in your key file: stop/);
    expect(posted).toEqual([]);
    posted.length = 0;
    const dealsC = [(await dealMessage(def.id, 'madeup-b', 2, joinsC, fakes[0]!.signing)).deal];
    const showC: Fetch = async (url, init) => {
      if ((init?.method ?? 'GET') === 'POST') posted.push(url);
      if ((init?.method ?? 'GET') === 'GET' && url.endsWith('/ceremony')) return new Response(JSON.stringify({ ...real, phase: 'check', messages: { joins: joinsC, deals: [...dealsC, ...real.messages.deals.filter((d: DkgDeal) => d.dealer !== 'madeup-b')], checks: [], answers: [] } }), { status: 200, headers: { 'content-type': 'application/json' } });
      return fetchApp(url, init);
    };
    await expect(checkCeremony(options(def.id, trustees[2]!, showC), trustees[2]!.file, save(trustees[2]!))).rejects.toThrow(/do not go on/);
    expect(posted).toEqual([]);
    // And a check signed against other deals does not verify in the real ceremony.
    const { evaluateCeremony } = await import('@union-vote/election');
    const replayed = { ...real.messages, checks: [...real.messages.checks, made.checks[0]!] };
    expect(evaluateCeremony(def.id, 3, 2, replayed).invalid.join()).toMatch(/madeup-b's check is not signed by their key for these joins and deals/);
  }, 300_000);
});
