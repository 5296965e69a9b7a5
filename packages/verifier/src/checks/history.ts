/**
 * The vote's two signed histories:
 *  - `official-acts`: every act of the officials, an unbroken chain, signed by the board from the
 *    sealing on, in an order the rules allow (acts.ts `checkActs`).
 *  - `issuance-log`: every code as a pseudonym, issued, revoked, or spent on a token; an unbroken,
 *    signed chain whose rules (issuance.ts `checkIssuanceLog`) give the counts the eligibility
 *    check compares; the codes it issues per local are those the official acts issue.
 *  - `unused-codes`: codes whose holders say they did not vote (given to the verifier): none may
 *    show a token drawn, a replacement, or be missing from the log. A challenged code is never in the
 *    log: it is found by its `challenge issued` act, and no ballot may be in the box under its
 *    challenge's nullifier.
 */
import { challengedBallotNullifier, fromHex, toHex, verifyStatement } from '@union-vote/crypto';
import {
  checkActs, checkIssuanceLog, codePseudonym, findChallengedCode, findCode, manifestFingerprint, normalizeCode, type Act, type Manifest, type ActsSummary, type ElectionRecord, type IssuanceEntry, type LocalIssuance,
} from '@union-vote/election';
import { failures, type Checks } from '../report.ts';

export function checkOfficialActs(r: ElectionRecord, checks: Checks): ActsSummary {
  const boardKey = fromHex(r.manifest.keys.board);
  let summary: ActsSummary = { problems: [], codesIssued: new Map() };
  checks.run('official-acts', 'the official acts form an unbroken, signed chain in an order the rules allow', () => {
    summary = checkActs(r.acts as Act[], {
      voteId: r.manifest.voteId, status: r.status,
      verifySignature: (hash, signature) => verifyStatement('act', fromHex(hash), signature, boardKey),
    });
    const sealed = r.acts.filter((a) => a.act === 'vote sealed').at(-1);
    const fingerprint = manifestFingerprint(r.manifest as Manifest);
    const problems = [...summary.problems];
    if (sealed && sealed.details.fingerprint !== fingerprint) problems.push(`the act that sealed the vote names the fingerprint ${String(sealed.details.fingerprint)}, not the manifest's ${fingerprint}`);
    return failures(problems, `${r.acts.length} acts: ${[...new Set(r.acts.map((a) => a.act))].join(', ')}`);
  });
  return summary;
}

export function checkIssuance(r: ElectionRecord, acts: ActsSummary, checks: Checks): Map<string, LocalIssuance> | undefined {
  const boardKey = fromHex(r.manifest.keys.board);
  let locals: Map<string, LocalIssuance> | undefined;
  checks.run('issuance-log', 'the issuance log is an unbroken, signed chain: each code issued once, revoked or spent at most once', () => {
    const result = checkIssuanceLog(r.issuanceLog as IssuanceEntry[], {
      voteId: r.manifest.voteId,
      localIds: new Set(r.manifest.definition.locals.map((l) => l.id)),
      verifySignature: (hash, signature) => verifyStatement('issuance', fromHex(hash), signature, boardKey),
      closedAt: acts.closedAt,
    });
    const problems = [...result.problems];
    for (const [localId, l] of result.locals) {
      const byActs = acts.codesIssued.get(localId) ?? 0;
      if (byActs !== l.issued) problems.push(`local ${localId}: the log issues ${l.issued} codes, the official acts ${byActs}`);
    }
    locals = result.locals;
    return failures(problems, [...result.locals].map(([id, l]) => `local ${id}: ${l.issued} codes issued, ${l.revoked} revoked, ${l.tokens} spent on a token`));
  });
  return locals;
}

export function checkUnusedCodes(r: ElectionRecord, codes: readonly string[], checks: Checks): void {
  checks.run('unused-codes', 'codes whose holders did not vote drew no token and were not replaced', () => {
    if (codes.length === 0) return ['no codes were given (--unused-code CODE, for a member who did not vote)'];
    const details: string[] = [];
    const voteId = r.manifest.voteId;
    const leafOf = new Map(r.ballots.map((b, i) => [b.nullifier, i]));
    for (const typed of codes) {
      const canonical = normalizeCode(typed);
      if (!canonical) {
        details.push(`FAIL "${typed}" is not a voting code`);
        continue;
      }
      const shown = `${canonical.slice(0, 5)}…`;
      const pseudonym = codePseudonym(voteId, canonical);
      // A challenged code, by the act that names it (its ballot carries the challenge's nullifier, not a token's).
      const challenge = findChallengedCode(r.acts, pseudonym);
      if (challenge) {
        if (findCode(r.issuanceLog as IssuanceEntry[], pseudonym)) {
          details.push(`FAIL challenged code ${shown} (challenge ${challenge.id}) is also in the issuance log as an ordinary code: one code cannot be both`);
          continue;
        }
        const leaf = leafOf.get(toHex(challengedBallotNullifier(voteId, challenge.localId, challenge.id)));
        if (leaf !== undefined) details.push(`FAIL challenged code ${shown} (challenge ${challenge.id}, local ${challenge.localId}): a ballot was cast with it (leaf ${leaf}), though its holder did not vote: someone voted in their place`);
        else details.push(`challenged code ${shown} (challenge ${challenge.id}, local ${challenge.localId}): no ballot was cast with it`);
        continue;
      }
      const found = findCode(r.issuanceLog as IssuanceEntry[], pseudonym);
      if (!found) details.push(`FAIL code ${shown} is not in the issuance log: the log leaves out a code that was handed out`);
      else if (found.token) details.push(`FAIL code ${shown} (local ${found.localId}) drew a voting token (logged ${found.token.at}), though its holder did not vote: someone voted in their place`);
      else if (found.revoked) details.push(`FAIL code ${shown} (local ${found.localId}) was revoked ${found.revoked.at}; if its holder did not ask for a new letter, get a challenged code or leave good standing, someone replaced it`);
      else details.push(`code ${shown} (local ${found.localId}): issued ${found.issued.at}, never used`);
    }
    return details;
  });
}
