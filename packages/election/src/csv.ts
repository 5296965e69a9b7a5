/**
 * RFC 4180 CSV reading: quoted fields with embedded separators, quotes ("") and line breaks; CRLF or
 * LF line ends; a UTF-8 byte-order mark is dropped; the separator is a comma unless given (European
 * Excel writes semicolons). Rows with no field filled (a spreadsheet's trailing `,,,,` rows) are
 * skipped. Each record keeps the line it started on, so errors can name the line a secretary sees
 * in a spreadsheet.
 */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsv(text: string, separator = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  for (const r of csvRecords(text, separator)) if (r !== PAUSE) records.push(r);
  return records;
}

/** What csvRecords yields between records when it has read this many characters since it last paused. */
export const PAUSE = null;
const PAUSE_EVERY = 1 << 16;

/**
 * The records of a CSV text one at a time, with a PAUSE after every 64 K characters read (inside a
 * quoted field too), so that a caller reading a large file can let other work run
 * (`parseCsvYielding`): a 32 MB file with an unclosed quote is read to its end before it fails.
 */
export function* csvRecords(text: string, separator = ','): Generator<CsvRecord | typeof PAUSE> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let nextPause = i + PAUSE_EVERY;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        // A quoted field: copied a run at a time between quotes (not character by character).
        const parts: string[] = [];
        for (;;) {
          const q = text.indexOf('"', i);
          const stop = q < 0 ? n : q;
          // Up to the quote, in pieces of at most 64 K characters with a pause between them.
          while (i < stop) {
            const end = Math.min(stop, i + PAUSE_EVERY);
            // Line breaks counted within the piece only (a search of the whole text would scan to its end each time).
            const piece = text.slice(i, end);
            for (let nl = piece.indexOf('\n'); nl >= 0; nl = piece.indexOf('\n', nl + 1)) line++;
            parts.push(piece);
            i = end;
            if (i >= nextPause) {
              yield PAUSE;
              nextPause = i + PAUSE_EVERY;
            }
          }
          if (q < 0) throw new CsvSyntaxError(start, 'a quoted field is not closed');
          if (text[q + 1] === '"') {
            parts.push('"');
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        field = parts.join('');
        if (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvSyntaxError(line, 'text after a closing quote');
        }
      } else {
        const startField = i;
        while (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
          i++;
        }
        field = text.slice(startField, i);
      }
      fields.push(field);
      if (text[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    // Skip blank lines and rows with no field filled (a trailing newline, the `,,,,` rows spreadsheets leave behind).
    if (fields.some((f) => f.trim() !== '')) yield { line: start, fields };
    if (i >= nextPause) {
      yield PAUSE;
      nextPause = i + PAUSE_EVERY;
    }
  }
}

/** parseCsv, letting other work run at every PAUSE (a macrotask: timers and I/O get their turn). */
export async function parseCsvYielding(text: string, separator = ','): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for (const r of csvRecords(text, separator)) {
    if (r === PAUSE) await new Promise((resolve) => setTimeout(resolve, 0));
    else records.push(r);
  }
  return records;
}
