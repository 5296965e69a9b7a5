/** The page shell: one stylesheet and same-origin module scripts, data for scripts as JSON blocks. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

export function Page(props: { lang: string; title: string; scripts?: string[]; data?: unknown; children: Child; wide?: boolean }) {
  return (
    <>{raw('<!doctype html>')}<html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        {props.data === undefined ? null : <script type="application/json" id="page-data" dangerouslySetInnerHTML={{ __html: jsonForScript(props.data) }}></script>}
        {(props.scripts ?? []).map((s) => <script type="module" src={`/assets/${s}`}></script>)}
      </head>
      <body class={props.wide ? 'wide' : ''}>{props.children}</body>
    </html></>
  );
}

/** JSON that cannot end its <script> block early (nor open a comment or CDATA in it). */
function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
