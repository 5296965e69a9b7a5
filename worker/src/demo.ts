/**
 * The demo that `npm start` seeds into an empty database:
 *  - the locals and the three example votes (ratification, strike authorization, two agreements),
 *    windows moved to the present;
 *  - a made-up roster for local 700;
 *  - the ratification vote sealed, approved by one demo trustee and opened; the trustee's key file
 *    is written to <dataDir>/demo-trustee-key.json, and voting codes for local 700 written to
 *    <dataDir>/demo-codes.csv, so that `npm run demo:vote` can cast a ballot right away.
 * Those two files hold secrets; they exist only for the demo and stay in the data directory.
 */
import { recordAct, recordLocalAct } from './acts.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createVote, importRoster, listVotes, registerTrusteeInDraft, upsertLocals, type Schema } from '@union-vote/db';
import { VoteDefinition, exampleVotes } from '@union-vote/election';
import { approvalSignature, keygen, readKeyFile } from '@union-vote/cli';
import { approveManifest, openVote, sealDraft } from './casting/seal.ts';
import { issueCodes } from './casting/codes.ts';
import { codesCsv } from './views/mailer.ts';

export async function seedDemo(db: Kysely<Schema>, now: Date, o: { dataDir: string; origin: string }): Promise<{ votes: string[]; open?: string; codesFile?: string; fingerprint?: string }> {
  if ((await listVotes(db)).length > 0) return { votes: [] };
  const opensAt = new Date(now.getTime() - 60_000).toISOString();
  const closesAt = new Date(now.getTime() + 3 * 24 * 3600_000).toISOString();
  const definitions = Object.values(exampleVotes).map((v) => VoteDefinition.parse({ ...v, opensAt, closesAt }));
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

  // The ratification goes the whole way: a demo trustee registers, the vote is sealed into its
  // manifest, the trustee approves it with their own key, and the vote opens.
  const open = exampleVotes.ratifyBasicAgreement.id;
  const trustee = keygen(open, 'demo-trustee');
  await registerTrusteeInDraft(db, open, trustee.registration, (tx) => recordAct(tx, open, admin, 'trustee registered', { trusteeId: 'demo-trustee', publicKey: trustee.registration.publicKey }, now));
  const { manifest, fingerprint } = await sealDraft(db, open, admin, now);
  await approveManifest(db, open, 'demo-trustee', approvalSignature(manifest, readKeyFile(trustee.keyFile)), now);
  writeFileSync(join(o.dataDir, 'demo-trustee-key.json'), JSON.stringify({ ...trustee.keyFile, approvedFingerprint: fingerprint }, null, 2) + '\n', { mode: 0o600 });
  await openVote(db, open, admin, now);
  const codesFile = join(o.dataDir, 'demo-codes.csv');
  const issued = await issueCodes(db, open, '700', o.origin, admin, now);
  writeFileSync(codesFile, codesCsv(issued), { mode: 0o600 });
  return { votes: definitions.map((d) => d.id), open, codesFile, fingerprint };
}
