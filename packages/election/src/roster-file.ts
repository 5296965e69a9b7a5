/**
 * A roster file as offices save it, turned into text: the encoding and the separator are detected,
 * or the file is refused with a sentence saying how to save it again.
 *  - Encoding: a byte-order mark says UTF-8 or UTF-16 (Excel's "Unicode text"); without one, bytes that
 *    are valid UTF-8 are UTF-8 (Excel's "CSV UTF-8", Google Sheets, LibreOffice), a file with NUL bytes
 *    every other byte is UTF-16 without a mark, and anything else is Windows-1252 (Excel's plain "CSV"
 *    on a Western Windows), which the WHATWG Encoding Standard also uses for "latin1" and
 *    "iso-8859-1". Windows-1252 and UTF-16 are decoded here by their tables, so the same code runs in
 *    Node, workerd and a browser alike.
 *  - Separator: a comma, or the semicolon European Excel writes, or a tab: whichever splits the header
 *    row into the known columns.
 */
import { ROSTER_COLUMNS } from './roster.ts';

export type RosterEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type RosterSeparator = ',' | ';' | '\t';

export interface DecodedRoster {
  text: string;
  encoding: RosterEncoding;
  separator: RosterSeparator;
}

/** Windows-1252's bytes 0x80–0x9F (the rest is ISO-8859-1: byte = code point); undefined ones map to U+FFFD. */
const CP1252_80 = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];

function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_80[b - 0x80]! : b)));
  }
  return out;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  const units: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    units.push(view.getUint16(i, littleEndian));
    if (units.length === 8192) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The file's text and its encoding (see above). */
export function decodeRosterBytes(bytes: Uint8Array): { text: string; encoding: RosterEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeUtf16(bytes.subarray(2), true), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeUtf16(bytes.subarray(2), false), encoding: 'utf-16be' };
  // UTF-16 without a mark: ASCII text has a NUL in every other byte.
  const sample = bytes.subarray(0, 4096);
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 ? oddNul++ : evenNul++);
  if (oddNul > sample.length / 4 && evenNul === 0) return { text: decodeUtf16(bytes, true), encoding: 'utf-16le' };
  if (evenNul > sample.length / 4 && oddNul === 0) return { text: decodeUtf16(bytes, false), encoding: 'utf-16be' };
  const utf8 = utf8OrUndefined(bytes);
  if (utf8 !== undefined) return { text: utf8.charCodeAt(0) === 0xfeff ? utf8.slice(1) : utf8, encoding: 'utf-8' };
  return { text: decodeCp1252(bytes), encoding: 'windows-1252' };
}

/** The separator that splits the header row into known roster columns (a comma when none does). */
export function detectSeparator(text: string): RosterSeparator {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best: RosterSeparator = ',';
  let bestKnown = 0;
  for (const sep of [',', ';', '\t'] as const) {
    const known = firstLine.split(sep).map((f) => f.replace(/^"|"$/g, '').trim().toLowerCase().replace(/[\s-]+/g, '_'))
      .filter((f) => (ROSTER_COLUMNS as readonly string[]).includes(f)).length;
    if (known > bestKnown) {
      best = sep;
      bestKnown = known;
    }
  }
  return best;
}

export function decodeRosterFile(bytes: Uint8Array): DecodedRoster {
  const { text, encoding } = decodeRosterBytes(bytes);
  return { text, encoding, separator: detectSeparator(text) };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
const CHUNK = 1 << 20;

/**
 * decodeRosterFile for the service: the same detection, decoding a megabyte at a time with a pause
 * between, so one large upload does not hold up other requests while it is decoded.
 */
export async function decodeRosterFileYielding(bytes: Uint8Array): Promise<DecodedRoster> {
  if (bytes.length <= CHUNK) return decodeRosterFile(bytes);
  const sample = bytes.subarray(0, 4096);
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 ? oddNul++ : evenNul++);
  const bom16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const nul16 = (oddNul > sample.length / 4 && evenNul === 0) || (evenNul > sample.length / 4 && oddNul === 0);
  let text: string;
  let encoding: RosterEncoding;
  if (bom16 || nul16) {
    const littleEndian = bom16 ? bytes[0] === 0xff : oddNul > 0;
    const body = bom16 ? bytes.subarray(2) : bytes;
    const parts: string[] = [];
    for (let i = 0; i < body.length; i += CHUNK) {
      parts.push(decodeUtf16(body.subarray(i, Math.min(body.length, i + CHUNK)), littleEndian));
      await pause();
    }
    text = parts.join('');
    encoding = littleEndian ? 'utf-16le' : 'utf-16be';
  } else {
    const parts: string[] = [];
    try {
      const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      for (let i = 0; i < bytes.length; i += CHUNK) {
        parts.push(decoder.decode(bytes.subarray(i, i + CHUNK), { stream: true }));
        await pause();
      }
      parts.push(decoder.decode());
      text = parts.join('');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      encoding = 'utf-8';
    } catch {
      parts.length = 0;
      for (let i = 0; i < bytes.length; i += CHUNK) {
        parts.push(decodeCp1252(bytes.subarray(i, i + CHUNK)));
        await pause();
      }
      text = parts.join('');
      encoding = 'windows-1252';
    }
  }
  return { text, encoding, separator: detectSeparator(text) };
}
