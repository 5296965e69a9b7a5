/**
 * Builds the pages' scripts and stylesheet into `<out>/assets/` (Node only): `npm start` and the
 * browser tests call it at start, `wrangler dev`/`deploy` through `npm run build:assets`
 * (wrangler.toml [build]), which serves the directory as static assets.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ASSETS_DIR = fileURLToPath(new URL('../../../dist/public/', import.meta.url));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const ENTRIES = {
  member: here('./client/member.ts'),
  board: here('./client/board.ts'),
  'verify-worker': here('./client/verify-worker.ts'),
  staff: here('./client/staff.ts'),
};

/** Builds every bundle; returns each file's size and gzip size in bytes. */
export async function buildAssets(out = ASSETS_DIR): Promise<Record<string, { bytes: number; gzip: number }>> {
  const dir = `${out.replace(/\/$/, '')}/assets`;
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: ENTRIES, outdir: dir, bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    treeShaking: true, legalComments: 'none', logLevel: 'warning',
  });
  copyFileSync(here('./static/app.css'), `${dir}/app.css`);
  const sizes: Record<string, { bytes: number; gzip: number }> = {};
  for (const name of [...Object.keys(ENTRIES).map((e) => `${e}.js`), 'app.css']) {
    const bytes = readFileSync(`${dir}/${name}`);
    sizes[name] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await buildAssets(process.argv[2] ?? ASSETS_DIR);
  for (const [name, s] of Object.entries(sizes)) console.log(`${name.padEnd(20)} ${(s.bytes / 1024).toFixed(1).padStart(7)} KiB  ${(s.gzip / 1024).toFixed(1).padStart(6)} KiB gzip`);
}
