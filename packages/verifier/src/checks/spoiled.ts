/**
 * Ballots opened by members' checks (docs/ballot-check.md):
 *  - `spoiled-ballots`: each spoiled ballot re-encrypts, under the manifest's election key, to the
 *    choices it reveals, and its commitment is the hash of its ciphertexts; the list is the one the
 *    `vote closed` act fixed (count and digest), so none was dropped or altered after the close.
 *  - `spoiled-not-counted`: no ciphertext of a spoiled ballot is in a counted ballot.
 *  - `member-checks`: the check codes and signed openings members bring (below).
 * What a checked ballot held is for its member to compare with what they chose (the checker page,
 * `union-vote-verify check-spoiled`); the record shows that every opening is honest arithmetic.
 */
import { ballotCommitmentOf, fromHex, openSpoiledBallot, pointFromHex, verifyStatement } from '@union-vote/crypto';
import {
  SpoiledEvidenceJson, ballotCheckCode, canonicalJson, checkCodePrefix, fieldIssues, manifestFingerprint, normalizeFingerprint, questionShapes, spoiledStatementBytes, spoiledSummary,
  type ElectionRecord, type Manifest,
} from '@union-vote/election';
import { failures, type Checks } from '../report.ts';
import type { NamedFile } from './log.ts';

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

/**
 * `member-checks`: what members hold of their ballot checks, against the record.
 *  - a check code a member was shown before pressing "Cast" (`--check-code`): a ballot in the box
 *    has it. A page that showed the code of one ballot and cast another is caught here.
 *  - an opened ballot the board signed (`--spoiled FILE`, saved from the checker): the record lists
 *    it, unchanged. An operator that erased an opening that showed its page cheating is caught here.
 */
export function checkMemberChecks(r: ElectionRecord, castCodes: readonly string[], evidence: readonly NamedFile[], checks: Checks): void {
  checks.run('member-checks', 'every check code a member was shown before casting is in the box, and every opening the board signed is in the record', () => {
    if (castCodes.length === 0 && evidence.length === 0) return ['no check codes or opened ballots were given (members give theirs with --check-code CODE and --spoiled FILE)'];
    const problems: string[] = [];
    const found: string[] = [];
    if (castCodes.length) {
      const counted = r.ballots.map((b) => ({ leafIndex: b.leafIndex, localId: b.localId, commitment: ballotCommitmentOf(b.ballot) }));
      for (const code of castCodes) {
        const prefix = checkCodePrefix(code);
        if (!prefix) { problems.push(`"${code}" is not a check code (32 letters and digits in 8 groups of 4)`); continue; }
        const hit = counted.find((b) => b.commitment.startsWith(prefix));
        if (hit) found.push(`check code ${ballotCheckCode(hit.commitment)}: ballot ${hit.leafIndex + 1} in the box, local ${hit.localId}`);
        else if (r.spoiled.some((s) => s.commitment.startsWith(prefix))) problems.push(`check code ${code} is an opened (spoiled) ballot, never counted: the member cast another ballot than the one whose code they were shown`);
        else problems.push(`check code ${code}: no ballot in the box has it: the ballot cast after this code was shown is not the one counted (the voting page or the board swapped it)`);
      }
    }
    const boardKey = fromHex(r.manifest.keys.board);
    const fingerprint = manifestFingerprint(r.manifest as Manifest);
    for (const f of evidence) {
      const p = SpoiledEvidenceJson.safeParse(f.content);
      if (!p.success) { problems.push(`${f.name} is not an opened-ballot file: ${fieldIssues(p.error).slice(0, 3).map((i) => `${i.field}: ${i.message}`).join('; ')}`); continue; }
      const e = p.data;
      if (normalizeFingerprint(e.fingerprint) !== fingerprint) { problems.push(`${f.name} is for the vote with fingerprint ${e.fingerprint}, not this one (${fingerprint})`); continue; }
      if (!verifyStatement('spoiled-ballot', spoiledStatementBytes(e.spoiled), e.signature, boardKey)) { problems.push(`${f.name}: the board's signature over the opened ballot does not verify`); continue; }
      const listed = r.spoiled.find((s) => s.commitment === e.spoiled.commitment);
      if (!listed) problems.push(`${f.name}: the board signed this opened ballot (check code ${ballotCheckCode(e.spoiled.commitment)}) and the record leaves it out`);
      else if (canonicalJson(listed) !== canonicalJson(e.spoiled)) problems.push(`${f.name}: the record lists this opened ballot with other contents than the board signed`);
      else found.push(`${f.name}: the opened ballot ${ballotCheckCode(e.spoiled.commitment)} is in the record as the board signed it`);
    }
    return failures(problems, found);
  });
}
