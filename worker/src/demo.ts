/**
 * The demo that `npm start` seeds into an empty database:
 *  - the locals and the three example votes (ratification, strike authorization, two agreements),
 *    windows moved to the present;
 *  - a made-up roster for local 700;
 *  - the ratification vote with three trustees, any two of whom decrypt: alice, bob and carol (trustee
 *    accounts attached to it) run the key ceremony (join, deal, check) with the same messages
 *    `union-vote trustee` sends, approve the sealed manifest, and the vote opens. Each trustee's key
 *    file is <dataDir>/demo-trustee-<id>.json (encrypted with the passphrase in
 *    <dataDir>/demo-passphrase, at a lower scrypt cost than a real one, 2¹⁴, so the demo starts fast),
 *    their API token <dataDir>/demo-trustee-<id>.token; a monitor's API token <dataDir>/demo-monitor.token
 *    and the fingerprint <dataDir>/demo-fingerprint; and the administrator's API token
 *    <dataDir>/demo-admin.token, so the README's trustee steps run on the demo as written;
 *  - voting codes for local 700 written to <dataDir>/demo-codes.csv, so that `npm run demo:vote`
 *    can cast a ballot right away.
 * These files hold secrets; they exist only for the demo and stay in the data directory (mode 600).
 */
import { recordAct, recordLocalAct } from './acts.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createApiToken, createUser, createVote, findCredentials, importRoster, listVotes, upsertLocals, type Schema } from '@union-vote/db';
import { generateShareKeyPair, generateSigningKey, scalarToHex, toHex } from '@union-vote/crypto';
import {
  VoteDefinition, checkMessage, dealMessage, evaluateCeremony, exampleVotes, joinMessage, openDealtShares, secretShareOf,
} from '@union-vote/election';
import { approvalSignature, sealShareFile, shareKeyOf, type ShareFile } from '@union-vote/cli';
import { addMessage, ceremonyView } from './casting/ceremony.ts';
import { generatePassword, hashPassword } from './auth/password.ts';
import { randomToken, secretHash } from './auth/secrets.ts';
import { API_TOKEN_PREFIX } from './auth/principal.ts';
import { approveManifest, openVote, sealDraft } from './casting/seal.ts';
import { issueCodes } from './casting/codes.ts';
import { codesCsv } from './views/mailer.ts';

export const DEMO_TRUSTEES = ['alice', 'bob', 'carol'];

async function apiToken(db: Kysely<Schema>, userId: string): Promise<string> {
  const token = API_TOKEN_PREFIX + randomToken(32);
  await createApiToken(db, { userId, name: 'demo', tokenHash: secretHash(token) });
  return token;
}

/**
 * The demo's key ceremony, 2 of 3: each trustee gets an account attached to the vote and an API
 * token (`saveToken`), then joins, deals and checks with the messages the command line sends; the
 * ceremony ends with the last check. Returns each trustee's key file, with their share in it.
 */
async function demoCeremony(db: Kysely<Schema>, voteId: string, now: Date, passphrase: string, saveToken: (id: string, token: string) => Promise<void>): Promise<Map<string, ShareFile>> {
  const secrets = new Map<string, { signing: Uint8Array; share: Uint8Array }>();
  for (const id of DEMO_TRUSTEES) {
    const user = await createUser(db, { username: id, displayName: `Trustee ${id[0]!.toUpperCase()}${id.slice(1)}`, role: 'trustee', passwordHash: await hashPassword(generatePassword()), votes: [voteId] });
    await saveToken(id, await apiToken(db, user.id));
    const signing = generateSigningKey();
    const share = generateShareKeyPair();
    secrets.set(id, { signing: signing.secretKey, share: share.secretKey });
    await addMessage(db, voteId, 'join', id, joinMessage(voteId, id, { signingSecret: signing.secretKey, signingKey: toHex(signing.publicKey), shareKey: toHex(share.publicKey) }), now);
  }
  let view = await ceremonyView(db, voteId);
  for (const id of DEMO_TRUSTEES) view = await addMessage(db, voteId, 'deal', id, (await dealMessage(voteId, id, view.threshold, view.messages.joins, secrets.get(id)!.signing)).deal, now);
  const opened = new Map<string, Map<string, bigint>>();
  for (const id of DEMO_TRUSTEES) {
    const { shares, complaints } = await openDealtShares(voteId, id, secrets.get(id)!.share, view.messages, view.count, view.threshold);
    opened.set(id, shares);
    view = await addMessage(db, voteId, 'check', id, checkMessage(voteId, id, complaints, secrets.get(id)!.signing, view.messages), now);
  }
  const state = evaluateCeremony(voteId, view.count, view.threshold, view.messages, true);
  return new Map(DEMO_TRUSTEES.map((id) => [id, sealShareFile({ voteId, trusteeId: id }, {
    signingKey: toHex(secrets.get(id)!.signing), shareSecret: toHex(secrets.get(id)!.share), share: scalarToHex(secretShareOf(id, state, opened.get(id)!, view.messages)),
  }, passphrase, 2 ** 14)]));
}

export async function seedDemo(db: Kysely<Schema>, now: Date, o: { dataDir: string; origin: string }): Promise<{ votes: string[]; open?: string; codesFile?: string; fingerprint?: string }> {
  if ((await listVotes(db)).length > 0) return { votes: [] };
  const opensAt = new Date(now.getTime() - 60_000).toISOString();
  const closesAt = new Date(now.getTime() + 3 * 24 * 3600_000).toISOString();
  // The ratification has three trustees, any two of whom decrypt.
  const definitions = Object.values(exampleVotes).map((v) => VoteDefinition.parse({ ...v, opensAt, closesAt, ...(v.id === exampleVotes.ratifyBasicAgreement.id ? { trustees: { count: 3, threshold: 2 } } : {}) }));
  const locals = new Map(definitions.flatMap((d) => d.locals.map((l) => [l.id, l] as const)));
  await upsertLocals(db, [...locals.values()]);
  // The demo's acts are the administrator's, as if done through the API.
  const admin = { role: 'admin' };
  for (const d of definitions) {
    await createVote(db, d, null, now);
    await recordAct(db, d.id, admin, 'vote defined', { title: d.title }, now);
  }
  const first = ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hana', 'Ivo', 'Jo'];
  const last = ['Rivera', 'Chen', 'Duran', 'Evans', 'Okafor', 'Gray', 'Hall', 'Ito', 'Novak', 'Kim'];
  const roster = Array.from({ length: 40 }, (_, i) => ({
    memberNumber: `700-${String(1001 + i)}`,
    name: `${first[i % 10]} ${last[(i * 3) % 10]}`,
    email: `member${1001 + i}@example.org`,
    phone: null,
    goodStanding: i % 13 !== 0,
  }));
  const imported = await importRoster(db, '700', roster, now);
  await recordLocalAct(db, '700', admin, 'roster imported', { inserted: imported.inserted, updated: imported.updated }, now);

  // The ratification goes the whole way: its three trustees make the key together, the vote is
  // sealed into its manifest, each trustee approves it with their own key, and the vote opens.
  const open = exampleVotes.ratifyBasicAgreement.id;
  const secret = (name: string, text: string) => writeFileSync(join(o.dataDir, name), text + '\n', { mode: 0o600 });
  const adminId = (await findCredentials(db, 'admin'))?.id;
  if (adminId) secret('demo-admin.token', await apiToken(db, adminId));
  const passphrase = generatePassword();
  secret('demo-passphrase', passphrase);
  const keys = await demoCeremony(db, open, now, passphrase, async (id, token) => secret(`demo-trustee-${id}.token`, token));
  // A monitor attached to the vote, who witnesses the box (the trustees decrypt with their witness file).
  const monitor = await createUser(db, { username: 'monitor', displayName: 'Monitor Mo', role: 'monitor', passwordHash: await hashPassword(generatePassword()), votes: [open] });
  secret('demo-monitor.token', await apiToken(db, monitor.id));
  const { manifest, fingerprint } = await sealDraft(db, open, admin, now);
  secret('demo-fingerprint', fingerprint);
  for (const [id, file] of keys) {
    await approveManifest(db, open, id, approvalSignature(manifest, shareKeyOf(file, passphrase)), now);
    secret(`demo-trustee-${id}.json`, JSON.stringify({ ...file, approvedFingerprint: fingerprint }, null, 2));
  }
  await openVote(db, open, admin, now);
  const codesFile = join(o.dataDir, 'demo-codes.csv');
  const issued = await issueCodes(db, open, '700', o.origin, admin, now);
  writeFileSync(codesFile, codesCsv(issued), { mode: 0o600 });
  return { votes: definitions.map((d) => d.id), open, codesFile, fingerprint };
}
