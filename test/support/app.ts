/**
 * The app under test over a real database, and clients that talk to it the way people and
 * scripts do: a browser-like session (cookie + CSRF header) or an API token.
 */
import { openWithTrustees, registerTrustees, sealApproveOpen, type Ceremony } from './ceremony.ts';
import { createApp } from '../../worker/src/app.ts';
import type { AppDeps } from '../../worker/src/deps.ts';
import { sodiumCastingCrypto } from '../../worker/src/node-crypto.ts';
import { ensureAdmin } from '../../worker/src/bootstrap.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';
import { firstPooledBatch } from '@union-vote/db';

type App = ReturnType<typeof createApp>;

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(private readonly app: App, private readonly auth: { cookie?: string; csrf?: string; bearer?: string } = {}) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.auth.cookie) h.cookie = this.auth.cookie;
    if (this.auth.csrf) h['x-csrf-token'] = this.auth.csrf;
    if (this.auth.bearer) h.authorization = `Bearer ${this.auth.bearer}`;
    let payload: BodyInit | undefined;
    body = withTestBatches(method, path, body);
    if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ReadableStream) payload = body as BodyInit;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    // A stream is sent as the network sends a body without a declared length (Request needs duplex for it).
    const res = await this.app.request(path, { method, headers: h, body: payload, ...(payload instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/**
 * Casting in batches (worker/src/casting/sequencer.ts): a member waits for their ballot's batch to end
 * before the receipt. The suites define their votes with batches of a fifth of a second unless a
 * definition names its own (the linkage test uses batches of seconds on a clock it moves), so a test
 * casting hundreds of ballots does not wait ten seconds a wave.
 */
export const TEST_BATCH_SECONDS = 0.2;

function withTestBatches(method: string, path: string, body: unknown): unknown {
  const defines = (method === 'POST' && path === '/api/votes') || (method === 'PUT' && /^\/api\/votes\/[^/]+$/.test(path));
  if (!defines || typeof body !== 'object' || body === null || Array.isArray(body) || 'batchSeconds' in body) return body;
  return { ...body, batchSeconds: TEST_BATCH_SECONDS };
}

export interface TestApp {
  app: App;
  database: TestDatabase;
  anonymous: Client;
  admin: Client;
  /** The service's clock. */
  now(): Date;
  /** Signs in with a password, as a browser does; returns a client carrying cookie and CSRF token. */
  signIn(username: string, password: string): Promise<Client>;
  /** Creates a user with a role (through the API, as the admin) and returns a client signed in as them. */
  userWith(role: 'admin' | 'secretary' | 'monitor' | 'trustee', scope?: { locals?: string[]; votes?: string[] }): Promise<Client>;
  /** Registers a freshly generated trustee key for a draft vote; the key file is kept for `openVote`. */
  registerTrustee(voteId: string, trusteeId?: string): Promise<void>;
  /**
   * Seals the vote, has its trustees approve the manifest and opens it; registers one trustee first
   * when none was. Returns the fingerprint, the manifest and the trustees' key files.
   */
  openVote(voteId: string): Promise<Ceremony>;
  close(): Promise<void>;
}

let counter = 0;

export async function openTestApp(kind?: 'pglite' | 'postgres', deps: Partial<Omit<AppDeps, 'db' | 'dbKind'>> = {}): Promise<TestApp> {
  const database = await openTestDatabase(kind);
  // Every in-process request comes from one address: the per-address casting limit would stop the
  // suites that cast hundreds of ballots, so it is raised here (test/integration/limits.test.ts
  // checks the limits themselves, with the defaults).
  // The casting crypto the Node server runs (libsodium); the workerd tests run the default (noble).
  const app = createApp({ db: database.handle.db, dbKind: database.handle.kind, limits: { castingPerAddress: { limit: 1_000_000, windowSeconds: 60 } }, castingCrypto: await sodiumCastingCrypto(), ...deps });
  const anonymous = new Client(app);
  const credential = (await ensureAdmin(database.handle.db))!;

  async function signIn(username: string, password: string): Promise<Client> {
    const res = await app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return new Client(app, { cookie, csrf: csrfToken });
  }

  const admin = await signIn(credential.username, credential.password);
  // The helpers below act as `self.admin`, so a test may swap in another admin client (an API token
  // that outlives a session, for a test that moves the clock by days).
  let self: TestApp;

  async function userWith(role: 'admin' | 'secretary' | 'monitor' | 'trustee', scope: { locals?: string[]; votes?: string[] } = {}): Promise<Client> {
    const username = `${role}-${++counter}`;
    const password = `correct horse ${username}`;
    const res = await self.admin.post('/api/users', { username, displayName: username, role, password, locals: scope.locals ?? [], votes: scope.votes ?? [] });
    if (res.status !== 201) throw new Error(`creating ${username} failed: ${JSON.stringify(res.body)}`);
    return signIn(username, password);
  }

  const call = (method: string, path: string, body?: unknown) => self.admin.request(method, path, body);
  const trustees = new Map<string, Ceremony['keyFiles']>();
  async function registerTrustee(voteId: string, trusteeId = 'trustee-1'): Promise<void> {
    trustees.set(voteId, { ...trustees.get(voteId), ...(await registerTrustees(call, voteId, [trusteeId])) });
  }
  async function openVote(voteId: string): Promise<Ceremony> {
    const keyFiles = trustees.get(voteId);
    return keyFiles ? sealApproveOpen(call, voteId, keyFiles) : openWithTrustees(call, voteId);
  }

  self = { app, database, anonymous, admin, now: deps.now ?? (() => new Date()), signIn, userWith, registerTrustee, openVote, close: () => database.cleanup() };
  return self;
}

/**
 * Waits until every ballot cast so far is in the box: its batch has ended and a reader (here, the
 * board's tree head) had it sequenced, as a member's phone waiting for its receipt does.
 */
export async function ballotsInBox(t: TestApp, voteId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (!(await firstPooledBatch(t.database.handle.db, voteId))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.anonymous.get(`/api/board/${voteId}/tree-head`);
  }
  throw new Error(`the pool of ${voteId} was never sequenced`);
}
