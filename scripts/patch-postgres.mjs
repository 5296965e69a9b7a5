// Run by `npm install` (postinstall). postgres.js 3.4.9 defers small writes with setImmediate; if the
// connection closes first, the deferred write dereferences a null socket and throws from a timer,
// which no caller can catch and which takes the whole Node process down (porsager/postgres#1154,
// #1208; the guard below is that of the open upstream PR #1168). The pending queries were already
// rejected with CONNECTION_CLOSED, so dropping the write is safe. The project's PostgreSQL fault
// test crashes the server under load and fails without this. Idempotent; remove once a release has it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const before = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const after = '  function nextWrite(fn) {\n    if (socket === null) { // patched by union-vote: porsager/postgres#1154\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      return false\n    }\n    const x = socket.write(chunk, fn)';

// The package does not export its package.json: find its root from the entry point (…/cjs/src/index.js).
let root;
try {
  root = dirname(createRequire(import.meta.url).resolve('postgres'));
  const isRoot = (dir) => existsSync(join(dir, 'package.json')) && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'postgres';
  while (!isRoot(root)) {
    if (dirname(root) === root) throw new Error('postgres root not found');
    root = dirname(root);
  }
} catch {
  process.exit(0); // not installed (yet): nothing to patch
}
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
let patched = 0;
for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js']) {
  const path = join(root, file);
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  if (text.includes('patched by union-vote')) continue;
  if (!text.includes(before)) {
    console.warn(`patch-postgres: ${file} of postgres ${version} does not look as expected; not patched (check porsager/postgres#1154 is fixed in this version)`);
    continue;
  }
  writeFileSync(path, text.replace(before, after));
  patched++;
}
if (patched) console.log(`patch-postgres: guarded nextWrite against a closed socket in ${patched} file(s) of postgres ${version}`);
