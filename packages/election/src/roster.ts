/**
 * A local's roster as a secretary uploads it: CSV with a header row naming the columns
 * member_number, name, email, phone, good_standing, and optionally language (en, es or fr: the
 * member's letter and ballot are in it) in any order, case-insensitive. The whole
 * file is checked before anything is written, and every bad row is reported by line and reason.
 */
import { VOTE_LANGUAGES, type VoteLanguage } from './language.ts';
import { CsvSyntaxError, parseCsv, parseCsvYielding, type CsvRecord } from './csv.ts';

export interface RosterMember {
  memberNumber: string;
  name: string;
  email: string | null;
  phone: string | null;
  goodStanding: boolean;
  /** The language of the member's letter and ballot (the roster's `language` column), if given. */
  language?: VoteLanguage | null;
}

export interface RosterRowError {
  line: number;
  field?: string;
  reason: string;
}

export type RosterParseResult = { ok: true; members: RosterMember[] } | { ok: false; errors: RosterRowError[] };

/** A roster's language cell: a code or the language's name in English or in itself; empty is null, anything else undefined. */
function languageOf(cell: string): VoteLanguage | null | undefined {
  const c = cell.trim().toLowerCase();
  if (!c) return null;
  const names: Record<string, VoteLanguage> = { english: 'en', anglais: 'en', 'inglés': 'en', ingles: 'en', spanish: 'es', 'español': 'es', espanol: 'es', espagnol: 'es', french: 'fr', 'français': 'fr', francais: 'fr', 'francés': 'fr', frances: 'fr' };
  const code = c.split(/[-_]/)[0]!;
  return (VOTE_LANGUAGES as readonly string[]).includes(code) ? code as VoteLanguage : names[c];
}

export const ROSTER_COLUMNS = ['member_number', 'name', 'email', 'phone', 'good_standing', 'language'] as const;
const REQUIRED = ['member_number', 'name', 'good_standing'] as const;

// Pragmatic e-mail check (the WHATWG "valid e-mail address" production used by <input type=email>).
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const PHONE = /^\+?[0-9 ().-]{7,20}$/;
const MEMBER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/** At most this many errors are listed; a wholly wrong file should not produce a huge answer. */
export const MAX_REPORTED_ERRORS = 1000;

/**
 * Invisible characters no name needs and that can disguise one: C0 and C1 controls, and the
 * bidirectional overrides, embeddings, isolates and marks (a name that reads "Ana" but sorts, matches
 * or prints as another).
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Whether a name (or any text shown to officials) holds such invisible characters. */
export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text);
}

export function parseRoster(text: string, separator = ','): RosterParseResult {
  let records;
  try {
    records = parseCsv(text, separator);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false, errors: [{ line: e.line, reason: e.message.replace(/^line \d+: /, '') }] };
    throw e;
  }
  return finish(rosterFromRecords(records));
}

/**
 * parseRoster for the service: the file is read with pauses (parseCsvYielding), so one large upload
 * does not hold up other requests while it is parsed.
 */
export async function parseRosterYielding(text: string, separator = ','): Promise<RosterParseResult> {
  let records;
  try {
    records = await parseCsvYielding(text, separator);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false, errors: [{ line: e.line, reason: e.message.replace(/^line \d+: /, '') }] };
    throw e;
  }
  // The rows are checked a few thousand at a time, with a pause between.
  const steps = rosterFromRecords(records);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Runs the row checks to the end without pausing. */
function finish(steps: Generator<null, RosterParseResult>): RosterParseResult {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The header and every row checked; yields (null) every few thousand rows, so a caller can pause. */
function* rosterFromRecords(records: CsvRecord[]): Generator<null, RosterParseResult> {
  const header = records.shift();
  if (!header) return { ok: false, errors: [{ line: 1, reason: 'the file is empty: expected a header row' }] };
  const columns = header.fields.map((f) => f.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const errors: RosterRowError[] = [];
  const index: Record<string, number> = {};
  columns.forEach((c, i) => {
    if (!(ROSTER_COLUMNS as readonly string[]).includes(c)) errors.push({ line: header.line, field: c, reason: `unknown column "${header.fields[i]}"; expected ${ROSTER_COLUMNS.join(', ')}, separated by commas (in Excel: File › Save As › "CSV UTF-8 (Comma delimited)")` });
    else if (c in index) errors.push({ line: header.line, field: c, reason: `column ${c} appears twice` });
    else index[c] = i;
  });
  for (const c of REQUIRED) if (!(c in index)) errors.push({ line: header.line, field: c, reason: `missing column ${c}` });
  if (!('email' in index) && !('phone' in index)) errors.push({ line: header.line, field: 'email', reason: 'the roster needs an email or a phone column' });
  if (errors.length) return { ok: false, errors };

  const members: RosterMember[] = [];
  const firstLine = new Map<string, number>();
  for (const [k, { line, fields }] of records.entries()) {
    if (errors.length >= MAX_REPORTED_ERRORS) break;
    if (k % 5000 === 4999) yield null;
    const get = (c: string): string => (c in index ? (fields[index[c]!] ?? '').trim() : '');
    if (fields.length !== columns.length) {
      errors.push({ line, reason: `expected ${columns.length} fields, found ${fields.length}` });
      continue;
    }
    const rowErrors: RosterRowError[] = [];
    const memberNumber = get('member_number');
    const name = get('name');
    const email = get('email');
    const phone = get('phone');
    const standing = get('good_standing').toLowerCase();
    const language = languageOf(get('language'));
    if (!memberNumber) rowErrors.push({ line, field: 'member_number', reason: 'missing member number' });
    else if (!MEMBER_NUMBER.test(memberNumber)) rowErrors.push({ line, field: 'member_number', reason: `member number "${memberNumber}" may hold only letters, digits and dashes` });
    else if (firstLine.has(memberNumber)) rowErrors.push({ line, field: 'member_number', reason: `duplicate member number ${memberNumber} (first on line ${firstLine.get(memberNumber)})` });
    if (!name) rowErrors.push({ line, field: 'name', reason: 'missing name' });
    else if (HIDDEN.test(name)) rowErrors.push({ line, field: 'name', reason: 'the name holds an invisible control or text-direction character; type it again in the spreadsheet' });
    else if (name.length > 200) rowErrors.push({ line, field: 'name', reason: 'name is longer than 200 characters' });
    if (email && !EMAIL.test(email)) rowErrors.push({ line, field: 'email', reason: `bad e-mail address "${email}"` });
    if (phone && !PHONE.test(phone)) rowErrors.push({ line, field: 'phone', reason: `bad phone number "${phone}"` });
    if (!email && !phone) rowErrors.push({ line, field: 'email', reason: 'missing contact: give an e-mail or a phone number' });
    if (!standing) rowErrors.push({ line, field: 'good_standing', reason: 'missing good standing (yes or no)' });
    else if (!YES.has(standing) && !NO.has(standing)) rowErrors.push({ line, field: 'good_standing', reason: `good standing must be yes or no, got "${get('good_standing')}"` });
    if (language === undefined) rowErrors.push({ line, field: 'language', reason: `language must be en, es or fr (English, Spanish, French), got "${get('language')}"` });
    if (memberNumber && !firstLine.has(memberNumber)) firstLine.set(memberNumber, line);
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    members.push({ memberNumber, name, email: email ? email.toLowerCase() : null, phone: phone || null, goodStanding: YES.has(standing), ...('language' in index ? { language } : {}) });
  }
  if (errors.length) return { ok: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) };
  if (members.length === 0) return { ok: false, errors: [{ line: header.line + 1, reason: 'the roster has no members' }] };
  return { ok: true, members };
}
