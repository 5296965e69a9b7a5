/**
 * Paper and mail ballots in the same count. Tellers count a local's paper ballots; its secretary
 * enters the count (per question: yes, no, blank, spoiled) and the member numbers of those who voted
 * on paper. A member who had already drawn a voting token (voted online) or whose paper ballot was
 * already counted has this paper ballot set aside, unopened; the others are counted, and can no
 * longer draw a token (their code is revoked in the issuance log while the vote is open).
 *
 * Each entry is the signed act `paper ballots counted` in its local, with only numbers in its details
 * (never a member): `batch`, `voters` (paper ballots counted), `setAside`, and per question put to
 * the local `yes:<question>`, `no:<question>`, `blank:<question>`, `spoiled:<question>`. The results add
 * a local's counted paper ballots to its online ones and apply the rule to the sum (a spoiled paper
 * ballot is not a vote: it is reported, not counted); the verifier checks every count adds up to
 * its voters, and that paper voters and live codes never exceed a local's eligible members.
 * Pure and zod-free.
 */
import type { Act } from './acts.ts';

export interface PaperCount {
  yes: number;
  no: number;
  blank: number;
  spoiled: number;
}

/** A local's paper ballots, all entries summed. */
export interface PaperLocal {
  localId: string;
  /** Paper ballots counted (their voters had not voted otherwise). */
  voters: number;
  /** Paper ballots set aside unopened (their voter had voted online, or on paper already). */
  setAside: number;
  questions: Record<string, PaperCount>;
}

export const PAPER_FIELDS = ['yes', 'no', 'blank', 'spoiled'] as const;

/**
 * The fewest paper ballots a count may open. A count's voters are stored beside its figures (the
 * secretary lists who voted on paper), so a count of one shows how that member voted to anyone who
 * reads it later; of five, only how the five voted together, as a hall's box does. A smaller count is
 * recorded only when the officials say the local has no more paper ballots to add (`smallBatch`).
 */
export const PAPER_BATCH_MINIMUM = 5;

/** The details of a `paper ballots counted` act. */
export function paperActDetails(batch: number, voters: number, setAside: number, counts: Readonly<Record<string, PaperCount>>): Record<string, number> {
  const details: Record<string, number> = { batch, voters, setAside };
  for (const [questionId, c] of Object.entries(counts)) for (const f of PAPER_FIELDS) details[`${f}:${questionId}`] = c[f];
  return details;
}

const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/**
 * The paper ballots the acts record, per local, and what is wrong with them: a count that is not a
 * whole number, a question not put to the local, or a question whose yes, no, blank and spoiled do not
 * add up to the entry's voters. `questionsOf` gives the questions put to a local.
 */
export function paperFromActs(acts: readonly Pick<Act, 'act' | 'localId' | 'details'>[], questionsOf: (localId: string) => readonly string[]): { locals: Map<string, PaperLocal>; problems: string[] } {
  const locals = new Map<string, PaperLocal>();
  const problems: string[] = [];
  acts.forEach((a, i) => {
    if (a.act !== 'paper ballots counted' || !a.localId) return;
    const where = `act ${i} (paper ballots of local ${a.localId}, batch ${String(a.details.batch)})`;
    const voters = count(a.details.voters);
    const setAside = count(a.details.setAside);
    if (voters === undefined || setAside === undefined) return void problems.push(`${where}: its voters and set-aside ballots are not counts`);
    const questions = questionsOf(a.localId);
    const entry: Record<string, PaperCount> = {};
    for (const key of Object.keys(a.details)) {
      if (key === 'batch' || key === 'voters' || key === 'setAside') continue;
      const [field, questionId] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      if (!(PAPER_FIELDS as readonly string[]).includes(field) || !questions.includes(questionId)) problems.push(`${where}: "${key}" is not a count of a question put to the local`);
    }
    for (const q of questions) {
      const c = { yes: count(a.details[`yes:${q}`]), no: count(a.details[`no:${q}`]), blank: count(a.details[`blank:${q}`]), spoiled: count(a.details[`spoiled:${q}`]) };
      if (c.yes === undefined || c.no === undefined || c.blank === undefined || c.spoiled === undefined) {
        problems.push(`${where}: question ${q} has no count of yes, no, blank and spoiled`);
        continue;
      }
      const sum = c.yes + c.no + c.blank + c.spoiled;
      if (sum !== voters) problems.push(`${where}: question ${q} counts ${sum} paper ballots (yes ${c.yes}, no ${c.no}, blank ${c.blank}, spoiled ${c.spoiled}) for ${voters} paper voters`);
      entry[q] = c as PaperCount;
    }
    const local = locals.get(a.localId) ?? { localId: a.localId, voters: 0, setAside: 0, questions: {} };
    local.voters += voters;
    local.setAside += setAside;
    for (const [q, c] of Object.entries(entry)) {
      const sum = local.questions[q] ?? { yes: 0, no: 0, blank: 0, spoiled: 0 };
      local.questions[q] = { yes: sum.yes + c.yes, no: sum.no + c.no, blank: sum.blank + c.blank, spoiled: sum.spoiled + c.spoiled };
    }
    locals.set(a.localId, local);
  });
  return { locals, problems };
}
