/**
 * Serving /assets/* from a built directory (Node; under workerd the ASSETS binding serves them).
 * Only flat names of built files: nothing outside the directory can be asked for.
 */
import { readFile } from 'node:fs/promises';
import { ASSETS_DIR } from './assets-build.ts';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };

export function fileAssets(root = ASSETS_DIR): (path: string) => Promise<Response | undefined> {
  return async (path) => {
    const m = /^\/assets\/([a-z0-9-]+)\.(js|css|html)$/.exec(path);
    if (!m) return undefined;
    try {
      const body = await readFile(`${root.replace(/\/$/, '')}/assets/${m[1]}.${m[2]}`);
      return new Response(body, { headers: { 'content-type': TYPES[m[2]!]!, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } });
    } catch {
      return undefined;
    }
  };
}
