/** A vote in the member's language and in its own time zone. */
import { describe, expect, it } from 'vitest';
import { VoteDefinition, describeManifest, exampleVotes, type Manifest, fieldIssues, isoToZoned, localizedVote, voteLanguages, whenInWords, zonedToIso, type VoteDefinitionInput } from '../src/index.ts';

const base = exampleVotes.ratifyBasicAgreement;
const q = base.questions[0]!;
const bilingual: VoteDefinitionInput = {
  ...base,
  timeZone: 'America/Los_Angeles',
  translations: { es: { title: 'Ratificación del Convenio Básico', questions: { [q.id]: { text: '¿Ratifica usted el Convenio Básico de 2027?', summaryUrl: 'https://example.org/resumen' } } } },
};

describe('a vote in several languages', () => {
  it('gives the Spanish texts to a Spanish reader and its own to everyone else', () => {
    const def = VoteDefinition.parse(bilingual);
    expect(voteLanguages(def)).toEqual(['en', 'es']);
    const es = localizedVote(def, 'es');
    expect(es).toMatchObject({ language: 'es', title: 'Ratificación del Convenio Básico' });
    expect(es.questions[q.id]).toEqual({ text: '¿Ratifica usted el Convenio Básico de 2027?', summaryUrl: 'https://example.org/resumen' });
    // No French translation: the vote's own English, said as English.
    expect(localizedVote(def, 'fr')).toMatchObject({ language: 'en', title: base.title });
    expect(localizedVote(def, undefined).questions[q.id]!.text).toBe(q.text);
  });

  it('refuses a translation that leaves a question out, or names one the vote does not have', () => {
    const partial = VoteDefinition.safeParse({ ...bilingual, questions: [...base.questions, { ...q, id: 'second' }] });
    expect(partial.success).toBe(false);
    expect(fieldIssues(partial.error!)).toContainEqual({ field: 'translations.es.questions.second', message: 'the es translation needs question second too' });
    const stray = VoteDefinition.safeParse({ ...bilingual, translations: { es: { title: 'x', questions: { [q.id]: { text: 'x' }, other: { text: 'y' } } } } });
    expect(fieldIssues(stray.error!)).toContainEqual({ field: 'translations.es.questions.other', message: 'there is no question other to translate' });
    const de = VoteDefinition.safeParse({ ...bilingual, translations: { de: { title: 'x', questions: {} } } });
    expect(de.success).toBe(false);
  });

  it('does not take a name every object has for a translated question', () => {
    const r = VoteDefinition.safeParse({ ...bilingual, questions: [{ ...q, id: 'constructor' }], translations: { es: { title: 'x', questions: {} } } });
    expect(fieldIssues(r.error!)).toContainEqual({ field: 'translations.es.questions.constructor', message: 'the es translation needs question constructor too' });
  });

  it('refuses a time zone that is not one', () => {
    const r = VoteDefinition.safeParse({ ...base, timeZone: 'Pacific Standard' });
    expect(fieldIssues(r.error!)).toEqual([{ field: 'timeZone', message: 'a time zone by its IANA name, such as America/Los_Angeles or America/Toronto' }]);
  });
});

describe('times in the vote\'s zone, in words', () => {
  it('says a moment as members there read it', () => {
    expect(whenInWords('2027-03-02T17:00:00Z', 'America/Los_Angeles')).toBe('Tuesday, March 2, 2027 at 9:00 AM PST');
    expect(whenInWords('2027-07-02T17:00:00Z', 'America/Los_Angeles', 'es')).toMatch(/^viernes, 2 de julio de 2027, 10:00\sa\.\s?m\.\sPDT$/);
    expect(whenInWords('2027-03-02T17:00:00Z', 'America/Toronto', 'fr')).toMatch(/^mardi 2 mars 2027 à 12 h 00 HNE$/);
    expect(whenInWords('2027-03-02T17:00:00Z', undefined)).toBe('Tuesday, March 2, 2027 at 5:00 PM UTC');
  });

  it('turns what an officer typed in the vote\'s zone into an instant, and back, across daylight saving', () => {
    // 2:30 AM on March 14, 2027 never happens in Los Angeles: it moves forward by the change.
    expect(zonedToIso('2027-03-14T02:30', 'America/Los_Angeles')).toBe('2027-03-14T03:30:00-07:00');
    // 1:30 AM on November 7 happens twice: the first.
    expect(zonedToIso('2027-11-07T01:30', 'America/Los_Angeles')).toBe('2027-11-07T01:30:00-07:00');
    expect(zonedToIso('2027-03-02T09:00', 'America/Los_Angeles')).toBe('2027-03-02T09:00:00-08:00');
    expect(zonedToIso('2027-07-02T09:00', 'America/Los_Angeles')).toBe('2027-07-02T09:00:00-07:00');
    expect(zonedToIso('2027-03-02T09:00', 'UTC')).toBe('2027-03-02T09:00:00+00:00');
    expect(zonedToIso('2027-03-02T09:00', 'Asia/Kolkata')).toBe('2027-03-02T09:00:00+05:30');
    for (const at of ['2027-03-14T09:59:00Z', '2027-03-14T10:00:00Z', '2027-11-07T08:30:00Z', '2027-11-07T09:30:00Z']) {
      const wall = isoToZoned(at, 'America/Los_Angeles');
      // 1:30 AM on November 7 happens twice: the form means the first.
      expect(Date.parse(zonedToIso(wall, 'America/Los_Angeles'))).toBe(Date.parse(at === '2027-11-07T09:30:00Z' ? '2027-11-07T08:30:00Z' : at));
    }
  });
});

describe('the trustees approve every language', () => {
  it('reads the translations and the times in the vote\'s zone out in the manifest\'s plain words', () => {
    const definition = VoteDefinition.parse({ ...bilingual, opensAt: '2027-03-02T17:00:00Z', closesAt: '2027-03-09T17:00:00Z' });
    const manifest = { format: 'x', voteId: definition.id, definition, eligible: {}, keys: { election: 'e', board: 'b' }, trustees: [] } as unknown as Manifest;
    const lines = describeManifest(manifest, 'FP');
    expect(lines).toContain('Voting opens Tuesday, March 2, 2027 at 9:00 AM PST (2027-03-02T17:00:00Z) and closes Tuesday, March 9, 2027 at 9:00 AM PST (2027-03-09T17:00:00Z), time zone America/Los_Angeles');
    expect(lines).toContain('Written in English; also in Spanish, read out below');
    expect(lines).toContain('In Spanish (members whose language it is read this; check it says the same):');
    expect(lines).toContain(`  "¿Ratifica usted el Convenio Básico de 2027?" (${q.id}), summary at https://example.org/resumen`);
  });
});
