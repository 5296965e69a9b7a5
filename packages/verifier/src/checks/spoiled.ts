/**
 * Ballots opened by members' checks (docs/ballot-check.md):
 *  - `spoiled-ballots`: each spoiled ballot re-encrypts, under the manifest's election key, to the
 *    choices it reveals, and its commitment is the hash of its ciphertexts; the list is the one the
 *    `vote closed` act fixed (count and digest), so none was dropped or altered after the close.
 *  - `spoiled-not-counted`: no ciphertext of a spoiled ballot is in a counted ballot.
 * What a checked ballot held is for its member to compare with what they chose (the checker page,
 * `union-vote-verify check-spoiled`); the record shows that every opening is honest arithmetic.
 */
import { openSpoiledBallot, pointFromHex } from '@union-vote/crypto';
import { questionShapes, spoiledSummary, type ElectionRecord } from '@union-vote/election';
import { failures, type Checks } from '../report.ts';

export function checkSpoiled(r: ElectionRecord, checks: Checks): void {
  checks.run('spoiled-ballots', 'every spoiled ballot opens honestly (re-encryption, commitment) and the list is the one fixed when the vote closed', () => {
    const problems: string[] = [];
    if (!checks.ok('trustees')) return ['FAIL the election key is not established (see trustees), so no spoiled ballot can be re-encrypted under it'];
    const vote = { voteId: r.manifest.voteId, publicKey: pointFromHex(r.manifest.keys.election), questions: questionShapes(r.manifest.definition) };
    const seen = new Set<string>();
    r.spoiled.forEach((s, i) => {
      const opened = openSpoiledBallot(s, vote);
      if (!opened.ok) problems.push(`spoiled ballot ${i} (${s.commitment.slice(0, 16)}…): ${opened.reason}`);
      if (seen.has(s.commitment)) problems.push(`spoiled ballot ${i}: its commitment is listed twice`);
      if (i > 0 && r.spoiled[i - 1]!.commitment >= s.commitment) problems.push(`spoiled ballot ${i}: not in commitment order`);
      seen.add(s.commitment);
    });
    const closed = r.acts.find((a) => a.act === 'vote closed');
    const summary = spoiledSummary(r.spoiled);
    if (!closed) problems.push('no `vote closed` act fixes the spoiled ballots');
    else if (closed.details.spoiledBallots !== summary.spoiledBallots || closed.details.spoiledDigest !== summary.spoiledDigest) {
      problems.push(`the record lists ${summary.spoiledBallots} spoiled ballots, the \`vote closed\` act fixed ${String(closed.details.spoiledBallots ?? 'none')} (or other contents): spoiled ballots were dropped, added or altered after the close`);
    }
    return failures(problems, `${r.spoiled.length} spoiled ballot${r.spoiled.length === 1 ? '' : 's'}, each opening re-encrypted and matching its commitment`);
  });

  checks.run('spoiled-not-counted', 'no ciphertext of a spoiled ballot is in a counted ballot', () => {
    const spoiled = new Map<string, string>();
    for (const s of r.spoiled) for (const q of s.questions) for (const c of q.choices) spoiled.set(c.ciphertext.alpha, s.commitment);
    const problems: string[] = [];
    for (const b of r.ballots) {
      for (const q of b.ballot.questions) for (const c of q.choices) {
        const from = spoiled.get(c.ciphertext.alpha);
        if (from) problems.push(`ballot ${b.leafIndex} (tracking code ${b.trackingCode.slice(0, 16)}…) counts a ciphertext of spoiled ballot ${from.slice(0, 16)}…`);
      }
    }
    return failures(problems, `${r.ballots.length} counted ballots, none with a spoiled ciphertext`);
  });
}
