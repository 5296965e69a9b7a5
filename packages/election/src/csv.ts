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
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(start, 'a quoted field is not closed');
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            if (c === '\n') line++;
            field += c;
            i++;
          }
        }
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
    if (fields.some((f) => f.trim() !== '')) records.push({ line: start, fields });
  }
  return records;
}
