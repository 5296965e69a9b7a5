import { describe, expect, it } from 'vitest';
import { parseCsv, parseRoster } from '../src/index.ts';

describe('CSV reading (RFC 4180)', () => {
  it('reads quoted fields with commas, quotes and line breaks, and keeps the starting line', () => {
    const records = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
    ]);
  });
  it('refuses an unclosed quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/line 2/);
  });
});

describe('roster files', () => {
  const header = 'member_number,name,email,phone,good_standing\n';

  it('reads a good roster in any column order, case-insensitive', () => {
    const r = parseRoster('Name,Member_Number,Good Standing,Email,Phone\n"Rivera, Ana",700-1001,yes,ANA@example.org,\nBo Chen,700-1002,no,,+1 (323) 555-0100\n');
    expect(r).toEqual({
      ok: true,
      members: [
        { memberNumber: '700-1001', name: 'Rivera, Ana', email: 'ana@example.org', phone: null, goodStanding: true },
        { memberNumber: '700-1002', name: 'Bo Chen', email: null, phone: '+1 (323) 555-0100', goodStanding: false },
      ],
    });
  });

  it('reports every bad row by line and reason', () => {
    const r = parseRoster(header + [
      '1001,Ana Rivera,ana@example.org,,yes', // line 2: good
      '1002,,bo@example.org,,yes', // line 3: missing name
      '1001,Cy Duran,cy@example.org,,yes', // line 4: duplicate
      '1003,Di Evans,not-an-email,,yes', // line 5: bad e-mail
      '1004,Ed Fox,,,yes', // line 6: no contact
      '1005,Flo Gray,flo@example.org,,maybe', // line 7: bad standing
      '1006,Gus Hall,gus@example.org', // line 8: short row
    ].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'name'], [4, 'member_number'], [5, 'email'], [6, 'email'], [7, 'good_standing'], [8, undefined],
    ]);
    expect(r.errors[1]!.reason).toMatch(/duplicate member number 1001 \(first on line 2\)/);
    expect(r.errors[3]!.reason).toMatch(/missing contact/);
  });

  it('refuses a file without the needed columns, or empty', () => {
    expect(parseRoster('id,name\n1,A\n')).toMatchObject({ ok: false, errors: [{ line: 1, field: 'id' }, { field: 'member_number' }, { field: 'good_standing' }, { field: 'email' }] });
    expect(parseRoster('')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(parseRoster(header)).toMatchObject({ ok: false, errors: [{ reason: 'the roster has no members' }] });
  });
});

import { codeProblem, formatCode, normalizeCode, CODE_BITS } from '../src/index.ts';

describe('voting codes', () => {
  it('carry 100 random bits in four groups of five unambiguous characters', () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(100);
    const code = formatCode(crypto.getRandomValues(new Uint8Array(13)));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    const seen = new Set(Array.from({ length: 1000 }, () => formatCode(crypto.getRandomValues(new Uint8Array(13)))));
    expect(seen.size).toBe(1000);
  });

  it('forgive case, spaces, dashes and look-alike letters when typed', () => {
    const code = 'K7QM4-XPD9R-TAWB3-HN2CE';
    expect(normalizeCode('k7qm4 xpd9r tawb3 hn2ce')).toBe(code);
    expect(normalizeCode('K7QM4XPD9RTAWB3HN2CE')).toBe(code);
    expect(normalizeCode('10000-00000-00000-0000O')).toBe('10000-00000-00000-00000');
    expect(normalizeCode('I0000-00000-00000-0000L')).toBe('10000-00000-00000-00001');
  });

  it('say what is wrong with a mistyped code', () => {
    expect(normalizeCode('K7QM4-XPD9R-TAWB3-HN2C')).toBeNull();
    expect(codeProblem('K7QM4-XPD9R-TAWB3-HN2C')).toMatch(/20 characters.*this one has 19/);
    expect(codeProblem('K7QM4-XPD9R-TAWB3-HN2U!')).toMatch(/check the characters U !/);
    expect(codeProblem('K7QM4-XPD9R-TAWB3-HN2CE')).toBeNull();
  });
});
