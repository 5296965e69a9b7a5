/**
 * A vote in plain words, for the people who must approve it without reading JSON: a trustee about
 * to countersign the manifest, a monitor comparing what was announced. Every number that decides an
 * outcome (thresholds, delegate counts, eligible counts, the window) is spelled out.
 */
import type { VoteDefinition } from './definition.ts';
import type { Manifest } from './manifest.ts';
import type { Rule, Threshold } from './rule.ts';
import { voteLanguages, whenInWords } from './language.ts';

const LANGUAGE_NAMES = { en: 'English', es: 'Spanish', fr: 'French' } as const;
const share = (t: Threshold) => `${t.inclusive ? 'at least' : 'more than'} ${t.fraction.numerator}/${t.fraction.denominator}`;
const baseWords = (base: 'yes-no' | 'ballots') => (base === 'yes-no' ? 'of the yes and no votes (blanks left out)' : 'of all ballots cast');

/** One sentence per rule; combinations nest. */
export function describeRule(rule: Rule): string {
  switch (rule.type) {
    case 'popular':
      return `yes must win ${share(rule.threshold)} ${baseWords(rule.base)}, counted over all the question's locals together`;
    case 'turnout':
      return `ballots cast must reach ${rule.minimum.numerator}/${rule.minimum.denominator} of the eligible members`;
    case 'delegates':
      return rule.allocation === 'winner-take-all'
        ? `each local gives all its delegate votes to yes only where yes wins ${share(rule.localThreshold!)} ${baseWords(rule.base)} in that local (otherwise to no${rule.tie ? `; an exact tie goes ${rule.tie === 'split' ? 'half each way' : `to ${rule.tie}`}` : ''}); yes must then hold ${share(rule.threshold)} of all delegate votes`
        : `each local's delegate votes are shared between yes and no in proportion to its ballots; yes must hold ${share(rule.threshold)} of all delegate votes`;
    case 'all':
      return `all of: ${rule.rules.map((r, i) => `(${i + 1}) ${describeRule(r)}`).join('; ')}`;
    case 'any':
      return `any one of: ${rule.rules.map((r, i) => `(${i + 1}) ${describeRule(r)}`).join('; ')}`;
  }
}

/** The definition and the manifest's keys and counts, as lines of plain text. */
export function describeManifest(m: Manifest, fingerprint: string): string[] {
  const d: VoteDefinition = m.definition;
  const lines = [
    `Vote: ${d.title} (${d.id})`,
    `Voting opens ${whenInWords(d.opensAt, d.timeZone)} (${d.opensAt}) and closes ${whenInWords(d.closesAt, d.timeZone)} (${d.closesAt})${d.timeZone ? `, time zone ${d.timeZone}` : ''}`,
    `Who may see which members have voted (never how): ${d.turnoutList.visibleTo.length ? `${d.turnoutList.visibleTo.join(', ')}, from the ${d.turnoutList.from === 'open' ? 'opening' : 'close'}` : 'nobody'}`,
    'Locals:',
    ...d.locals.map((l) => `  ${l.id} ${l.name}: ${l.delegates} delegate vote${l.delegates === 1 ? '' : 's'}, ${m.eligible[l.id] ?? 0} members eligible now`),
    `Written in ${LANGUAGE_NAMES[d.language ?? 'en']}${voteLanguages(d).length > 1 ? `; also in ${voteLanguages(d).slice(1).map((l) => LANGUAGE_NAMES[l]).join(' and ')}, read out below` : ''}`,
    'Questions:',
  ];
  for (const q of d.questions) {
    lines.push(`  "${q.text}" (${q.id})${q.summaryUrl ? `, summary at ${q.summaryUrl}` : ''}`, `    put to locals ${q.locals.join(', ')}; ${q.blankAllowed ? 'a blank ballot is allowed' : 'yes or no, no blank'}`, `    passes when ${describeRule(q.rule)}`);
  }
  // Every translation members will read is approved with the rest: read each against the original.
  for (const lang of voteLanguages(d).slice(1)) {
    const t = d.translations![lang]!;
    lines.push(`In ${LANGUAGE_NAMES[lang]} (members whose language it is read this; check it says the same):`, `  Title: ${t.title}`);
    if (t.description) lines.push(`  Description: ${t.description}`);
    for (const q of d.questions) {
      const tq = Object.hasOwn(t.questions, q.id) ? t.questions[q.id] : undefined;
      lines.push(`  "${tq?.text ?? '(missing)'}" (${q.id})${tq?.summaryUrl ? `, summary at ${tq.summaryUrl}` : ''}`);
    }
  }
  lines.push(
    ...(m.dkg
      ? [
        `Trustees (all must approve; any ${m.dkg.threshold} of them decrypt, fewer cannot): ${m.trustees.map((t) => t.trusteeId).join(', ')}`,
        `Key ceremony: ${m.dkg.joins.length} joined (${m.dkg.joins.map((j) => `${j.trusteeId} with signing key ${j.signingKey.slice(0, 16)}…`).join(', ')}); ${m.dkg.checks.reduce((n, c) => n + c.complaints.length, 0)} complaint(s); ${m.dkg.joins.length - m.dkg.qualified.length} disqualified${m.dkg.joins.length > m.dkg.qualified.length ? ` (${m.dkg.joins.map((j) => j.trusteeId).filter((id) => !m.dkg!.qualified.includes(id)).join(', ')})` : ''}. Check that every name is a person you know, with the signing key they told you.`,
      ]
      : [`Trustees (all must approve; each holds a share of the election key): ${m.trustees.map((t) => t.trusteeId).join(', ')}`]),
    `Election key ${m.keys.election}`,
    `Board key ${m.keys.board}`,
    `Fingerprint: ${fingerprint}`,
  );
  return lines;
}
