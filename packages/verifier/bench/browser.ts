/**
 * The board's "Verify in this browser", timed in headless Chromium (bench:verify's last step): the
 * record file served at the board's address with the built assets and their own policies (pages/
 * headers.ts: only the ballot workers may compile WebAssembly), the verifier's worker started as the
 * board page starts it, one ballot worker per core; timed from the start to the report, as the page
 * reports it (the record's download and parsing included).
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { buildAssets } from '../../../worker/src/pages/assets-build.ts';
import { fileAssets } from '../../../worker/src/pages/assets.ts';
import { WORKER_POLICIES } from '../../../worker/src/pages/headers.ts';
import { launchChromium } from '../../../test/support/browser.ts';

export interface BrowserRun { seconds: number; workers: number; wasm: boolean; ok: boolean; checks: number }

export async function verifyInChromium(recordFile: string, voteId: string, fingerprint: string): Promise<BrowserRun> {
  await buildAssets();
  const assets = fileAssets();
  const record = readFileSync(recordFile);
  const page = `<!doctype html><html><body><script type="module">
    const w = new Worker('/assets/verify-worker.js', { type: 'module' });
    window.run = () => new Promise((resolve) => { w.onmessage = (e) => { if (e.data.type !== 'progress') resolve(e.data); }; w.postMessage(${JSON.stringify({ voteId, fingerprint })}); });
  </script></body></html>`;
  const server = createServer(async (req, res) => {
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (req.url === `/api/board/${voteId}/record`) return res.writeHead(200, { 'content-type': 'application/json' }).end(record);
    const found = await assets(req.url ?? '');
    if (!found) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': found.headers.get('content-type')!, ...(WORKER_POLICIES[req.url!] ? { 'content-security-policy': WORKER_POLICIES[req.url!] } : {}) });
    res.end(Buffer.from(await found.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await tab.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
    const m = await tab.evaluate(() => (window as unknown as { run(): Promise<any> }).run());
    if (m.type !== 'report') throw new Error(`the browser verifier could not run: ${m.message}`);
    return { seconds: m.seconds, workers: m.workers, wasm: m.wasm, ok: m.report.ok, checks: m.report.checks.length };
  } finally {
    await browser.close();
    server.close();
  }
}
