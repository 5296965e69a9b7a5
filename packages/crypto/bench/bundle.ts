/**
 * `npm run bench:bundle`: the crypto package, and the verifier, bundled for a browser (ESM,
 * minified, everything they import included) and their gzip sizes, as a phone would download them;
 * then the pages' own assets as built for /assets/.
 * A Node-only import would make the browser build fail here.
 */
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildAssets } from '../../../worker/src/pages/assets-build.ts';

const entries: Record<string, string> = {
  'everything (index.ts)': 'packages/crypto/src/index.ts',
  "the member's side (tokens + ballot encryption + receipts + inclusion proofs)": 'packages/crypto/bench/member-entry.ts',
  'the independent verifier (packages/verifier, for the board page)': 'packages/verifier/src/index.ts',
};
console.log('| bundle | minified | gzip |\n|---|---|---|');
for (const [name, entry] of Object.entries(entries)) {
  const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, treeShaking: true });
  const code = result.outputFiles[0]!.contents;
  console.log(`| ${name} | ${(code.length / 1024).toFixed(1)} KiB | ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KiB |`);
}

// The pages' own bundles, as served at /assets/ (the member's page loads member.js and app.css only).
const pages = await buildAssets(mkdtempSync(join(tmpdir(), 'assets-')));
console.log('\n| page asset | minified | gzip |\n|---|---|---|');
for (const [name, s] of Object.entries(pages)) console.log(`| ${name} | ${(s.bytes / 1024).toFixed(1)} KiB | ${(s.gzip / 1024).toFixed(1)} KiB |`);
const member = pages['member.js']!.gzip;
console.log(`\nThe member's page: ${(member / 1024).toFixed(1)} KiB of JavaScript (gzip), the whole of its script.`);
