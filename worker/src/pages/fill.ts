/** Fills `{name}` placeholders in one pass (a value holding `{x}` is not filled again); an unknown name stays as written. Shared by the server's pages and the page scripts. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`));
}
