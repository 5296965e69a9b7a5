/**
 * A bar per local of the share that voted yes, with the rule's threshold drawn across: plain SVG
 * (no script, prints, scales to a phone). The numbers are in the table beside it.
 */
import type { QuestionResult, Rule } from '@union-vote/election';
import { fill } from './fill.ts';

/** The share the chart draws as the line: the rule's own (or a local's, for winner-take-all). */
export function chartThreshold(rule: Rule): number | undefined {
  switch (rule.type) {
    case 'popular': return rule.threshold.fraction.numerator / rule.threshold.fraction.denominator;
    case 'delegates': {
      const t = rule.localThreshold ?? rule.threshold;
      return t.fraction.numerator / t.fraction.denominator;
    }
    case 'turnout': return undefined;
    default: for (const r of rule.rules) { const t = chartThreshold(r); if (t !== undefined) return t; } return undefined;
  }
}

/**
 * Drawn 360 units wide with 16-unit labels, and shown at most 27rem wide: on a 360-px phone the labels
 * are about 14.5 px, never smaller; on a desktop about 19 px.
 */
export function YesChart(props: { question: QuestionResult; threshold: number | undefined; title: string; thresholdWords: string; localWord: string }) {
  const locals = props.question.locals;
  const row = 30;
  const left = 110;
  const width = 360;
  const height = locals.length * row + 40;
  const x = (share: number) => left + share * (width - left - 20);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`chart-${props.question.questionId}`}>
      <title id={`chart-${props.question.questionId}`}>{props.title}{props.threshold !== undefined ? `, ${fill(props.thresholdWords, { pct: `${(props.threshold * 100).toFixed(1)}%` })}` : ''}</title>
      {locals.map((l, i) => {
        const share = l.yes + l.no ? l.yes / (l.yes + l.no) : 0;
        const y = 10 + i * row;
        return (
          <g>
            <text x={left - 8} y={y + 17} text-anchor="end">{l.localId}</text>
            <rect x={left} y={y} width={x(1) - left} height={row - 8} fill="#e4e7ec" />
            <rect x={left} y={y} width={Math.max(0, x(share) - left)} height={row - 8} fill={props.threshold === undefined || share >= props.threshold ? '#0b6b2f' : '#a4161a'} />
          </g>
        );
      })}
      {props.threshold !== undefined ? (
        <g>
          <line x1={x(props.threshold)} x2={x(props.threshold)} y1={4} y2={height - 24} stroke="#111" stroke-width="2" stroke-dasharray="6 4" />
          <text x={x(props.threshold)} y={height - 6} text-anchor="middle">{fill(props.thresholdWords, { pct: `${(props.threshold * 100).toFixed(1)}%` })}</text>
        </g>
      ) : null}
    </svg>
  );
}
