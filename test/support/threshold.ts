/**
 * k-of-n trustees as the tests run them through the real app: trustee accounts attached to a vote
 * with an API token each, the options their command-line steps take (a low scrypt cost: the tests
 * make many key files), and a k-of-n vote on three locals.
 */
import { expect } from 'vitest';
import type { CeremonyOptions, ShareFile } from '@union-vote/cli';
import type { TestApp } from './app.ts';
import { threeLocals } from './vote-run.ts';

export const PASSPHRASE = 'correct horse battery staple';

export interface Trustee { id: string; token: string; file: ShareFile }
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The app as a fetch function, as a trustee's program reaches the server. */
export const appFetch = (t: TestApp): Fetch => (url, init) => Promise.resolve(t.app.request(url, init));

/** Each trustee: an account attached to the vote, an API token, and (after joining) their key file. */
export async function trusteeAccounts(t: TestApp, voteId: string, ids: string[]): Promise<Trustee[]> {
  const out: Trustee[] = [];
  for (const id of ids) {
    expect((await t.admin.post('/api/users', { username: id, displayName: id, role: 'trustee', votes: [voteId], password: `password of ${id}` })).status).toBe(201);
    const token = (await (await t.signIn(id, `password of ${id}`)).post('/api/tokens', { name: 'ceremony' })).body.token as string;
    out.push({ id, token, file: undefined as unknown as ShareFile });
  }
  return out;
}

/** What a trustee's step takes: the server (through `f`), their token and passphrase. */
export const ceremonyOptions = (voteId: string, tr: Trustee, f: Fetch): CeremonyOptions => ({ baseUrl: '', fetch: f, voteId, apiToken: tr.token, passphrase: PASSPHRASE, cost: 2 ** 10 });

/** Keeps the key file a step saves, as written to and read from disk. */
export const saveTo = (tr: Trustee) => (file: ShareFile) => void (tr.file = JSON.parse(JSON.stringify(file)));

/** A k-of-n definition on three locals, its question called `ratify`. */
export function kOfNVote(id: string, count: number, threshold: number) {
  const def = threeLocals(id);
  return { ...def, trustees: { count, threshold }, questions: [{ ...def.questions[0]!, id: 'ratify' }] };
}

/** Defines it through the API. */
export async function createKOfNVote(t: TestApp, id: string, count: number, threshold: number) {
  const def = kOfNVote(id, count, threshold);
  await t.admin.put('/api/locals', { locals: def.locals });
  const created = await t.admin.post('/api/votes', def);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return def;
}

/** The helpers above wired to a test's app (read when called: the app is opened in `beforeAll`). */
export function thresholdSteps(app: () => TestApp) {
  const fetchApp: Fetch = (url, init) => appFetch(app())(url, init);
  return {
    fetchApp,
    trusteeAccounts: (voteId: string, ids: string[]) => trusteeAccounts(app(), voteId, ids),
    options: (voteId: string, tr: Trustee, f: Fetch = fetchApp): CeremonyOptions => ceremonyOptions(voteId, tr, f),
    createVote: (id: string, count: number, threshold: number) => createKOfNVote(app(), id, count, threshold),
    save: saveTo,
  };
}
