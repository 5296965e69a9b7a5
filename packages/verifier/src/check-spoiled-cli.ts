/**
 * `union-vote-verify check-spoiled <checker link>`
 * `union-vote-verify check-spoiled --board URL --vote ID --ballot COMMITMENT [--fingerprint FP]`
 * `union-vote-verify check-spoiled --record record.json --ballot COMMITMENT [--fingerprint FP]`
 *
 * Checks one ballot a member opened with "Check it first", fetched from the board (or read from the
 * election record), as the checker page does: prints each check, the ballot's check code and the
 * choice it held. Exits 0 when the ballot opens honestly (its member then compares the choice with
 * theirs), 1 when a check fails (the page that made it cheated or is broken), 2 on bad usage.
 */
import { readFileSync } from 'node:fs';
import { checkSpoiledBallot } from './spoiled-ballot.ts';

const USAGE = [
  'usage: union-vote-verify check-spoiled <checker link>',
  '       union-vote-verify check-spoiled --board URL --vote ID --ballot COMMITMENT [--fingerprint FP]',
  '       union-vote-verify check-spoiled --record record.json --ballot COMMITMENT [--fingerprint FP]',
].join('\n');

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (e) {
    return usage(`cannot reach ${url}: ${(e as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as any;
  if (!res.ok && res.status !== 202) usage(`${url} answered ${res.status}: ${body?.error?.message ?? 'not JSON'}`);
  return { status: res.status, body };
}

export async function main(args: string[]): Promise<never> {
  const o = new Map<string, string>();
  let link: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (['--board', '--vote', '--ballot', '--fingerprint', '--record'].includes(a)) {
      const v = args[++i];
      if (v === undefined) usage(`${a} needs a value`);
      o.set(a, v);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (link) usage('give one checker link');
    else link = a;
  }
  let fromLink: unknown;
  if (link) {
    let fragment: URLSearchParams;
    try {
      fragment = new URLSearchParams(new URL(link).hash.slice(1));
    } catch {
      return usage(`not a link: ${link}`);
    }
    // The link's fingerprint is the voting page's word, not the letter's: it anchors nothing here.
    for (const [k, v] of [['--board', 'board'], ['--vote', 'vote'], ['--ballot', 'ballot']] as const) {
      const value = fragment.get(v);
      if (value && !o.has(k)) o.set(k, value);
    }
    // The opening itself, which the voting page puts in the link: checked whatever the board shows.
    const open = fragment.get('open');
    if (open) {
      try {
        fromLink = JSON.parse(Buffer.from(open, 'base64url').toString('utf8'));
      } catch {
        usage('the link\'s opened ballot cannot be read');
      }
    }
  }
  const commitment = o.get('--ballot');
  if (!commitment || !/^[0-9a-f]{64}$/.test(commitment)) usage('give the ballot\'s commitment (64 hex characters; the checker link carries it)');
  let board: { manifest: unknown; manifestSignature: unknown; approvals: unknown };
  let spoiled: unknown;
  let signature: string | undefined;
  let withheld = false;
  const recordFile = o.get('--record');
  if (recordFile) {
    let record: { manifest: unknown; manifestSignature: unknown; approvals: unknown; spoiled?: { commitment?: string }[] };
    try {
      record = JSON.parse(readFileSync(recordFile, 'utf8'));
    } catch (e) {
      return usage(`cannot read ${recordFile}: ${(e as Error).message}`);
    }
    board = record;
    spoiled = record.spoiled?.find((s) => s?.commitment === commitment);
    if (!spoiled) {
      console.log(`FAIL  the record lists no spoiled ballot with commitment ${commitment}: the board dropped the opened ballot, or the link is wrong`);
      process.exit(1);
    }
  } else {
    const base = o.get('--board');
    const voteId = o.get('--vote');
    if (!base || !voteId) usage('give the board\'s address and the vote (or the checker link, or --record)');
    const api = `${base.replace(/\/$/, '')}/api/board/${encodeURIComponent(voteId)}`;
    board = (await getJson(api)).body;
    spoiled = fromLink;
    for (let tries = 0; ; tries++) {
      const res = await fetch(`${api}/spoiled/${commitment}`).catch(() => undefined);
      const body = res && (await res.json().catch(() => null)) as { spoiled?: unknown; signature?: string } | null;
      if (res?.status === 200 && body) {
        if (fromLink !== undefined && JSON.stringify(canonical(body.spoiled)) !== JSON.stringify(canonical(fromLink))) {
          console.log('FAIL  the board publishes another opened ballot under this commitment than the link carries');
          process.exit(1);
        }
        spoiled = body.spoiled;
        signature = String(body.signature ?? '');
        break;
      }
      if (tries >= (fromLink === undefined ? 120 : 30)) {
        if (fromLink === undefined) {
          console.log(`FAIL  the board has not shown the opened ballot ${commitment} for two minutes: the check failed; do not cast on that page, and tell the monitors`);
          process.exit(1);
        }
        withheld = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const report = checkSpoiledBallot(board, spoiled, { commitment, fingerprint: o.get('--fingerprint'), ...(signature ? { signature } : {}) });
  if (withheld) console.log('WARNING: the board has not published this opened ballot, though it should have within a minute: it may be hiding it. What follows is checked from the link alone; keep the link and tell the monitors.');
  for (const c of report.checks) {
    console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.id.padEnd(18)} ${c.name}`);
    for (const d of c.details.slice(0, 10)) console.log(`      ${d}`);
  }
  console.log(`\nCheck code: ${report.checkCode} (compare it with the code the voting page showed before you chose "Check it first")`);
  if (report.ok) {
    console.log('This ballot held:');
    for (const h of report.held) console.log(`  ${h.question}: ${h.choice.toUpperCase()}`);
    console.log('If this is not what you chose, the voting page is cheating: do not cast a ballot on it, and tell the monitors.');
    if (!report.anchored) console.log(`WARNING: no fingerprint was given (--fingerprint, from your letter), so the vote's keys were not checked against it: a cheating page's link can lead to a board of its own. The manifest's fingerprint is ${report.fingerprint}: compare it with your letter.`);
  } else {
    console.log('This ballot does NOT check: the voting page that made it is cheating or broken. Do not cast a ballot on it; tell the monitors.');
  }
  process.exit(report.ok ? 0 : 1);
}

/** Keys sorted, for comparing two JSON values whatever their key order. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}
