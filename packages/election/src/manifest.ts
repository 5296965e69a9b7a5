/**
 * A vote's manifest: everything fixed when the vote is sealed for the trustees' approval — the
 * definition (questions, rules, locals with their delegate counts, window, turnout setting), each
 * local's eligible count from the roster at that moment, the joint election key, the board's key,
 * every local's token issuer key, and the trustees' keys with their proofs. The board signs its
 * canonical bytes; every trustee countersigns them with their own key; its fingerprint
 * (fingerprint.ts) is printed on every code letter. A changed rule, delegate count, eligible count
 * or key afterwards matches neither the fingerprint nor the trustees' signatures, whoever re-signs
 * it with the board key.
 *
 * Zod-free (the voting page checks manifests); the record's schema (record.ts) validates one.
 */
import { canonicalJson } from './canonical.ts';
import type { VoteDefinition } from './definition.ts';
import { fingerprintOf } from './fingerprint.ts';
import type { DkgTranscript } from './dkg.ts';

export const MANIFEST_FORMAT = 'union-vote/manifest/v2';

export interface ManifestTrustee {
  trusteeId: string;
  /** The trustee's share of the election key, a ristretto255 point (hex). */
  publicKey: string;
  /**
   * Schnorr proof of knowledge of that share's secret, bound to the vote and the trustee. Absent
   * when the trustees made the key together (`dkg`): the share is then their public share, which
   * follows from the ceremony's commitments, each proven.
   */
  proof?: { u: string; s: string };
  /** The trustee's Ed25519 public key: signs the registration and approves the manifest. */
  signingKey: string;
  /**
   * The trustee's Ed25519 signature over `trusteeRegistrationBytes` (statement kind
   * "trustee-registration"); with `dkg`, their signed join message (`joinBytes`, "dkg-join").
   */
  registration: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  voteId: string;
  definition: VoteDefinition;
  /** Members eligible per local when the vote was sealed (signed roster acts change it later). */
  eligible: Record<string, number>;
  keys: {
    /** The trustees' joint ElGamal key: Σ of their shares. */
    election: string;
    /** The board's Ed25519 key: signs receipts, tree heads, acts and the issuance log. */
    board: string;
    /** Per local, the VOPRF issuer key its members' tokens are made with. */
    issuers: Record<string, string>;
  };
  trustees: ManifestTrustee[];
  /** k of n: the trustees' key ceremony, whole (election dkg.ts); absent for n-of-n keys. */
  dkg?: DkgTranscript;
}

/** The bytes the board signs, the trustees countersign and the fingerprint hashes. */
export function manifestBytes(m: Manifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(m));
}

export function manifestFingerprint(m: Manifest): string {
  return fingerprintOf(manifestBytes(m));
}

/** What a trustee signs when registering: its two keys, for this vote, under its id. */
export function trusteeRegistrationBytes(r: { voteId: string; trusteeId: string; publicKey: string; signingKey: string }): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ format: 'union-vote/trustee-registration/v1', voteId: r.voteId, trusteeId: r.trusteeId, publicKey: r.publicKey, signingKey: r.signingKey }));
}
