/**
 * A vote in the member's language and the vote's own time zone.
 *
 * The definition's texts (title, description, each question and its summary link) are written in its
 * `language` (absent: English) and may be given again in other languages under `translations`; all of
 * it is sealed into the manifest, so the trustees approve every language members will read. A page,
 * letter or message asks for the vote in a language and gets the translation when the vote has one,
 * else the vote's own text (never a half-translated ballot: a translation names every question).
 *
 * Times are shown in the vote's `timeZone` (an IANA name such as America/Los_Angeles; absent: UTC),
 * in words ("Tuesday, March 4, 2025 at 9:00 AM PST"), never as raw ISO.
 */
import type { VoteDefinition } from './definition.ts';

export const VOTE_LANGUAGES = ['en', 'es', 'fr'] as const;
export type VoteLanguage = (typeof VOTE_LANGUAGES)[number];

/** The locale each language's dates are written in (US English and Spanish, Canadian French). */
export const LOCALES: Record<VoteLanguage, string> = { en: 'en-US', es: 'es-US', fr: 'fr-CA' };

export const isVoteLanguage = (s: unknown): s is VoteLanguage => (VOTE_LANGUAGES as readonly unknown[]).includes(s);

/** Is this a time zone the runtime knows (IANA names, and UTC)? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type Texts = Pick<VoteDefinition, 'language' | 'translations' | 'title' | 'description' | 'questions'>;

/** The languages a vote is written in: its own first, then its translations. */
export function voteLanguages(def: Pick<VoteDefinition, 'language' | 'translations'>): VoteLanguage[] {
  const own = def.language ?? 'en';
  return [own, ...VOTE_LANGUAGES.filter((l) => l !== own && def.translations?.[l])];
}

export interface LocalizedVote {
  /** The language the texts below are in (the one asked for when the vote has it). */
  language: VoteLanguage;
  title: string;
  description: string | undefined;
  questions: Record<string, { text: string; summaryUrl: string | undefined }>;
}

/** The vote's texts in `language` when it has them, else in its own language. */
export function localizedVote(def: Texts, language: string | undefined): LocalizedVote {
  const own = def.language ?? 'en';
  const t = isVoteLanguage(language) && language !== own ? def.translations?.[language] : undefined;
  return {
    language: t ? (language as VoteLanguage) : own,
    title: t?.title ?? def.title,
    description: t ? t.description : def.description,
    questions: Object.fromEntries(def.questions.map((q) => {
      const tq = t && Object.hasOwn(t.questions, q.id) ? t.questions[q.id] : undefined;
      return [q.id, { text: tq?.text ?? q.text, summaryUrl: tq ? tq.summaryUrl ?? q.summaryUrl : q.summaryUrl }];
    })),
  };
}

/**
 * A moment in the vote's time zone, in words in the given language: "Tuesday, March 4, 2025 at
 * 9:00 AM PST", "martes, 4 de marzo de 2025, 9:00 a.m. PST", "mardi 4 mars 2025 à 9 h 00 HNP".
 */
export function whenInWords(at: Date | string, timeZone: string | undefined, language: string = 'en'): string {
  const locale = LOCALES[isVoteLanguage(language) ? language : 'en'];
  return new Date(at).toLocaleString(locale, {
    weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit',
    timeZone: timeZone ?? 'UTC', timeZoneName: 'short',
  });
}

/** The offset of `timeZone` from UTC at `at`, in minutes (positive east of Greenwich). */
function offsetMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000) / 60_000;
}

/**
 * A wall-clock time in a time zone ("2027-03-02T09:00" in America/Los_Angeles) as an ISO instant
 * with its offset ("2027-03-02T09:00:00-08:00"), as a form turns what an officer typed into a
 * definition. A time that happens twice (the hour a clock goes back) means its first occurrence; a
 * time that never happens (the hour a clock skips) moves forward by the change (2:30 → 3:30).
 */
export function zonedToIso(wallClock: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wallClock);
  if (!m) throw new Error(`not a date and time: ${wallClock}`);
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  // The zone's offsets a day either side (a change happens at most once in between).
  const before = offsetMinutes(asUtc - 86_400_000, timeZone);
  const after = offsetMinutes(asUtc + 86_400_000, timeZone);
  // The instants this wall clock could be, earliest first; the first the zone really shows is it.
  const candidates = [...new Set([before, after])].map((o) => asUtc - o * 60_000).sort((x, y) => x - y);
  const instant = candidates.find((t) => t + offsetMinutes(t, timeZone) * 60_000 === asUtc)
    // Skipped: read with the offset before the change, which lands after it.
    ?? asUtc - before * 60_000;
  const actual = offsetMinutes(instant, timeZone);
  const abs = Math.abs(actual);
  const wall = new Date(instant + actual * 60_000).toISOString().slice(0, 19);
  return `${wall}${actual < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** An instant as the wall clock of a time zone, as a datetime-local input shows it ("2027-03-02T09:00"). */
export function isoToZoned(at: Date | string, timeZone: string): string {
  const ms = new Date(at).getTime();
  return new Date(ms + offsetMinutes(ms, timeZone) * 60_000).toISOString().slice(0, 16);
}
