/**
 * What a member checks on the board, in the browser, against the fingerprint on their letter:
 *  - "Was my code used?": the code's pseudonym looked up in the published issuance log (the code
 *    itself never leaves the page), each entry found checked against the board's signature.
 *  - "Check my receipt": the receipt file kept after voting, checked against the board as it is now:
 *    the receipt and its head signed by the vote's board key, its inclusion proof, a consistency proof
 *    from its head to today's, and today's inclusion proof at the same leaf. A member whose receipt
 *    never came gives the board's promise instead: signed by the board, and the ballot in the box by
 *    the promised time, in its local.
 * A failure is a VotingError whose message says what the member holds as evidence.
 */
import { challengedBallotNullifier, fromHex, toHex, verifyBallotPromise, verifyConsistency, verifyInclusion, verifyReceipt, verifyStatement, verifyTreeHead, type SignedTreeHead } from '@union-vote/crypto';
import {
  PROMISE_FILE_FORMAT, codePseudonym, findChallengedCode, findCode, issuanceEntryHash, normalizeCode, normalizeFingerprint, type CodeHistory, type IssuanceEntry, type PromiseFile, type ReceiptFile,
} from '@union-vote/election/members';
import { VotingError, type VotingClient } from './voting-client.ts';

/** A challenged code, found by the board's `challenge issued` act for it, and the ballot cast with it, if any. */
export interface ChallengedCodeUse {
  id: string;
  localId: string;
  /** The leaf of the ballot in the box under the challenge's nullifier; undefined if none was cast. */
  leafIndex?: number;
}

/**
 * (Member) The issuance log's entries for the member's code; undefined if it is not in the log. A
 * challenged code is never in the log: it is looked up by its challenge act, and the box by its
 * challenge's public nullifier (`challenge`).
 */
export async function lookUpCode(client: VotingClient, voteId: string, typed: string, fingerprint?: string, localId?: string): Promise<{ history: CodeHistory | undefined; fingerprint: string; challenge?: ChallengedCodeUse }> {
  const code = normalizeCode(typed);
  if (!code) throw new VotingError('invalid_code', 'this is not a voting code: 20 characters, four groups of five');
  const { board, fingerprint: actual } = await client.checkedBoard(voteId, fingerprint);
  const q = localId ? `?local=${encodeURIComponent(localId)}` : '';
  const { body } = await client.call<{ entries: IssuanceEntry[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/issuance${q}`);
  const history = findCode(body.entries, codePseudonym(voteId, code));
  const boardKey = fromHex(board.manifest.keys.board);
  for (const e of history ? [history.issued, history.revoked, history.token] : []) {
    if (e && (issuanceEntryHash(voteId, e) !== e.hash || !verifyStatement('issuance', fromHex(e.hash), e.signature, boardKey))) {
      throw new VotingError('issuance_signature', `the board's entry ${e.seq} for your code is not signed by the vote's board key`);
    }
  }
  if (!history) {
    const challenge = await challengedCodeUse(client, voteId, codePseudonym(voteId, code));
    if (challenge) return { history, fingerprint: actual, challenge };
  }
  return { history, fingerprint: actual };
}

async function challengedCodeUse(client: VotingClient, voteId: string, pseudonym: string): Promise<ChallengedCodeUse | undefined> {
  const { body } = await client.call<{ acts: { act: string; localId: string | null; details: Record<string, unknown> }[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/acts`);
  const challenge = findChallengedCode(body.acts, pseudonym);
  if (!challenge) return undefined;
  const { id, localId } = challenge;
  const nullifier = toHex(challengedBallotNullifier(voteId, localId, id));
  const found = await client.call<{ ballots: { leafIndex: number; nullifier: string }[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/ballots?nullifier=${nullifier}`);
  const ballot = found.body.ballots.find((b) => b.nullifier === nullifier);
  return { id, localId, ...(ballot ? { leafIndex: ballot.leafIndex } : {}) };
}

export interface ReceiptCheck {
  /** What was checked, in order, in plain words. */
  steps: string[];
  /** Today's head the receipt was checked against. */
  treeHead: SignedTreeHead;
}

/** (Member, monitor) Checks a receipt file against the board as it is now. */
export async function checkReceiptFile(client: VotingClient, file: ReceiptFile): Promise<ReceiptCheck> {
  if (file?.format !== 'union-vote/receipt/v2' || !file.receipt) throw new VotingError('not_a_receipt', 'this file is not a union-vote receipt');
  const voteId = file.receipt.voteId;
  const { board } = await client.checkedBoard(voteId, normalizeFingerprint(file.fingerprint) ?? file.fingerprint);
  const boardKey = fromHex(board.manifest.keys.board);
  const steps: string[] = [`The vote's manifest has the fingerprint on the receipt (${file.fingerprint}), signed by the board and approved by every trustee.`];
  const { receipt, treeHead: then } = file;
  if (!verifyReceipt(receipt, boardKey)) throw new VotingError('receipt_signature', 'the receipt is not signed by this vote\'s board key');
  steps.push(`The receipt is signed by the board: ballot ${receipt.leafIndex + 1}, local ${receipt.localId}.`);
  if (!verifyTreeHead({ voteId, ...then }, boardKey) || !verifyInclusion(fromHex(file.leafHash), receipt.leafIndex, then.treeSize, file.inclusionProof.map((h) => fromHex(h)), fromHex(then.rootHash))) {
    throw new VotingError('receipt_inclusion', 'the receipt\'s own proof does not show the ballot in the box the board signed when it was cast');
  }
  steps.push(`When it was cast, the ballot was in the box of ${then.treeSize} ballots the board signed.`);
  const now = board.treeHead;
  if (now.voteId !== voteId || !verifyTreeHead(now, boardKey)) throw new VotingError('tree_head_signature', 'today\'s tree head is not signed by the vote\'s board key');
  if (now.treeSize < then.treeSize) throw new VotingError('log_shrank', `the board now holds ${now.treeSize} ballots, fewer than the ${then.treeSize} it signed when you voted: keep this receipt and tell the monitors`);
  const { body: consistency } = await client.call<{ proof: string[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/consistency?from=${then.treeSize}&to=${now.treeSize}`);
  if (!verifyConsistency(then.treeSize, now.treeSize, fromHex(then.rootHash), fromHex(now.rootHash), consistency.proof.map((h) => fromHex(h)))) {
    throw new VotingError('log_rewritten', 'the box today does not extend the box the board signed when you voted: it was rewritten. Keep this receipt and tell the monitors');
  }
  steps.push(`Today's box of ${now.treeSize} ballots extends that one: nothing in it was changed since.`);
  const { body: inc } = await client.call<{ leafIndex: number; localId: string; leafHash: string; treeHead: SignedTreeHead; proof: string[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/inclusion?trackingCode=${receipt.trackingCode}&treeSize=${now.treeSize}`);
  if (inc.leafIndex !== receipt.leafIndex || inc.leafHash !== file.leafHash || inc.localId !== receipt.localId) throw new VotingError('ballot_moved', 'the board holds your ballot elsewhere than your receipt says: keep this receipt and tell the monitors');
  if (!verifyInclusion(fromHex(inc.leafHash), inc.leafIndex, now.treeSize, inc.proof.map((h) => fromHex(h)), fromHex(now.rootHash))) throw new VotingError('inclusion_proof', 'the board\'s proof does not show your ballot in today\'s box');
  steps.push(`Your ballot is in today's box at the same place, in local ${receipt.localId}.`);
  return { steps, treeHead: now };
}

/**
 * (Member, monitor) Checks the board's promise a member kept when no receipt came: signed by the
 * vote's board key, and the ballot with its tracking code in today's box, in its local (proven by an
 * inclusion proof in a head the board signed). Missing once the promised time has passed, the board
 * dropped the ballot: the error says to give the file to the monitors (the verifier's `receipts`
 * reads it). `inBox` is false while the promised time has not come.
 */
export async function checkPromiseFile(client: VotingClient, file: PromiseFile, now: () => Date = () => new Date()): Promise<{ steps: string[]; inBox: boolean }> {
  if (file?.format !== PROMISE_FILE_FORMAT || !file.promise) throw new VotingError('not_a_promise', 'this file is not the board\'s promise of a ballot');
  const { promise } = file;
  const voteId = promise.voteId;
  const { board } = await client.checkedBoard(voteId, normalizeFingerprint(file.fingerprint) ?? file.fingerprint);
  const boardKey = fromHex(board.manifest.keys.board);
  const steps: string[] = [`The vote's manifest has the fingerprint on the promise (${file.fingerprint}), signed by the board and approved by every trustee.`];
  if (!verifyBallotPromise(promise, boardKey)) throw new VotingError('promise_signature', 'the promise is not signed by this vote\'s board key');
  steps.push(`The promise is signed by the board: your ballot, in local ${promise.localId}, goes into the box by ${promise.sequencedBy}.`);
  let found: { status: number; body: { leafIndex?: number; localId?: string; leafHash?: string; treeHead?: SignedTreeHead; proof?: string[] } };
  try {
    found = await client.call('GET', `/api/board/${encodeURIComponent(voteId)}/inclusion?trackingCode=${promise.trackingCode}`);
  } catch (e) {
    if (!(e instanceof VotingError) || e.status !== 404) throw e;
    if (now().getTime() <= Date.parse(promise.sequencedBy)) {
      steps.push(`Your ballot is not in the box yet: the board has until ${promise.sequencedBy}. Look again then.`);
      return { steps, inBox: false };
    }
    throw new VotingError('promise_broken', `the board promised to put your ballot in the box by ${promise.sequencedBy}, and the box does not hold it: keep this file and give it to the election monitors`);
  }
  if (found.status === 202) {
    steps.push(`Your ballot waits for its batch: the board has until ${promise.sequencedBy}. Look again then.`);
    return { steps, inBox: false };
  }
  const inc = found.body;
  if (!inc.treeHead || inc.treeHead.voteId !== voteId || !verifyTreeHead(inc.treeHead, boardKey)) throw new VotingError('tree_head_signature', 'the tree head is not signed by the vote\'s board key');
  if (inc.localId !== promise.localId) throw new VotingError('ballot_moved', `the board lists your ballot in local ${inc.localId}, not ${promise.localId} as it promised: keep this file and tell the monitors`);
  if (!verifyInclusion(fromHex(inc.leafHash!), inc.leafIndex!, inc.treeHead.treeSize, inc.proof!.map((h) => fromHex(h)), fromHex(inc.treeHead.rootHash))) throw new VotingError('inclusion_proof', 'the board\'s proof does not show your ballot in today\'s box');
  steps.push(`Your ballot is in today's box: ballot ${inc.leafIndex! + 1}, in local ${promise.localId}.`);
  return { steps, inBox: true };
}
