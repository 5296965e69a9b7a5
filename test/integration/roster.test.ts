import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type Client, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

let t: TestApp;
let secretary: Client;
const csv = { 'content-type': 'text/csv' };
const header = 'member_number,name,email,phone,good_standing\n';

beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals: [{ id: '700', name: 'Motion Picture Editors Guild', delegates: 70 }] });
  secretary = await t.userWith('secretary', { locals: ['700'] });
});
afterAll(() => t.close());

const members = async () => (await secretary.get('/api/locals/700/members?limit=1000')).body;

describe(`roster import on ${TEST_DB}`, () => {
  it('imports a good file', async () => {
    const res = await secretary.post('/api/locals/700/roster', header + '1001,Ana Rivera,ana@example.org,,yes\n1002,"Chen, Bo",,+1 323 555 0100,no\n', csv);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect((await members()).members.map((m: any) => [m.memberNumber, m.name, m.goodStanding])).toEqual([['1001', 'Ana Rivera', true], ['1002', 'Chen, Bo', false]]);
  });

  it('refuses a bad file whole: every bad row reported by line and reason, nothing written', async () => {
    const res = await secretary.post('/api/locals/700/roster', header + [
      '1003,Cy Duran,cy@example.org,,yes',
      '1004,Di Evans,di@@example,,yes',
      '1003,Cy Again,cy2@example.org,,yes',
      '1005,,ed@example.org,,yes',
    ].join('\n'), csv);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_roster');
    expect(res.body.error.message).toMatch(/^3 bad rows; nothing was imported\. Line 3: bad e-mail address/);
    expect(res.body.error.rows).toEqual([
      { line: 3, field: 'email', reason: 'bad e-mail address "di@@example"' },
      { line: 4, field: 'member_number', reason: 'duplicate member number 1003 (first on line 2)' },
      { line: 5, field: 'name', reason: 'missing name' },
    ]);
    expect((await members()).total).toBe(2);
  });

  it('re-importing updates members and never duplicates them', async () => {
    const file = header + '1001,Ana Rivera,ana@example.org,,yes\n1002,"Chen, Bo",bo@example.org,+1 323 555 0100,yes\n1006,Flo Gray,flo@example.org,,yes\n';
    expect((await secretary.post('/api/locals/700/roster', file, csv)).body).toEqual({ total: 3, inserted: 1, updated: 1, unchanged: 1 });
    expect((await secretary.post('/api/locals/700/roster', file, csv)).body).toEqual({ total: 3, inserted: 0, updated: 0, unchanged: 3 });
    const list = await members();
    expect(list.total).toBe(3);
    expect(list.members.find((m: any) => m.memberNumber === '1002')).toMatchObject({ email: 'bo@example.org', goodStanding: true });
  });

  it('marks a member in or out of good standing', async () => {
    expect((await secretary.patch('/api/locals/700/members/1001', { goodStanding: false })).status).toBe(204);
    expect((await secretary.get('/api/locals/700/members?goodStanding=false')).body.members.map((m: any) => m.memberNumber)).toEqual(['1001']);
    expect((await secretary.patch('/api/locals/700/members/9999', { goodStanding: false })).status).toBe(404);
    expect((await secretary.patch('/api/locals/700/members/1001', { goodStanding: 'no' })).body.error.field).toBe('goodStanding');
  });

  it('refuses what is not CSV, and names a bad query parameter', async () => {
    expect((await secretary.post('/api/locals/700/roster', { members: [] })).status).toBe(415);
    const bad = await secretary.get('/api/locals/700/members?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('query.limit');
  });

  it('imports thousands of members across several insert batches, and re-imports them as unchanged', async () => {
    await t.admin.put('/api/locals', { locals: [{ id: '600', name: 'International Cinematographers Guild', delegates: 80 }] });
    const rows = Array.from({ length: 4500 }, (_, i) => `${600000 + i},Member ${i},m${i}@example.org,,${i % 7 ? 'yes' : 'no'}`);
    const file = header + rows.join('\n') + '\n';
    expect((await t.admin.post('/api/locals/600/roster', file, csv)).body).toEqual({ total: 4500, inserted: 4500, updated: 0, unchanged: 0 });
    const changed = file.replace('602999,Member 2999,', '602999,Member 2999 (new name),');
    expect((await t.admin.post('/api/locals/600/roster', changed, csv)).body).toEqual({ total: 4500, inserted: 0, updated: 1, unchanged: 4499 });
    const page = await t.admin.get('/api/locals/600/members?limit=1&offset=2999');
    expect(page.body).toMatchObject({ total: 4500, members: [{ memberNumber: '602999', name: 'Member 2999 (new name)' }] });
  });

  it('reads the files offices save: Excel\'s plain "CSV" (Windows-1252), with its trailing empty rows, and "Unicode text" (UTF-16, tabs)', async () => {
    // Excel's "CSV" on a Western Windows: Windows-1252, CRLF, and rows of empty cells after the data.
    const cp1252 = Buffer.concat([
      Buffer.from('member_number,name,email,phone,good_standing\r\n2001,José Núñez,jose@example.org,,yes\r\n2002,', 'latin1'),
      Buffer.from([0x8c]), Buffer.from('dipe Zoë Ångström,oe@example.org,,yes\r\n,,,,\r\n,,,,\r\n', 'latin1'), // 0x8C is Œ in Windows-1252
    ]);
    const res = await secretary.post('/api/locals/700/roster', new Uint8Array(cp1252), csv);
    expect([res.status, res.body.inserted]).toEqual([200, 2]);
    const names = (await members()).members.map((m: any) => m.name);
    expect(names).toContain('José Núñez');
    expect(names).toContain('Œdipe Zoë Ångström');
    expect(names.join('')).not.toContain('\ufffd');

    // Excel's "Unicode text": UTF-16 little-endian with a byte-order mark, tab-separated.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('member_number\tname\temail\tphone\tgood_standing\r\n2003\tRenée Ødegård\trenee@example.org\t\tyes\r\n', 'utf16le')]);
    const res16 = await secretary.post('/api/locals/700/roster', new Uint8Array(utf16), csv);
    expect([res16.status, res16.body.inserted]).toEqual([200, 1]);
    expect((await members()).members.map((m: any) => m.name)).toContain('Renée Ødegård');
  });

  it('reads a large Windows-1252 file (decoded a megabyte at a time) as well as a small one', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${300000 + i},Désirée Müller ${i},d${i}@example.org,,yes`);
    const big = Buffer.from(`member_number,name,email,phone,good_standing\r\n${rows.join('\r\n')}\r\n`, 'latin1');
    expect(big.length).toBeGreaterThan(1 << 20);
    const res = await secretary.post('/api/locals/700/roster', new Uint8Array(big), csv);
    expect([res.status, res.body.inserted]).toEqual([200, 25_000]);
    const page = (await secretary.get('/api/locals/700/members?limit=1000')).body.members.map((m: any) => m.name);
    expect(page.filter((n: string) => n.startsWith('Désirée Müller '))).not.toHaveLength(0);
  });

  it('reads a file sent in pieces without a declared length (pieces split inside characters), and refuses one past 32 MB', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${400000 + i},Zoë Ødegård ${i},z${i}@example.org,,yes`);
    const bytes = new TextEncoder().encode(`${header}${rows.join('\n')}\n`);
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const res = await secretary.post('/api/locals/700/roster', streamOf(bytes, 4093), csv);
    expect([res.status, res.body.inserted]).toEqual([200, 30_000]);
    // Members list by member number: the last of this file is the last of the local's roster.
    const { total } = await members();
    const last = await secretary.get(`/api/locals/700/members?limit=1&offset=${total - 1}`);
    expect(last.body.members.map((m: any) => [m.memberNumber, m.name])).toEqual([['429999', 'Zoë Ødegård 29999']]);

    // 32 MB and one byte more, in 1 MB pieces with no length declared: refused, naming the limit, nothing imported.
    const before = (await members()).total;
    const line = new TextEncoder().encode('9,x,x@example.org,,yes\n'.padStart(1 << 20, ' '));
    let sent = 0;
    const tooLarge = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 32 * 1024 * 1024) return controller.close();
        const piece = sent === 0 ? new TextEncoder().encode(header) : sent + line.length > 32 * 1024 * 1024 ? line.subarray(0, 32 * 1024 * 1024 + 1 - sent) : line;
        sent += piece.length;
        controller.enqueue(piece);
      },
    });
    const refused = await secretary.post('/api/locals/700/roster', tooLarge, csv);
    expect([refused.status, refused.body.error.message]).toEqual([413, `a roster file may be at most ${32 * 1024 * 1024} bytes`]);
    expect((await members()).total).toBe(before);
  });

  it('reads European Excel\'s semicolons, and refuses names with hidden control or text-direction characters, naming the line', async () => {
    const semicolons = '\ufeffmember_number;name;email;phone;good_standing\r\n2004;"Ferreira; Inês";ines@example.org;;yes\r\n';
    const res = await secretary.post('/api/locals/700/roster', semicolons, csv);
    expect([res.status, res.body.inserted]).toEqual([200, 1]);
    expect((await members()).members.map((m: any) => m.name)).toContain('Ferreira; Inês');

    const hidden = await secretary.post('/api/locals/700/roster', header + '2005,Ana\u202eanA,ana2@example.org,,yes\n2006,Bell\u0007,bell@example.org,,yes\n', csv);
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.rows).toEqual([
      { line: 2, field: 'name', reason: 'the name holds an invisible control or text-direction character; type it again in the spreadsheet' },
      { line: 3, field: 'name', reason: 'the name holds an invisible control or text-direction character; type it again in the spreadsheet' },
    ]);
    // A file that is not text at all says how to save a roster.
    const binary = await secretary.post('/api/locals/700/roster', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]), csv);
    expect([binary.status, binary.body.error.message]).toEqual([400, expect.stringContaining('Save As › "CSV UTF-8 (Comma delimited)"')]);
  });

  it('refuses a roster for a local that does not exist', async () => {
    expect((await t.admin.post('/api/locals/12345/roster', header + '1,A,a@example.org,,yes\n', csv)).status).toBe(404);
  });
});

/** The bytes as a stream of pieces of `size` bytes, as a network delivers a body sent without a length. */
function streamOf(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}
