/**
 * Builds the pages' scripts and stylesheet into `<out>/assets/` (Node only): `npm start` and the
 * browser tests call it at start, `wrangler dev`/`deploy` through `npm run build:assets`
 * (wrangler.toml [build]), which serves the directory as static assets.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { WORKER_POLICIES } from './headers.ts';

export const ASSETS_DIR = fileURLToPath(new URL('../../../dist/public/', import.meta.url));
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export const ENTRIES = {
  member: here('./client/member.ts'),
  board: here('./client/board.ts'),
  'verify-worker': here('./client/verify-worker.ts'),
  'verify-slice': here('./client/verify-slice.ts'),
  staff: here('./client/staff.ts'),
  trustee: here('./client/trustee.ts'),
  kept: here('./client/kept.ts'),
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
  writeFileSync(`${dir}/checker.html`, await buildChecker());
  // Workers' static assets take their headers from _headers: the verifier's workers' own policies.
  writeFileSync(`${out.replace(/\/$/, '')}/_headers`, Object.entries(WORKER_POLICIES).map(([path, policy]) => `${path}\n  Content-Security-Policy: ${policy}\n`).join(''));
  const sizes: Record<string, { bytes: number; gzip: number }> = {};
  for (const name of [...Object.keys(ENTRIES).map((e) => `${e}.js`), 'app.css', 'checker.html']) {
    const bytes = readFileSync(`${dir}/${name}`);
    sizes[name] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  return sizes;
}

const CHECKER_STYLE = `
body { font: 18px/1.5 system-ui, sans-serif; margin: 0; color: #111; background: #fff; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; }
dl { display: grid; grid-template-columns: 1fr; gap: .25rem; } dt { font-weight: 600; } dd { margin: 0 0 .75rem; }
code { font-size: 1.1rem; word-spacing: .3rem; overflow-wrap: anywhere; }
button { font: inherit; min-height: 48px; padding: .5rem 1rem; margin: .25rem .5rem .25rem 0; border: 2px solid #0b4f8a; border-radius: 6px; background: #0b4f8a; color: #fff; }
button + button { background: #fff; color: #0b4f8a; }
.alert { color: #8a0b0b; font-weight: 600; border-left: 4px solid #8a0b0b; padding-left: .75rem; }
.success { color: #0b5d1e; font-weight: 600; border-left: 4px solid #0b5d1e; padding-left: .75rem; }
`;

const sha256Base64 = (s: string) => createHash('sha256').update(s).digest('base64');

/**
 * The independent checker (client/checker.ts) as one HTML file: script and styles inline, pinned by
 * their hashes in the file's own Content-Security-Policy, so that wherever it is hosted it runs no
 * script but its own and connects only to the board its link names.
 */
export async function buildChecker(): Promise<string> {
  const out = await build({
    entryPoints: [here('./client/checker.ts')], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    treeShaking: true, legalComments: 'none', logLevel: 'warning', write: false,
  });
  const script = out.outputFiles[0]!.text.replace(/<\/(script)/gi, '<\\/$1');
  const csp = [
    "default-src 'none'", `script-src 'sha256-${sha256Base64(script)}'`, `style-src 'sha256-${sha256Base64(CHECKER_STYLE)}'`,
    'connect-src https: http:', "img-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>Check an opened ballot</title>
<style>${CHECKER_STYLE}</style>
</head>
<body>
<main>
<h1 id="title">Check an opened ballot</h1>
<p id="status" role="status">This page needs JavaScript.</p>
<section id="result" hidden>
<dl id="facts"></dl>
<div id="confirm" hidden><p id="confirm-ask"></p><button type="button" id="fp-yes"></button><button type="button" id="fp-no"></button></div>
<div id="opened" hidden>
<h2 id="held-title"></h2>
<dl id="held"></dl>
<div id="answer"><p id="ask"></p><button type="button" id="it-is"></button><button type="button" id="it-is-not"></button><p id="verdict" tabindex="-1" hidden></p>
<p><button type="button" id="save"></button></p></div>
</div>
</section>
</main>
<script type="module">${script}</script>
</body>
</html>
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await buildAssets(process.argv[2] ?? ASSETS_DIR);
  for (const [name, s] of Object.entries(sizes)) console.log(`${name.padEnd(20)} ${(s.bytes / 1024).toFixed(1).padStart(7)} KiB  ${(s.gzip / 1024).toFixed(1).padStart(6)} KiB gzip`);
  const checker = readFileSync(`${(process.argv[2] ?? ASSETS_DIR).replace(/\/$/, '')}/assets/checker.html`);
  console.log(`checker.html sha256 ${createHash('sha256').update(checker).digest('hex')}`);
}
