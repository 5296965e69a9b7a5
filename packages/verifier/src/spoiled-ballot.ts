/**
 * One spoiled ballot checked apart from the service (`union-vote-verify check-spoiled`, and the same
 * steps as the checker page): the manifest it is read under is anchored (fingerprint from the
 * member's letter, the board's signature, every trustee's approval, the election key the sum of the
 * trustees'), then the ballot is re-encrypted from its revealed choices and randomness under that
 * election key and its commitment recomputed. The report names what it held, for its member to
 * compare with what they chose.
 */
import { fromHex, openSpoiledBallot, pointFromHex, verifyStatement } from '@union-vote/crypto';
import { ballotCheckCode, manifestFingerprint, questionShapes, spoiledStatementBytes, type ElectionRecord, type Manifest } from '@union-vote/election';
import { checkApprovals, checkFingerprint, checkManifest, checkTrustees } from './checks/manifest.ts';
import { Checks, messageOf, type Report } from './report.ts';

export interface SpoiledBallotReport extends Report {
  /** The ballot's check code (what the voting page showed before the member chose). */
  checkCode: string;
  /** Question text and what the ballot held (yes, no or blank), when it opened honestly. */
  held: { questionId: string; question: string; choice: 'yes' | 'no' | 'blank' }[];
}

export function checkSpoiledBallot(
  board: { manifest: unknown; manifestSignature: unknown; approvals: unknown },
  spoiled: unknown,
  o: { commitment: string; fingerprint?: string | undefined; signature?: string | undefined },
): SpoiledBallotReport {
  const checks = new Checks();
  const held: SpoiledBallotReport['held'] = [];
  let anchored = false;
  let fingerprint: string | undefined;
  try {
    const r = board as ElectionRecord;
    const m = r.manifest as Manifest;
    fingerprint = manifestFingerprint(m);
    anchored = checkFingerprint(fingerprint, o.fingerprint, checks);
    checkManifest(r, checks);
    checkApprovals(r, checks);
    checkTrustees(r, checks);
    checks.run('spoiled-ballot', 'the opened ballot re-encrypts to its revealed choices under the election key, with the check code the link names', () => {
      if (!checks.ok('trustees')) return ['FAIL the election key is not established (see trustees)'];
      const opened = openSpoiledBallot(spoiled, { voteId: m.voteId, publicKey: pointFromHex(m.keys.election), questions: questionShapes(m.definition) });
      if (!opened.ok) return [`FAIL ${opened.reason}: the voting page that made this ballot is cheating or broken`];
      if (opened.commitment !== o.commitment) return ['FAIL the board gave another ballot than the one asked for'];
      if (o.signature !== undefined && !verifyStatement('spoiled-ballot', spoiledStatementBytes(spoiled), o.signature, fromHex(m.keys.board))) return ['FAIL the board did not sign this opened ballot with the vote\'s board key'];
      for (const s of opened.selections) {
        const choice = s.selected[0] === 1 ? 'yes' : s.selected[1] === 1 ? 'no' : 'blank';
        held.push({ questionId: s.questionId, question: m.definition.questions.find((q) => q.id === s.questionId)?.text ?? s.questionId, choice });
      }
      return held.map((h) => `${h.question}: ${h.choice}`);
    });
  } catch (e) {
    checks.add('verifier', 'the check ran to the end', [`FAIL it stopped early: ${messageOf(e)}`], false);
  }
  return { ok: checks.list.every((c) => c.ok), anchored, ...(fingerprint ? { fingerprint } : {}), checks: checks.list, checkCode: /^[0-9a-f]{64}$/.test(o.commitment) ? ballotCheckCode(o.commitment) : '', held };
}
