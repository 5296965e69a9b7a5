import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  FIRST_PREV, checkIssuanceLog, codePseudonym, compactFingerprint, eligibleFromActs, findCode, fingerprintOf, issuanceEntryHash, normalizeFingerprint,
  type Act, type IssuanceEntry,
} from '../src/index.ts';

const voteId = 'strike-2026';
const code = (i: number) => `K7QM4-XPD9R-TAWB3-HN2C${'0123456789ABCDEF'[i]}`;
const p = (i: number) => codePseudonym(voteId, code(i));

/** A chained log of (kind, local, pseudonyms) entries; signatures are "ok" for the test. */
function log(rows: [IssuanceEntry['kind'], string, string[]][]): IssuanceEntry[] {
  let prev = FIRST_PREV;
  return rows.map(([kind, localId, pseudonyms], seq) => {
    const body = { seq, at: new Date(Date.UTC(2026, 10, 23, 10, seq)).toISOString(), localId, kind, pseudonyms: [...pseudonyms].sort(), prev };
    const hash = issuanceEntryHash(voteId, body);
    prev = hash;
    return { ...body, hash, signature: 'ok' };
  });
}
const ctx = { voteId, localIds: new Set(['700', '600']), verifySignature: (_: string, sig: string) => sig === 'ok' };

describe('code pseudonyms', () => {
  it('are the same however the member types the code, differ per vote and per code, and do not show the code', () => {
    expect(codePseudonym(voteId, 'k7qm4 xpd9r tawb3 hn2c0')).toBe(p(0));
    expect(codePseudonym('ratify-2026', code(0))).not.toBe(p(0));
    expect(p(1)).not.toBe(p(0));
    expect(p(0)).toMatch(/^[0-9a-f]{32}$/);
    expect(p(0)).not.toContain('K7QM4');
  });
});

describe('the issuance log', () => {
  it('counts per local what was issued, revoked and spent on a token', () => {
    const entries = log([['issued', '700', [p(0), p(1), p(2)]], ['issued', '600', [p(3)]], ['revoked', '700', [p(2)]], ['issued', '700', [p(4)]], ['tokens', '700', [p(0), p(4)]]]);
    const { problems, locals } = checkIssuanceLog(entries, ctx);
    expect(problems).toEqual([]);
    expect(locals.get('700')).toEqual({ issued: 4, revoked: 1, tokens: 2 });
    expect(locals.get('600')).toEqual({ issued: 1, revoked: 0, tokens: 0 });
  });

  it('refuses a token on a revoked, unknown or other local\'s code, a second token, and a code issued twice', () => {
    const problems = checkIssuanceLog(log([
      ['issued', '700', [p(0), p(1)]], ['revoked', '700', [p(1)]], ['tokens', '700', [p(1)]], ['tokens', '700', [p(9)]],
      ['tokens', '600', [p(0)]], ['tokens', '700', [p(0)]], ['tokens', '700', [p(0)]], ['issued', '600', [p(0)]],
    ]), ctx).problems;
    expect(problems).toEqual([
      expect.stringMatching(/entry 2 .*already revoked/), expect.stringMatching(/entry 3 .*never issued in local 700/),
      expect.stringMatching(/entry 4 .*never issued in local 600/), expect.stringMatching(/entry 6 .*already drew a token/),
      expect.stringMatching(/entry 7 .*already issued/),
    ]);
  });

  it('is a chain: an entry dropped, altered or unsigned is named', () => {
    const entries = log([['issued', '700', [p(0), p(1)]], ['tokens', '700', [p(0)]], ['tokens', '700', [p(1)]]]);
    expect(checkIssuanceLog([entries[0]!, entries[2]!], ctx).problems.join()).toMatch(/entry 1 .*numbered 2.*chain broken/);
    const altered = structuredClone(entries);
    altered[1]!.pseudonyms = [p(1)];
    expect(checkIssuanceLog(altered, ctx).problems.join()).toMatch(/entry 1 .*hash does not match/);
    expect(checkIssuanceLog(entries.map((e) => ({ ...e, signature: 'forged' })), ctx).problems.join()).toMatch(/not signed by the board key/);
  });

  it('lets a member find their code, and only theirs', () => {
    const entries = log([['issued', '700', [p(0), p(1)]], ['revoked', '700', [p(1)]], ['tokens', '700', [p(0)]]]);
    expect(findCode(entries, p(0))).toMatchObject({ localId: '700', issued: { seq: 0 }, token: { seq: 2 } });
    expect(findCode(entries, p(1))).toMatchObject({ revoked: { seq: 1 } });
    expect(findCode(entries, p(5))).toBeUndefined();
  });
});

describe('eligible counts from the signed acts', () => {
  const act = (seq: number, a: Partial<Act>): Act => ({ seq, at: '2026-11-23T10:00:00.000Z', role: 'admin', localId: null, act: 'vote defined', details: {}, prev: '', hash: '', signature: null, ...a });
  it('start from the manifest and follow each roster act after the last sealing', () => {
    const acts = [
      act(0, { act: 'vote defined' }), act(1, { act: 'roster imported', localId: '700', details: { eligible: 99 } }), act(2, { act: 'vote sealed' }),
      act(3, { act: 'roster imported', localId: '700', details: { eligible: 41 } }), act(4, { act: 'vote withdrawn' }), act(5, { act: 'vote sealed' }),
      act(6, { act: 'good standing changed', localId: '600', details: { eligible: 9 } }),
    ];
    expect(Object.fromEntries(eligibleFromActs({ '700': 40, '600': 10 }, acts))).toEqual({ '700': 40, '600': 9 });
  });
});

describe('fingerprints', () => {
  it('are 160 bits in 8 groups of 4, read back however they are typed', () => {
    const fp = fingerprintOf(new TextEncoder().encode('{"a":1}'));
    expect(fp).toMatch(/^([0-9A-HJKMNP-TV-Z]{4} ){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeFingerprint(compactFingerprint(fp).toLowerCase())).toBe(fp);
    expect(normalizeFingerprint(fp.replace(/ /g, '-'))).toBe(fp);
    expect(normalizeFingerprint(fp.slice(0, 30))).toBeNull();
    expect(fingerprintOf(new TextEncoder().encode('{"a":2}'))).not.toBe(fp);
    // The first 160 bits of SHA-256, in order.
    const digest = sha256(new TextEncoder().encode('{"a":1}'));
    const first = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[digest[0]! >> 3];
    expect(fp[0]).toBe(first);
  });
});
