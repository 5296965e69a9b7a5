/**
 * Real headless Chromium (Debian's package) driven by playwright-core, for the page tests, and
 * axe-core run inside the page. No download: the browser must be installed (.ci/run does it).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { buildAssets } from '../../worker/src/pages/assets-build.ts';
import { fileAssets } from '../../worker/src/pages/assets.ts';
import { decrypt, readKeyFile, type KeyFile } from '@union-vote/cli';
import { openTestApp, type TestApp } from './app.ts';
import { chromium, devices, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is expected at ${CHROMIUM} (Debian: apt-get install chromium); .ci/run installs it`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A phone: Pixel 7 (412 × 915 CSS pixels, touch). */
export const PHONE = devices['Pixel 7']!;
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: number }

/** WCAG 2.1 A and AA rules; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Where page tests put screenshots: docs/screenshots/ with UPDATE_SCREENSHOTS=1 (shown in the README), else dist/. */
export const SHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../dist/screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

/** Waits for text on the page; on timeout, the error shows what the page said instead. */
export async function waitText(page: Page, text: RegExp, timeout = 30_000): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ timeout });
  } catch {
    throw new Error(`waited ${timeout} ms for ${text} on ${page.url()}; the page says:\n${(await page.locator('body').innerText()).slice(-2500)}`);
  }
}

/** Signs in on the sign-in page as a person would. */
export async function signInOnPage(page: Page, origin: string, username: string, password: string): Promise<void> {
  await page.goto(`${origin}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface ServedPages { t: TestApp; origin: string; close(): Promise<void> }

/**
 * The app on PGlite, served over HTTP on localhost (a secure context, so the __Host- session cookie
 * works over plain HTTP) with the page scripts built into dist/test-public-<name>/.
 */
export async function servePages(name: string, deps: Parameters<typeof openTestApp>[1] = {}): Promise<ServedPages> {
  const dir = fileURLToPath(new URL(`../../dist/test-public-${name}/`, import.meta.url));
  await buildAssets(dir);
  const t = await openTestApp('pglite', { assets: fileAssets(dir), ...deps });
  const server: ServerType = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  return {
    t,
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    async close() {
      server.close();
      await t.close();
    },
  };
}

/**
 * After the close, each of the vote's trustees, signed in with a password of their own, decrypts their
 * share with the command line's `decrypt` against the served app, as they would from their computer.
 */
export async function trusteesDecrypt(served: ServedPages, voteId: string, keyFiles: Record<string, KeyFile>): Promise<void> {
  const { t, origin } = served;
  for (const [id, file] of Object.entries(keyFiles)) {
    const made = await t.admin.post('/api/users', { username: id, displayName: id, role: 'trustee', votes: [voteId], password: `trustee password ${id}` });
    if (made.status !== 201) throw new Error(`trustee ${id} not created: ${JSON.stringify(made.body)}`);
    const token = (await (await t.signIn(id, `trustee password ${id}`)).post('/api/tokens', { name: 'decrypt' })).body.token as string;
    await decrypt({ baseUrl: origin, voteId, key: readKeyFile(file), apiToken: token });
  }
}
