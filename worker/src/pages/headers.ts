/**
 * Security headers for every page. The voting page holds the member's choice before it is
 * encrypted, so no script may run but the same-origin bundles: no inline script, no eval, no
 * third-party origin, no framing.
 */
import type { Context, MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The board's verifier runs in Web Workers, which take their policy from their own script's response
 * (CSP Level 3 §4.2.2), not the page's: the record's worker may fetch the record and start the ballot
 * workers; only the ballot workers may compile WebAssembly (libsodium), and nothing else anywhere may.
 */
export const WORKER_POLICIES: Record<string, string> = {
  '/assets/verify-worker.js': "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'",
  '/assets/verify-slice.js': "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'",
};

export function pageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setPageHeaders(c);
  };
}

/** The headers every page carries (also the not-found page the app answers a browser with). */
export function setPageHeaders(c: Context): void {
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
}
