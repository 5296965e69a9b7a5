/**
 * Opening a vote: the joint election key from the registered trustees, the board's signing key,
 * one VOPRF issuer key per local, and the board's signature over the manifest, stored together with
 * the status change in one transaction.
 */
import type { Kysely } from 'kysely';
import { findVote, listTrustees, openVoteWithKeys, type Schema } from '@union-vote/db';
import {
  generateIssuerKey, generateSigningKey, jointPublicKey, pointToHex, signStatement, toHex, trusteePublicKeyFromJson,
} from '@union-vote/crypto';
import { manifestBytes, type VoteDefinition } from '@union-vote/election';
import { AppError } from '../errors.ts';

export async function openVote(db: Kysely<Schema>, voteId: string, now: Date): Promise<void> {
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (vote.status !== 'draft') throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; only a draft can be opened`);
  const trustees = await listTrustees(db, voteId);
  if (trustees.length === 0) throw new AppError('wrong_state', `register at least one trustee key for vote ${voteId} before opening it`);
  const joint = jointPublicKey(trustees.map((t) => trusteePublicKeyFromJson(t)));
  const board = generateSigningKey();
  const issuers = vote.definition.locals.map((l) => {
    const k = generateIssuerKey();
    return { localId: l.id, secretKey: toHex(k.secretKey), publicKey: toHex(k.publicKey) };
  });
  const manifest = manifestBytes({
    voteId, definition: vote.definition, electionKey: pointToHex(joint),
    issuerKeys: Object.fromEntries(issuers.map((i) => [i.localId, i.publicKey])),
    trustees: trustees.map((t) => ({ trusteeId: t.trusteeId, publicKey: t.publicKey })),
  });
  const manifestSignature = signStatement('manifest', manifest, board.secretKey);
  const opened = await openVoteWithKeys(db, voteId, { electionPublicKey: pointToHex(joint), boardSecretKey: toHex(board.secretKey), boardPublicKey: toHex(board.publicKey), manifestSignature, issuers }, now);
  if (!opened) throw new AppError('wrong_state', `vote ${voteId} was changed meanwhile; only a draft can be opened`);
}
