/**
 * The verifier's report: named checks, each with what it found. A check that throws (a value the
 * decoders refuse, anything unforeseen) fails with the reason instead of ending the run: the
 * verifier reports, it never crashes.
 */

export interface Check {
  /** Stable id (docs/election-record.md lists them). */
  id: string;
  name: string;
  ok: boolean;
  details: string[];
}

export interface Report {
  ok: boolean;
  /**
   * True when the record was checked against a fingerprint given from outside (the letter, the
   * trustees' announcement); false when it was checked only against itself.
   */
  anchored: boolean;
  /** The manifest's fingerprint, when the record has a readable manifest. */
  fingerprint?: string;
  checks: Check[];
}

const FAIL = /^FAIL /;

/** Collects checks. Details starting with "FAIL " fail their check (the prefix is dropped). */
export class Checks {
  readonly list: Check[] = [];

  add(id: string, name: string, details: string[], ok = details.every((d) => !FAIL.test(d))): boolean {
    this.list.push({ id, name, ok, details: details.slice(0, 200).map((d) => d.replace(FAIL, '')) });
    return ok;
  }

  /** Runs `body` for the check's details; an exception fails the check and says why. */
  run(id: string, name: string, body: () => string[]): boolean {
    let details: string[];
    try {
      details = body();
    } catch (e) {
      details = [`FAIL could not be checked: ${messageOf(e)}`];
    }
    return this.add(id, name, details.length ? details : ['nothing to check']);
  }

  async runAsync(id: string, name: string, body: () => Promise<string[]>): Promise<boolean> {
    let details: string[];
    try {
      details = await body();
    } catch (e) {
      details = [`FAIL could not be checked: ${messageOf(e)}`];
    }
    return this.add(id, name, details.length ? details : ['nothing to check']);
  }

  ok(id: string): boolean {
    return this.list.find((c) => c.id === id)?.ok ?? false;
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Problems first (at most `max`, then a count), or the one line that says all is well. */
export function failures(problems: readonly string[], whenFine: string | string[], max = 50): string[] {
  if (problems.length === 0) return Array.isArray(whenFine) ? whenFine : [whenFine];
  const shown = problems.slice(0, max).map((p) => `FAIL ${p}`);
  if (problems.length > max) shown.push(`FAIL … and ${problems.length - max} more`);
  return shown;
}
