/**
 * The member's ballot check (docs/ballot-check.md): before asking "Cast this ballot" or "Check it
 * first", the page encrypts the choices (no proofs, nothing bound to the token yet) and shows the
 * ballot's check code, the commitment to its ciphertexts. "Check it first" opens that ballot (choices
 * and randomness) to the board as spoiled and gives the member a link to the independent checker,
 * which shows the choice the ballot held under the same code; the page then encrypts afresh. "Cast"
 * proves the same ciphertexts under the token (VotingClient.vote with `prepared`), so the ballot in
 * the box has the code the member saw: they look it up on the board from another device.
 *
 * The opening is sent without code, token, local or session: a spoiled ballot is not linked to the
 * member or to their cast ballot.
 */
import { commitBallot, pointFromHex, prepareBallot, spoilBallot, type CommittedBallot, type SpoiledBallotJson } from '@union-vote/crypto';
import { ballotCheckCode, ballotShapeFor, type Manifest } from '@union-vote/election/members';
import { VotingError, type Choice, type VotingClient } from './voting-client.ts';

/** A ballot encrypted and committed to, waiting for the member's "Cast" or "Check it first". */
export interface PreparedChoices {
  voteId: string;
  localId: string;
  committed: CommittedBallot;
  /** The commitment's code, shown before the member chooses and by the checker after. */
  checkCode: string;
}

/** The 0/1 vectors of the member's choices, for the questions of their local, in the manifest's order. */
export function choiceVectors(manifest: Manifest, localId: string, choices: Record<string, Choice>): Record<string, number[]> {
  const vectors: Record<string, number[]> = {};
  for (const q of ballotShapeFor(manifest.definition, localId)) {
    const choice = choices[q.id];
    if (!choice) throw new VotingError('missing_choice', `no choice for question ${q.id}`);
    if (choice === 'blank' && !q.blankAllowed) throw new VotingError('blank_not_allowed', `question ${q.id} does not allow a blank ballot`);
    vectors[q.id] = choice === 'yes' ? [1, 0] : choice === 'no' ? [0, 1] : [0, 0];
  }
  return vectors;
}

/** Encrypts the choices under the manifest's election key and commits to them (nothing is sent). */
export function prepareChoices(p: { manifest: Manifest; localId: string; choices: Record<string, Choice> }): PreparedChoices {
  const { manifest, localId } = p;
  const prepared = prepareBallot(choiceVectors(manifest, localId, p.choices), {
    voteId: manifest.voteId, publicKey: pointFromHex(manifest.keys.election), questions: ballotShapeFor(manifest.definition, localId),
  });
  const committed = commitBallot(prepared);
  return { voteId: manifest.voteId, localId, committed, checkCode: ballotCheckCode(committed.commitment) };
}

export interface SpoiledReceipt {
  commitment: string;
  checkCode: string;
  /** When the board publishes it (the end of its batch). */
  publishedAt: string;
  /** The independent checker's address with this ballot in its fragment (never sent to a server). */
  checkerLink: string;
}

/**
 * "Check it first": opens the prepared ballot to the board as spoiled (it can never be cast) and
 * returns the link to the checker. `origin` is the board's address, as the checker should fetch it.
 */
export async function spoilPrepared(client: VotingClient, p: { prepared: PreparedChoices; manifest: Manifest; fingerprint: string; origin: string; lang?: string }): Promise<SpoiledReceipt> {
  const spoiled = spoilBallot(p.prepared.committed);
  const { body } = await client.call<{ commitment: string; checkCode: string; publishedAt: string }>('POST', `/api/votes/${encodeURIComponent(p.manifest.voteId)}/spoiled`, { spoiled });
  if (body.commitment !== p.prepared.committed.commitment) throw new VotingError('spoil_mismatch', 'the board kept another ballot than the one opened');
  return {
    commitment: body.commitment, checkCode: p.prepared.checkCode, publishedAt: body.publishedAt,
    checkerLink: checkerLink({ manifest: p.manifest, origin: p.origin, commitment: body.commitment, fingerprint: p.fingerprint, opening: spoiled, ...(p.lang ? { lang: p.lang } : {}) }),
  };
}

/**
 * Where the member checks a spoiled ballot: the checker the vote's definition names (hosted apart
 * from the operator), else the service's own copy; the board, vote, ballot, fingerprint and the
 * opening itself ride in the fragment (never sent to a server). With the opening in the link, the
 * checker shows what the ballot held without asking the board, so a board that withholds or erases
 * an opening that shows a cheating page cannot stop the check; the board's signed copy is then the
 * evidence that it was published.
 */
export function checkerLink(p: { manifest: Manifest; origin: string; commitment: string; fingerprint: string; lang?: string; opening?: SpoiledBallotJson }): string {
  const base = p.manifest.definition.checkerUrl ?? `${p.origin.replace(/\/$/, '')}/assets/checker.html`;
  const fragment = new URLSearchParams({ board: p.origin.replace(/\/$/, ''), vote: p.manifest.voteId, ballot: p.commitment, fp: p.fingerprint.replace(/ /g, '') });
  if (p.lang) fragment.set('lang', p.lang);
  if (p.opening) fragment.set('open', encodeOpening(p.opening));
  return `${base}#${fragment}`;
}

/** An opening as base64url of its JSON, for a link's fragment. */
export function encodeOpening(spoiled: SpoiledBallotJson): string {
  const bytes = new TextEncoder().encode(JSON.stringify(spoiled));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The opening a link carries, or undefined if it is not readable (the checker then asks the board). */
export function decodeOpening(text: string | null | undefined): unknown {
  if (!text || text.length > 200_000 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}
