/**
 * The API reference: /openapi.json (generated from the zod schemas) and /docs, a readable page
 * rendered here from the same document (no third-party scripts).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import type { AppEnv } from '../env.ts';

type Doc = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function resolve(doc: Doc, schema: unknown): unknown {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  return ref ? (doc.components?.schemas as Record<string, unknown> | undefined)?.[ref.split('/').pop()!] : schema;
}

export function renderReference(doc: Doc): string {
  const ops: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      const params = (op.parameters ?? []).map((p: any) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''})</li>`).join('');
      const body = op.requestBody?.content ? Object.entries(op.requestBody.content as Record<string, any>).map(([type, c]) =>
        `<details><summary>Body: ${esc(type)}</summary><pre>${esc(JSON.stringify(resolve(doc, c.schema), null, 2))}</pre></details>`).join('') : '';
      const responses = Object.entries(op.responses ?? {}).map(([code, r]: [string, any]) => `<li><b>${esc(code)}</b> ${esc(r.description)}</li>`).join('');
      ops.push(`<section id="${esc(op.operationId ?? method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ''}${body}<h4>Responses</h4><ul>${responses}</ul></section>`);
    }
  }
  return String(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — API reference</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;color:#1a1a1a}section{border-top:1px solid #ccc;padding:.5rem 0}
code,pre{font:14px ui-monospace,monospace}pre{background:#f4f4f4;padding:.5rem;overflow:auto}.m{display:inline-block;min-width:4.5rem;font-weight:700}
.get{color:#0a5}.post{color:#06c}.put,.patch{color:#a50}.delete{color:#b00}</style></head>
<body><h1>${doc.info.title}</h1><p>${doc.info.description ?? ''} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<p>Errors are always <code>{"error": {"code", "message", "field"?}}</code>. Scripts authenticate with <code>Authorization: Bearer uvt_…</code>; browsers with the session cookie and an <code>X-CSRF-Token</code> header on changes.</p>
${raw(ops.join('\n'))}</body></html>`);
}
