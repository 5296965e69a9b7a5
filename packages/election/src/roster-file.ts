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

/**
 * UTF-16, from the file's first bytes: a byte-order mark (`skip` its 2 bytes), or, without one, ASCII
 * text's NUL in every other byte of the first 4 KB. Undefined for any other file.
 */
function utf16Of(head: Uint8Array): { littleEndian: boolean; skip: number } | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return { littleEndian: true, skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { littleEndian: false, skip: 2 };
  const sample = head.subarray(0, 4096);
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 ? oddNul++ : evenNul++);
  if (oddNul > sample.length / 4 && evenNul === 0) return { littleEndian: true, skip: 0 };
  if (evenNul > sample.length / 4 && oddNul === 0) return { littleEndian: false, skip: 0 };
  return undefined;
}

/** The file's text and its encoding (see above). */
export function decodeRosterBytes(bytes: Uint8Array): { text: string; encoding: RosterEncoding } {
  const utf16 = utf16Of(bytes);
  if (utf16) return { text: decodeUtf16(bytes.subarray(utf16.skip), utf16.littleEndian), encoding: utf16.littleEndian ? 'utf-16le' : 'utf-16be' };
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

/** A roster file decoded by the service, and whether its text holds a NUL (which no field may hold). */
export interface DecodedRosterBody extends DecodedRoster {
  holdsNul: boolean;
}

/** The body's pieces as they arrived, each cut to at most a megabyte, after the first `skip` bytes (no copy). */
function* piecesOf(chunks: readonly Uint8Array[], skip = 0): Generator<Uint8Array> {
  for (const chunk of chunks) {
    const from = Math.min(skip, chunk.length);
    skip -= from;
    for (let i = from; i < chunk.length; i += CHUNK) yield chunk.subarray(i, Math.min(chunk.length, i + CHUNK));
  }
}

/** The first `n` bytes of the body (a copy only when the first piece is shorter). */
function headOf(chunks: readonly Uint8Array[], n: number): Uint8Array {
  if (chunks.length === 0) return new Uint8Array(0);
  if (chunks[0]!.length >= n || chunks.length === 1) return chunks[0]!.subarray(0, n);
  const head = new Uint8Array(n);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= n) break;
    const take = chunk.subarray(0, n - at);
    head.set(take, at);
    at += take.length;
  }
  return head.subarray(0, at);
}

/**
 * decodeRosterFile for the service, on the body as it arrived (its pieces, never copied into one
 * buffer): the same detection and the same text, decoded a megabyte at a time with a pause after each,
 * so one large upload does not hold up other requests while it is decoded. The NUL check is made on
 * each decoded piece, so the whole text is never searched at once.
 */
export async function decodeRosterFileYielding(chunks: readonly Uint8Array[]): Promise<DecodedRosterBody> {
  const size = chunks.reduce((n, chunk) => n + chunk.length, 0);
  if (size <= CHUNK) {
    const decoded = decodeRosterFile(chunks.length === 1 ? chunks[0]! : concat(chunks, size));
    return { ...decoded, holdsNul: decoded.text.includes('\u0000') };
  }
  const utf16 = utf16Of(headOf(chunks, 4096));
  const parts: string[] = [];
  let holdsNul = false;
  let sincePause = 0;
  /** Keeps a decoded part, and pauses once a megabyte has been decoded since the last pause. */
  const keep = async (part: string, bytes: number) => {
    if (part.length) {
      if (!holdsNul && part.includes('\u0000')) holdsNul = true;
      parts.push(part);
    }
    sincePause += bytes;
    if (sincePause >= CHUNK) {
      sincePause = 0;
      await pause();
    }
  };
  let encoding: RosterEncoding;
  if (utf16) {
    const { littleEndian } = utf16;
    let carry: number | undefined; // a code unit's first byte, when a piece ends between its two bytes
    for (let piece of piecesOf(chunks, utf16.skip)) {
      if (carry !== undefined) {
        const joined = new Uint8Array(piece.length + 1);
        joined[0] = carry;
        joined.set(piece, 1);
        piece = joined;
        carry = undefined;
      }
      if (piece.length % 2) {
        carry = piece[piece.length - 1];
        piece = piece.subarray(0, piece.length - 1);
      }
      await keep(decodeUtf16(piece, littleEndian), piece.length);
    }
    encoding = littleEndian ? 'utf-16le' : 'utf-16be';
  } else {
    try {
      const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      for (const piece of piecesOf(chunks)) await keep(decoder.decode(piece, { stream: true }), piece.length);
      await keep(decoder.decode(), 0);
      // As decodeRosterBytes: one more U+FEFF at the start is dropped.
      if (parts[0]?.charCodeAt(0) === 0xfeff) parts[0] = parts[0].slice(1);
      encoding = 'utf-8';
    } catch {
      parts.length = 0;
      holdsNul = false;
      for (const piece of piecesOf(chunks)) await keep(decodeCp1252(piece), piece.length);
      encoding = 'windows-1252';
    }
  }
  const text = parts.join('');
  return { text, encoding, separator: detectSeparator(text), holdsNul };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}
