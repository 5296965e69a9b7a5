import { describe, expect, it } from 'vitest';
import { decodeRosterFile, decodeRosterFileYielding } from '../src/index.ts';

/** The bytes cut where a network might cut them: pieces of random sizes, some a single byte. */
function cut(bytes: Uint8Array, seed: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let x = seed;
  for (let at = 0; at < bytes.length;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const size = x % 5 === 0 ? 1 : 1 + (x % 300_000);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

const header = 'member_number,name,email,phone,good_standing\r\n';
const rows = (n: number, name: (i: number) => string) => Array.from({ length: n }, (_, i) => `${100000 + i},${name(i)},m${i}@example.org,,yes`).join('\r\n') + '\r\n';
const utf16 = (text: string, littleEndian: boolean, bom: boolean) => {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  const view = new DataView(out.buffer);
  if (bom) view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16((bom ? 2 : 0) + i * 2, text.charCodeAt(i), littleEndian);
  return out;
};
const cp1252 = (text: string) => Uint8Array.from(text, (ch) => (ch === 'Œ' ? 0x8c : ch.charCodeAt(0)));

describe('a roster file decoded as it arrived, in pieces', () => {
  // Each file is over a megabyte, so the service decodes it a piece at a time: the text must be the one
  // the whole file gives, wherever the pieces were cut (inside a UTF-8 character, between a UTF-16 unit's bytes).
  const files: [string, Uint8Array, string][] = [
    ['UTF-8 with accents and emoji', new TextEncoder().encode(header + rows(25_000, (i) => `Zoë Ødegård 🎬 ${i}`)), 'utf-8'],
    ['UTF-8 with a byte-order mark, semicolons', new TextEncoder().encode('\ufeff' + header.replaceAll(',', ';') + rows(40_000, (i) => `Inês ${i}`).replaceAll(',', ';')), 'utf-8'],
    ['Windows-1252 (Excel\'s plain "CSV"), its one non-UTF-8 byte near the end', cp1252(header + rows(40_000, (i) => (i === 39_990 ? 'Œdipe' : `Desiree ${i}`))), 'windows-1252'],
    ['UTF-16 little-endian with a mark (Excel\'s "Unicode text")', utf16(header.replaceAll(',', '\t') + rows(20_000, (i) => `Renée 𝄞 ${i}`).replaceAll(',', '\t'), true, true), 'utf-16le'],
    ['UTF-16 big-endian without a mark', utf16(header + rows(20_000, (i) => `Ana ${i}`), false, false), 'utf-16be'],
  ];
  for (const [what, bytes, encoding] of files) {
    it(`${what}: the same text, encoding and separator as the whole file gives`, async () => {
      expect(bytes.length).toBeGreaterThan(1 << 20);
      const whole = decodeRosterFile(bytes);
      expect(whole.encoding).toBe(encoding);
      for (const seed of [1, 2, 3]) {
        const decoded = await decodeRosterFileYielding(cut(bytes, seed));
        expect(decoded.encoding).toBe(encoding);
        expect(decoded.separator).toBe(whole.separator);
        expect(decoded.holdsNul).toBe(false);
        expect(decoded.text === whole.text).toBe(true);
      }
      expect((await decodeRosterFileYielding([bytes])).text === whole.text).toBe(true);
    });
  }

  it('says when the text holds a NUL, wherever it is', async () => {
    const bytes = new TextEncoder().encode(header + rows(30_000, (i) => (i === 29_000 ? 'Ana\u0000' : `Ana ${i}`)));
    expect(bytes.length).toBeGreaterThan(1 << 20);
    expect((await decodeRosterFileYielding(cut(bytes, 7))).holdsNul).toBe(true);
    expect((await decodeRosterFileYielding([new TextEncoder().encode(header + '1,A\u0000,a@example.org,,yes\r\n')])).holdsNul).toBe(true);
    expect((await decodeRosterFileYielding([])).text).toBe('');
  });
});
