/**
 * A vote definition: what the administrator submits and what is frozen when the vote opens.
 * Validated with zod; every problem is reported with the path of the field at fault
 * (e.g. `questions.1.locals.0`), so the API can name it in its 400 answer.
 */
import { z } from 'zod';
import { Rule, usesDelegates } from './rule.ts';
import { VOTE_LANGUAGES, isTimeZone } from './language.ts';

export const VoteId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'use 2 to 64 lower-case letters, digits and dashes');
export const QuestionId = VoteId;
export const LocalId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'use 1 to 32 letters, digits and dashes');

export const VoteLocal = z.object({
  id: LocalId,
  name: z.string().trim().min(1).max(200),
  /** Delegate votes the local holds in this vote (e.g. its delegates at the last convention). */
  delegates: z.number().int().min(0).max(100_000),
});

export const Question = z.object({
  id: QuestionId,
  text: z.string().trim().min(1).max(500),
  /** Where members read a summary of the agreement before voting. */
  summaryUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** May a member cast a ballot with neither yes nor no? */
  blankAllowed: z.boolean().default(false),
  /** The locals whose members vote on this question. */
  locals: z.array(LocalId).min(1).max(1000),
  rule: Rule,
});

/**
 * Who may see, per member, whether a member has obtained a voting token (never how they voted),
 * and from when. Published with the vote, so members know before they vote.
 */
export const TurnoutList = z.object({
  visibleTo: z.array(z.enum(['admin', 'secretary', 'monitor'])).max(3).default([]),
  from: z.enum(['open', 'close']).default('close'),
});

/** The vote's texts in another language (language.ts): every question, so no ballot is half translated. */
export const Translation = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).optional(),
  questions: z.record(QuestionId, z.strictObject({
    text: z.string().trim().min(1).max(500),
    summaryUrl: z.url({ protocol: /^https?$/ }).optional(),
  })),
});

export const VoteDefinition = z
  .object({
    id: VoteId,
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    opensAt: z.iso.datetime({ offset: true }),
    closesAt: z.iso.datetime({ offset: true }),
    locals: z.array(VoteLocal).min(1).max(1000),
    questions: z.array(Question).min(1).max(20),
    turnoutList: TurnoutList.default({ visibleTo: [], from: 'close' }),
    /** The vote's own time zone (IANA, e.g. America/Los_Angeles): every time is shown in it. Absent: UTC. */
    timeZone: z.string().max(64).refine(isTimeZone, 'a time zone by its IANA name, such as America/Los_Angeles or America/Toronto').optional(),
    /** The language of the title, description and questions above. Absent: English. */
    language: z.enum(VOTE_LANGUAGES).optional(),
    /** The same texts in other languages (en, es, fr): members read the vote in theirs. */
    translations: z.partialRecord(z.enum(VOTE_LANGUAGES), Translation).optional(),
    /**
     * Casting in batches: ballots are put in the box every this many seconds, in an order that does
     * not follow their arrival (docs/decisions.md). Absent: DEFAULT_BATCH_SECONDS. Longer batches hide
     * a ballot among more; a member waits up to one batch for the receipt.
     */
    batchSeconds: z.number().min(0.1).max(600).optional(),
    /**
     * Where members check a ballot they opened ("Check it first"): the address of the independent
     * checker page (docs/ballot-check.md), hosted by a monitor or the union, not by the operator who
     * serves the voting page. Absent: the service's own copy at /checker, which a dishonest operator
     * could change; the voting page says so.
     */
    checkerUrl: z.url({ protocol: /^https$|^http$/ }).max(500).optional(),
    /**
     * k-of-n trustees (docs/trustees.md): `count` trustees make the election key together in a
     * distributed key generation, and any `threshold` of them decrypt. Absent: every trustee
     * registers a key of their own and all of them are needed to decrypt (n of n).
     */
    trustees: z.strictObject({
      count: z.number().int().min(1).max(32),
      threshold: z.number().int().min(1).max(32),
    }).optional(),
    /**
     * SHA-256 (hex) of the checker file hosted at checkerUrl, as `npm run build:assets` prints it:
     * sealed into the manifest, so the trustees approve which checker members are sent to and anyone
     * can compare the hosted file with it.
     */
    checkerSha256: z.string().regex(/^[0-9a-f]{64}$/, 'the checker file\'s SHA-256 as 64 lower-case hex characters').optional(),
  })
  .superRefine((v, ctx) => {
    if (Date.parse(v.closesAt) <= Date.parse(v.opensAt)) {
      ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'the vote must close after it opens' });
    }
    if (v.trustees && v.trustees.threshold > v.trustees.count) {
      ctx.addIssue({ code: 'custom', path: ['trustees', 'threshold'], message: `the trustees needed to decrypt (${v.trustees.threshold}) cannot be more than the trustees (${v.trustees.count})` });
    } else if (v.trustees && v.trustees.threshold * 2 <= v.trustees.count) {
      // Two groups of trustees that share no one, each enough to decrypt, could each be served another
      // version of the closed count (a ruling apart) and decrypt it: the difference of the two tallies
      // shows a ballot. More than half means any two groups share a trustee, whose key file refuses a
      // second version (docs/trustees.md).
      ctx.addIssue({ code: 'custom', path: ['trustees', 'threshold'], message: `the trustees needed to decrypt (${v.trustees.threshold}) must be more than half of the trustees (${v.trustees.count}): otherwise two groups of trustees could each decrypt a different version of the count, and the difference would show how a member voted` });
    }
    for (const [lang, t] of Object.entries(v.translations ?? {})) {
      if (!t) continue;
      if (lang === (v.language ?? 'en')) ctx.addIssue({ code: 'custom', path: ['translations', lang], message: `the vote is already written in ${lang}: a translation is into another language` });
      for (const q of v.questions) if (!Object.hasOwn(t.questions, q.id)) ctx.addIssue({ code: 'custom', path: ['translations', lang, 'questions', q.id], message: `the ${lang} translation needs question ${q.id} too` });
      for (const id of Object.keys(t.questions)) if (!v.questions.some((q) => q.id === id)) ctx.addIssue({ code: 'custom', path: ['translations', lang, 'questions', id], message: `there is no question ${id} to translate` });
    }
    const localIds = new Map<string, number>();
    v.locals.forEach((l, i) => {
      if (localIds.has(l.id)) ctx.addIssue({ code: 'custom', path: ['locals', i, 'id'], message: `local ${l.id} is listed twice` });
      localIds.set(l.id, l.delegates);
    });
    const questionIds = new Set<string>();
    v.questions.forEach((q, i) => {
      if (questionIds.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `question ${q.id} is listed twice` });
      questionIds.add(q.id);
      const seen = new Set<string>();
      q.locals.forEach((id, k) => {
        if (!localIds.has(id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'locals', k], message: `local ${id} is not among the vote's locals` });
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'locals', k], message: `local ${id} is listed twice` });
        seen.add(id);
      });
      if (usesDelegates(q.rule) && !q.locals.some((id) => (localIds.get(id) ?? 0) > 0)) {
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'rule'], message: 'a delegate rule needs at least one of the question\'s locals to hold delegates' });
      }
    });
  });

export type VoteDefinition = z.infer<typeof VoteDefinition>;

export type VoteDefinitionInput = z.input<typeof VoteDefinition>;
export type Question = z.infer<typeof Question>;
export type VoteLocal = z.infer<typeof VoteLocal>;

export interface FieldIssue {
  field: string;
  message: string;
}

/** zod issues as (field path, message) pairs, field paths dotted: `questions.0.locals.2`. */
export function fieldIssues(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((i) => ({ field: [...prefix, ...i.path].map(String).join('.') || '(body)', message: i.message }));
}
