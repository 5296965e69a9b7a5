/**
 * `format`: the record has exactly the documented structure (record.ts), and the vote definition
 * inside the manifest is exactly what the definition's schema writes: no unknown, missing or
 * defaulted field. Anything else (junk fields, a script in a ballot, a number where a hash belongs)
 * is named by its path.
 */
import { ElectionRecord, canonicalJson, fieldIssues } from '@union-vote/election';
import type { Checks } from '../report.ts';

/** The path of the first place where two JSON values differ, or null if they are equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return path || '(top)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const sub = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (!(k in a) || !(k in b)) return sub;
    const d = firstDifference(a[k], b[k], sub);
    if (d !== null) return d;
  }
  return null;
}

/** Whether a JSON value nests deeper than `max` (counted without recursion, so any depth is safe). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}

/** No record nests deeper than this (a ballot proof is 7 levels in, a combined rule some 10). */
const MAX_DEPTH = 48;

export function checkFormat(input: unknown, checks: Checks): ElectionRecord | null {
  const name = 'the record has exactly the documented structure';
  if (nestsDeeperThan(input, MAX_DEPTH)) {
    checks.add('format', name, [`FAIL the record nests deeper than ${MAX_DEPTH} levels; no record does`], false);
    return null;
  }
  const parsed = ElectionRecord.safeParse(input);
  if (!parsed.success) {
    checks.add('format', name, fieldIssues(parsed.error).slice(0, 20).map((i) => `FAIL ${i.field}: ${i.message}`), false);
    return null;
  }
  const given = (input as { manifest: { definition: unknown } }).manifest.definition;
  if (canonicalJson(parsed.data.manifest.definition) !== canonicalJson(given)) {
    const where = firstDifference(JSON.parse(canonicalJson(parsed.data.manifest.definition)), JSON.parse(canonicalJson(given)));
    checks.add('format', name, [`FAIL manifest.definition.${where}: not as the vote definition's schema writes it (a field unknown, missing or given another form)`], false);
    return null;
  }
  const r = parsed.data;
  checks.add('format', name, [`format ${r.format}, vote ${r.manifest.voteId} (${r.status}), ${r.ballots.length} ballots, ${r.acts.length} official acts, ${r.issuanceLog.length} issuance entries`]);
  return r;
}
