/**
 * What the record is anchored to. The manifest fixes the rules, the locals and delegates, the
 * eligible counts, the window and every key; it is checked against:
 *  - `fingerprint`: the fingerprint given from outside (the member's letter, the trustees'
 *    announcement). Without one, every later check trusts keys the record itself offers, and the
 *    report says so.
 *  - `manifest`: the board's signature over it (by the board key it names) and its inner
 *    consistency (one issuer key and one eligible count per local of the definition).
 *  - `trustee-approvals`: every trustee's own signature over it. The board key alone cannot make
 *    these: a manifest re-signed with the board key, or with a brand-new one, has none.
 *  - `key-ceremony` (k of n): the trustees' distributed key generation, read again from its signed
 *    messages (election dkg.ts); the election key and each trustee's public share follow from it.
 *  - `trustees`: each trustee's proof of knowledge of their key share, their signed registration
 *    binding the share to their signing key, and the election key as the sum of the shares (n of n);
 *    k of n, each trustee's signing key is the one they joined the ceremony with.
 */
import {
  fromHex, jointPublicKey, pointFromHex, pointToHex, trusteePublicKeyFromJson, verifyStatement, verifyTrusteeKey, type Point,
} from '@union-vote/crypto';
import { evaluateCeremony, manifestBytes, normalizeFingerprint, trusteeRegistrationBytes, type ElectionRecord, type Manifest } from '@union-vote/election';
import { failures, messageOf, type Checks } from '../report.ts';

export function checkFingerprint(actual: string, given: string | undefined, checks: Checks): boolean {
  const name = 'the manifest is the one whose fingerprint was given from outside the server';
  if (given === undefined) {
    checks.add('fingerprint', name, [
      `NOT CHECKED: no fingerprint was given, so this record was checked only against itself (the keys it names could be anyone's). The manifest's fingerprint is ${actual}: compare it with the one on a member's letter or announced by the trustees, or run again with --fingerprint.`,
    ]);
    return false;
  }
  const normal = normalizeFingerprint(given);
  if (!normal) checks.add('fingerprint', name, [`FAIL the fingerprint given (${given}) is not a fingerprint: 32 characters, 8 groups of 4`]);
  else if (normal !== actual) checks.add('fingerprint', name, [`FAIL the manifest's fingerprint is ${actual}, not ${normal}: this is not the vote the trustees approved and the letters announced (its rules, counts or keys differ)`]);
  else checks.add('fingerprint', name, [`the manifest's fingerprint ${actual} is the one given`]);
  return normal === actual;
}

export function checkManifest(r: ElectionRecord, checks: Checks): void {
  checks.run('manifest', 'the definition, counts and keys are those the board signed when it sealed the vote', () => {
    const m = r.manifest as Manifest;
    const problems: string[] = [];
    if (!verifyStatement('manifest', manifestBytes(m), r.manifestSignature, fromHex(m.keys.board))) problems.push('the board signature over the manifest does not verify');
    if (m.definition.id !== m.voteId) problems.push(`the definition is for vote ${m.definition.id}, the manifest for ${m.voteId}`);
    const locals = m.definition.locals.map((l) => l.id).sort().join(',');
    if (Object.keys(m.eligible).sort().join(',') !== locals) problems.push('the eligible counts are not one per local of the vote');
    if (Object.keys(m.keys.issuers).sort().join(',') !== locals) problems.push('the issuer keys are not one per local of the vote');
    return failures(problems, [`board signature over the manifest verifies (vote ${m.voteId}, ${m.definition.locals.length} locals, ${m.trustees.length} trustees)`]);
  });
}

export function checkApprovals(r: ElectionRecord, checks: Checks): void {
  checks.run('trustee-approvals', 'every trustee approved this manifest with their own key', () => {
    const m = r.manifest as Manifest;
    const bytes = manifestBytes(m);
    const problems: string[] = [];
    const approved = new Set<string>();
    for (const a of r.approvals) {
      const t = m.trustees.find((x) => x.trusteeId === a.trusteeId);
      if (!t) problems.push(`an approval by ${a.trusteeId}, who is not a trustee of this manifest`);
      else if (approved.has(a.trusteeId)) problems.push(`${a.trusteeId} approved twice`);
      else if (!verifyStatement('manifest-approval', bytes, a.signature, fromHex(t.signingKey))) problems.push(`${a.trusteeId}'s approval does not verify over this manifest with their signing key: the manifest was changed after they approved it`);
      else approved.add(a.trusteeId);
    }
    for (const t of m.trustees) if (!r.approvals.some((a) => a.trusteeId === t.trusteeId)) problems.push(`${t.trusteeId} did not approve the manifest`);
    return failures(problems, `${approved.size} of ${m.trustees.length} trustees approved: ${[...approved].join(', ')}`);
  });
}

/** Checks the trustees; returns their key shares (those that decode) for the decryption checks. */
export function checkTrustees(r: ElectionRecord, checks: Checks): Map<string, Point> {
  const keys = new Map<string, Point>();
  const m = r.manifest as Manifest;
  checkCeremony(m, checks);
  checks.run('trustees', "trustees' keys, their registrations, and the joint election key", () => {
    const details: string[] = [];
    const ids = new Set<string>();
    for (const t of m.trustees) {
      if (ids.has(t.trusteeId)) details.push(`FAIL trustee ${t.trusteeId} is listed twice`);
      ids.add(t.trusteeId);
      try {
        if (m.dkg) {
          keys.set(t.trusteeId, pointFromHex(t.publicKey, 'public share'));
          const join = m.dkg.joins.find((j) => j.trusteeId === t.trusteeId);
          details.push(!join || join.signingKey !== t.signingKey || join.signature !== t.registration ? `FAIL trustee ${t.trusteeId}: the signing key or registration is not the one they joined the key ceremony with`
            : t.proof !== undefined ? `FAIL trustee ${t.trusteeId}: a key of their own (with a proof) in a k-of-n vote`
            : `trustee ${t.trusteeId}: their signing key is the one they joined the key ceremony with`);
          continue;
        }
        const k = trusteePublicKeyFromJson({ trusteeId: t.trusteeId, publicKey: t.publicKey, proof: t.proof });
        keys.set(t.trusteeId, k.publicKey);
        const registered = verifyStatement('trustee-registration', trusteeRegistrationBytes({ voteId: m.voteId, ...t }), t.registration, fromHex(t.signingKey));
        details.push(!verifyTrusteeKey(m.voteId, k) ? `FAIL trustee ${t.trusteeId}: proof of knowledge does not verify`
          : !registered ? `FAIL trustee ${t.trusteeId}: the registration is not signed by their signing key`
          : `trustee ${t.trusteeId}: proof of knowledge and signed registration verify`);
      } catch (e) {
        details.push(`FAIL trustee ${t.trusteeId}: ${messageOf(e)}`);
      }
    }
    if (m.dkg) {
      // The key and the public shares were checked against the ceremony (key-ceremony); here, that the manifest lists them.
      if (!checks.ok('key-ceremony')) details.push('FAIL the key ceremony does not verify (see key-ceremony), so neither the election key nor the trustees\' shares are established');
      return details;
    }
    try {
      const joint = jointPublicKey(m.trustees.map((t) => trusteePublicKeyFromJson(t)));
      details.push(pointToHex(joint) === m.keys.election ? "the election key is the sum of the trustees' keys" : "FAIL the election key is not the sum of the trustees' keys");
    } catch (e) {
      details.push(`FAIL the joint key cannot be formed: ${messageOf(e)}`);
    }
    return details;
  });
  return keys;
}

/**
 * `key-ceremony` (k of n): the transcript sealed into the manifest, read again from its messages
 * alone: every message signed by its author, every deal's commitments proven, every complaint
 * settled by the rules, the qualified trustees those the rules give, the election key the sum of
 * their constant terms, each trustee's public share the one their commitments give, and the
 * threshold and count those of the definition.
 */
function checkCeremony(m: Manifest, checks: Checks): void {
  checks.run('key-ceremony', "the trustees' key ceremony: every message signed and proven, every complaint settled, and the election key and each trustee's share as the qualified dealers' commitments give them", () => {
    const wanted = m.definition.trustees;
    if (!m.dkg && !wanted) return [`n of n: no key ceremony; each of the ${m.trustees.length} trustees registered a key of their own, and all are needed to decrypt`];
    if (!m.dkg) return [`FAIL the definition names ${wanted!.threshold}-of-${wanted!.count} trustees, but the manifest holds no key ceremony`];
    if (!wanted) return ['FAIL the manifest holds a key ceremony, but the definition names no trustees count and threshold'];
    const d = m.dkg;
    const details: string[] = [];
    if (d.threshold !== wanted.threshold) details.push(`FAIL the ceremony's threshold is ${d.threshold}, the definition's ${wanted.threshold}`);
    const state = evaluateCeremony(m.voteId, wanted.count, wanted.threshold, d, true);
    details.push(...state.invalid.map((x) => `FAIL ${x}`));
    for (const x of state.disqualified) details.push(`disqualified ${x.trusteeId}: ${x.reason}`);
    if (state.failed) details.push(`FAIL ${state.failed}`);
    if (state.qualified.join(',') !== d.qualified.join(',')) details.push(`FAIL the manifest says ${d.qualified.join(', ')} qualified; the rules give ${state.qualified.join(', ')}`);
    if (m.trustees.map((t) => t.trusteeId).sort().join(',') !== [...state.qualified].sort().join(',')) details.push('FAIL the manifest\'s trustees are not exactly the qualified ones');
    if (state.electionKey && state.electionKey !== m.keys.election) details.push("FAIL the election key is not the sum of the qualified dealers' constant-term commitments: nobody holds shares of it");
    for (const t of m.trustees) {
      const Y = state.publicShares?.[t.trusteeId];
      if (Y && Y !== t.publicKey) details.push(`FAIL ${t.trusteeId}'s public share is not the one the commitments give`);
    }
    if (!details.some((x) => x.startsWith('FAIL'))) details.push(`${wanted.threshold} of ${wanted.count}: ${d.deals.length} deals proven, ${d.checks.reduce((n, c) => n + c.complaints.length, 0)} complaint(s) settled, ${state.qualified.length} trustees qualified (${state.qualified.join(', ')}); the election key and their shares follow from the commitments`);
    return details;
  });
}
