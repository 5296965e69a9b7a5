/**
 * `npm run bench:bundle`: the crypto package, and the verifier, bundled for a browser (ESM,
 * minified, everything they import included) and their gzip sizes, as a phone would download them.
 * A Node-only import would make the browser build fail here.
 */
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

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
