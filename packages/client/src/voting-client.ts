/**
 * The member's side of casting, over HTTP: shared by the voting page, the tests and load tools.
 * Pure: only `fetch` and an optional key-value store; runs in a browser, workerd and Node.
 *
 * Flow (client-side):
 *   1. read the board and check its manifest: its fingerprint is the one on the member's letter
 *      (computed here, never taken from the server), the board signed it, every trustee approved
 *      it. From here on every key comes from that manifest, never from another answer of the server.
 *   2. check the code → the member's local
 *   3. derive the token request from a device seed kept on the device, send only the blinded
 *      element with the code, verify the issuer's proof against the manifest's key for the local
 *      (a server answering with a key of its own, to tag this member, is refused), unblind
 *   4. encrypt the choices (or take the ones already encrypted and committed to, which the member
 *      could have checked: ballot-check.ts), prove them under the vote, local, question and the
 *      token's nullifier; keep the encrypted ballot in the store before sending it
 *   5. cast with the token; verify the board's signed promise (the ballot goes into the box with
 *      its batch, in an order that does not follow arrival)
 *   6. once the batch is sequenced, fetch the receipt and the inclusion proof of the ballot and
 *      check them against the board key and a signed tree head; the receipt file (receipt, head,
 *      proof) is what the member keeps; the stored ballot is wiped
 * Steps 1-3 (obtainToken) run when the code is accepted, 4-6 (vote) when the member has chosen.
 * A challenged code (election challenges.ts) draws no token: the ballot is proven under the
 * challenge's public nullifier and cast with the code, and is set aside until the officials rule.
 * A crash anywhere before 6 is recovered by running `vote` again with the same code and seed:
 * the same token request gets the same answer, and the stored ballot is sent again, which gets
 * the same receipt. The store never holds the member's choice in the clear.
 */
import {
  ballotCommitmentOf, ballotFromJson, ballotLeaf, challengedBallotNullifier, ballotToJson, finalizeToken, prepareBallot, proveBallot, fromHex, jointPublicKey, leafHash, pointFromHex, pointToHex, prepareTokenRequest,
  toHex, tokenNullifier, tokenToJson, trackingCode, trusteePublicKeyFromJson, verifyBallotPromise, verifyInclusion, verifyReceipt, verifyStatement, verifyTreeHead,
  verifyTrusteeKey, type BallotPromise, type EncryptedBallotJson, type Receipt, type SignedTreeHead, type Token,
} from '@union-vote/crypto';
import {
  RECEIPT_FILE_FORMAT, ballotCheckCode, ballotShapeFor, codePseudonym, ceremonyKeysProblem, manifestBytes, manifestFingerprint, normalizeFingerprint, trusteeRegistrationBytes, promiseFileOf, promiseTimesProblem, batchMilliseconds, SEQUENCING_SLACK_MS, type Manifest, type PromiseFile, type ReceiptFile,
} from '@union-vote/election/members';
import { choiceVectors, type PreparedChoices } from './ballot-check.ts';

export type Choice = 'yes' | 'no' | 'blank';

export interface BoardView {
  vote: { id: string; title: string; status: string; opensAt: string; closesAt: string };
  manifest: Manifest;
  manifestSignature: string;
  fingerprint: string;
  approvals: { trusteeId: string; signature: string }[];
  counts: { localId: string; eligible: number; codesIssued: number; tokensIssued: number; ballotsCast: number }[];
  treeHead: SignedTreeHead;
}

/** An error answer of the server, or a check the client made that failed. */
export class VotingError extends Error {
  constructor(readonly code: string, message: string, readonly status?: number, readonly field?: string) {
    super(message);
    this.name = 'VotingError';
  }
}

export interface Store {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove?(key: string): void | Promise<void>;
}

/** A ballot's place in the box: its receipt, a signed tree head and the proof that leads to it. */
export interface Inclusion {
  leafIndex: number;
  receipt: Receipt;
  treeHead: SignedTreeHead;
  proof: string[];
  leafHash: string;
}

/** A token drawn for a vote (obtainToken), with the board whose manifest it was checked against. */
export interface DrawnToken {
  voteId: string;
  localId: string;
  /** The anonymous token; absent for a challenged code. */
  token?: Token;
  /** A challenged code: its challenge id, and the code the ballot is cast with. */
  challenge?: { id: string; code: string };
  board: BoardView;
  fingerprint: string;
}

/** What checking a code tells: its local, whether it drew a token; for a challenged code, its id and whether its ballot was cast. */
export interface CodeCheck {
  localId: string;
  tokenIssued: boolean;
  challenge?: string;
  cast?: boolean;
}

export interface VoteResult {
  localId: string;
  trackingCode: string;
  /** The check code of the cast ballot (the one shown before "Cast"), to look up on the board. */
  checkCode: string;
  /** For a challenged ballot: its challenge (the ballot is counted only if the officials accept it). */
  challenge?: string;
  receipt: Receipt;
  inclusion: Inclusion;
  /** What the member keeps and can show any monitor or verifier (`union-vote-verify --receipts`). */
  receiptFile: ReceiptFile;
}

export interface VotingClientOptions {
  /** Origin of the service, e.g. https://vote.example.org ('' for the same origin in a page). */
  baseUrl: string;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Where the encrypted ballot waits between encrypting and receiving the receipt. */
  store?: Store;
  /** This device's clock (tests set it): no ballot is cast after the manifest's closing time by it. */
  now?: () => Date;
}

/**
 * (Anyone, before relying on a manifest) What is wrong with its keys, or null: each trustee's proof
 * of knowledge of their key share and their signed registration, and the election key the sum of the
 * shares. A manifest with an election key of the operator's own would let it read every ballot as it
 * is cast; this refuses it before anyone encrypts to it or approves it.
 */
export function manifestKeysProblem(m: Manifest): string | null {
  try {
    if (m.dkg || m.definition.trustees) return ceremonyKeysProblem(m);
    const shares = m.trustees.map((t) => trusteePublicKeyFromJson({ trusteeId: t.trusteeId, publicKey: t.publicKey, proof: t.proof }));
    for (const [i, t] of m.trustees.entries()) {
      if (!verifyTrusteeKey(m.voteId, shares[i]!)) return `trustee ${t.trusteeId}'s proof of knowledge of their key does not verify`;
      if (!verifyStatement('trustee-registration', trusteeRegistrationBytes({ voteId: m.voteId, ...t }), t.registration, fromHex(t.signingKey))) return `trustee ${t.trusteeId}'s registration is not signed by their key`;
    }
    if (pointToHex(jointPublicKey(shares)) !== m.keys.election) return 'the election key is not the sum of the trustees\' keys: someone else could read the ballots';
    return null;
  } catch (e) {
    return `the manifest's keys cannot be read: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * (Client-side) Checks a board's manifest: fingerprint (when the member's letter gave one), the
 * board's signature, every trustee's approval, and its keys (manifestKeysProblem). Returns the
 * fingerprint computed from the manifest.
 */
export function checkManifest(board: Pick<BoardView, 'manifest' | 'manifestSignature' | 'approvals'>, fromLetter?: string): string {
  const m = board.manifest;
  const fingerprint = manifestFingerprint(m);
  if (fromLetter !== undefined) {
    const expected = normalizeFingerprint(fromLetter);
    if (expected !== fingerprint) throw new VotingError('fingerprint_mismatch', `this board's vote has the fingerprint ${fingerprint}, not ${expected ?? fromLetter} from your letter: do not vote here`);
  }
  const bytes = manifestBytes(m);
  if (!verifyStatement('manifest', bytes, board.manifestSignature, fromHex(m.keys.board))) throw new VotingError('manifest_signature', 'the board did not sign this vote\'s manifest');
  for (const t of m.trustees) {
    const a = board.approvals.find((x) => x.trusteeId === t.trusteeId);
    if (!a || !verifyStatement('manifest-approval', bytes, a.signature, fromHex(t.signingKey))) throw new VotingError('manifest_not_approved', `trustee ${t.trusteeId} has not approved this vote's manifest`);
  }
  const keys = manifestKeysProblem(m);
  if (keys) throw new VotingError('manifest_keys', keys);
  return fingerprint;
}

export class VotingClient {
  private readonly base: string;
  private readonly fetchFn: (input: string, init?: RequestInit) => Promise<Response>;
  private readonly store: Store;
  private readonly now: () => Date;

  constructor(options: VotingClientOptions) {
    this.base = options.baseUrl.replace(/\/$/, '');
    this.now = options.now ?? (() => new Date());
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    const memory = new Map<string, string>();
    this.store = options.store ?? { get: (k) => memory.get(k), set: (k, v) => void memory.set(k, v), remove: (k) => void memory.delete(k) };
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    // No cookies: casting is anonymous, and must not carry a staff session from the same browser.
    const res = await this.fetchFn(this.base + path, {
      method,
      credentials: 'omit',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new VotingError('bad_response', `the server answered ${res.status} with something that is not JSON`, res.status);
    }
    if (!res.ok) {
      const e = (parsed as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
      throw new VotingError(e?.code ?? 'http_error', e?.message ?? `the server answered ${res.status}`, res.status, e?.field);
    }
    return { status: res.status, body: parsed as T };
  }

  board(voteId: string): Promise<BoardView> {
    return this.call<BoardView>('GET', `/api/board/${encodeURIComponent(voteId)}`).then((r) => r.body);
  }

  /** The board, its manifest checked against the fingerprint from the member's letter (when given). */
  async checkedBoard(voteId: string, fingerprint?: string): Promise<{ board: BoardView; fingerprint: string }> {
    const board = await this.board(voteId);
    if (board.manifest?.voteId !== voteId) throw new VotingError('manifest_mismatch', `the board's manifest is not for vote ${voteId}`);
    return { board, fingerprint: checkManifest(board, fingerprint) };
  }

  /** The code's local, and whether it has already produced a token (or, for a challenged code, its challenge). */
  checkCode(voteId: string, code: string): Promise<CodeCheck> {
    return this.call<CodeCheck>('POST', `/api/votes/${encodeURIComponent(voteId)}/codes/check`, { code }).then((r) => r.body);
  }

  /**
   * Draws the member's anonymous token: checks the board's manifest (against the letter's
   * fingerprint when given), the code's local, sends only the blinded element with the code and
   * verifies the answer against the manifest's issuer key. The voting page does this as soon as the
   * code is accepted, before the member reads the questions, so the token and the cast are minutes
   * apart, not milliseconds. The same code and device seed always give the same token.
   */
  async obtainToken(p: { voteId: string; code: string; deviceSeed: Uint8Array; localId?: string; board?: BoardView; fingerprint?: string; challenge?: string }): Promise<DrawnToken> {
    const board = p.board ?? (await this.board(p.voteId));
    const fingerprint = checkManifest(board, p.fingerprint);
    const manifest = board.manifest;
    // The closing time is the sealed one, not the server's: a server that keeps taking ballots past
    // it (to let a late push decide the vote) gets none from this device.
    this.refuseAfterClosing(manifest);
    let checked: CodeCheck | undefined = p.localId ? undefined : await this.checkCode(p.voteId, p.code);
    const localId = p.localId ?? checked!.localId;
    const challenged = async (id: string): Promise<DrawnToken> => {
      await this.checkChallenged(p.voteId, localId, id, p.code);
      return { voteId: p.voteId, localId, challenge: { id, code: p.code }, board, fingerprint };
    };
    const challenge = p.challenge ?? checked?.challenge;
    if (challenge) return challenged(challenge);
    const issuerKey = manifest.keys.issuers[localId];
    if (!issuerKey) throw new VotingError('unknown_local', `local ${localId} has no issuer key in the vote's manifest`);
    // Only the blinded element and the code leave the device.
    const request = prepareTokenRequest({ deviceSeed: p.deviceSeed, code: p.code, voteId: p.voteId, localId });
    let answer: { evaluated: string; proof: string; issuerPublicKey: string };
    try {
      answer = (await this.call<typeof answer>('POST', `/api/votes/${encodeURIComponent(p.voteId)}/tokens`, { localId, code: p.code, blinded: toHex(request.blinded) })).body;
    } catch (e) {
      // A challenged code draws no token: its ballot is cast with the code, under its challenge.
      if (!(e instanceof VotingError && e.code === 'challenged_code')) throw e;
      checked = await this.checkCode(p.voteId, p.code);
      if (!checked.challenge || checked.localId !== localId) throw e;
      return challenged(checked.challenge);
    }
    if (answer.issuerPublicKey !== issuerKey) throw new VotingError('issuer_key_mismatch', 'the server answered with an issuer key other than the one in the vote\'s manifest: it could recognise your ballot; do not vote here, tell your local and the monitors');
    const token = finalizeToken(request, { evaluated: fromHex(answer.evaluated), proof: fromHex(answer.proof) }, fromHex(issuerKey));
    return { voteId: p.voteId, localId, token, board, fingerprint };
  }

  /**
   * Votes: `choices` maps each question the member's local answers to yes, no or blank (blank
   * only where allowed). `fingerprint` and `localId` are the ones on the member's letter (its link
   * carries both): without `localId` the client takes the server's word for the member's local, and
   * the caller should show it to the member. `token` is the one drawn earlier (obtainToken); without
   * it the token is drawn now. The cast is answered with the board's promise; this waits for the
   * ballot's batch to be sequenced (`onPromise` hears the promise first) and returns the verified
   * receipt, inclusion proof and the receipt file to keep. `prepared` is the ballot whose code the
   * member was shown (ballot-check.ts, prepareChoices): its ciphertexts are the ones cast.
   */
  async vote(p: {
    voteId: string; code: string; deviceSeed: Uint8Array; choices: Record<string, Choice>; localId?: string; board?: BoardView; fingerprint?: string;
    token?: DrawnToken; onPromise?: (promise: BallotPromise, file: PromiseFile) => void; prepared?: PreparedChoices;
  }): Promise<VoteResult> {
    const drawn = p.token && p.token.voteId === p.voteId ? p.token : await this.obtainToken(p);
    const { localId, token, challenge, fingerprint } = drawn;
    const manifest = drawn.board.manifest;
    this.refuseAfterClosing(manifest);
    if (!token && !challenge) throw new VotingError('no_token', 'no voting token was drawn for this code');
    const nullifier = challenge ? challengedBallotNullifier(p.voteId, localId, challenge.id) : tokenNullifier(token!.input, p.voteId, localId);

    // Ballot: reuse the one encrypted before a crash, so a retry is the identical ballot.
    const storeKey = `union-vote:ballot:${p.voteId}:${toHex(nullifier)}`;
    let json = await this.store.get(storeKey);
    if (p.prepared && (p.prepared.voteId !== p.voteId || p.prepared.localId !== localId)) {
      throw new VotingError('prepared_mismatch', `the ballot whose check code was shown was made for vote ${p.prepared.voteId}, local ${p.prepared.localId}: encrypt the choices again`);
    }
    if (!json) {
      const shapes = ballotShapeFor(manifest.definition, localId);
      const context = { voteId: p.voteId, localId, publicKey: pointFromHex(manifest.keys.election), nullifier, questions: shapes };
      // The ciphertexts the member was shown the code of (and could have checked), proven under the token now.
      const encrypted = proveBallot(p.prepared ? p.prepared.committed.prepared : prepareBallot(choiceVectors(manifest, localId, p.choices), context), context);
      json = JSON.stringify(ballotToJson(encrypted));
      await this.store.set(storeKey, json);
    }
    const ballotJson = JSON.parse(json) as EncryptedBallotJson;
    // A ballot stored before a crash is the one cast; it must be the one whose code the member was shown now.
    if (p.prepared && ballotCommitmentOf(ballotJson) !== p.prepared.committed.commitment) {
      throw new VotingError('prepared_mismatch', 'this phone already holds another encrypted ballot for your token (from an interrupted attempt): cast that one (its code differs from the one shown), or ask the monitors');
    }
    const ballot = ballotFromJson(ballotJson);
    const code = trackingCode(ballot);
    const boardKey = fromHex(manifest.keys.board);

    let cast: { receipt?: Receipt; promise?: BallotPromise; boardPublicKey: string };
    try {
      const credential = challenge ? { challengeCode: challenge.code } : { token: tokenToJson(token!) };
      cast = (await this.call<typeof cast>('POST', `/api/votes/${encodeURIComponent(p.voteId)}/ballots`, { localId, ...credential, ballot: ballotJson })).body;
    } catch (e) {
      // A ballot opened by a check (its choices public) is never cast: forget it, so a retry encrypts afresh.
      if (e instanceof VotingError && e.code === 'ballot_opened') await this.store.remove?.(storeKey);
      throw e;
    }
    if (cast.promise) {
      const promise = cast.promise;
      if (promise.trackingCode !== code || promise.voteId !== p.voteId || promise.localId !== localId) throw new VotingError('promise_mismatch', 'the board\'s promise is for another ballot');
      if (!verifyBallotPromise(promise, boardKey)) throw new VotingError('promise_signature', 'the board\'s promise is not signed by the board key');
      // The member's evidence until the receipt comes: a verifier given it finds the board out if the ballot is not in the final box.
      p.onPromise?.(promise, promiseFileOf(promise, fingerprint));
      // A promise of a batch years away would keep this phone waiting (the wait is capped below too).
      const times = promiseTimesProblem(promise, manifest.definition);
      if (times) throw new VotingError('promise_times', `${times}: keep the board's promise and tell the monitors`);
    } else if (cast.receipt) {
      this.checkReceipt(cast.receipt, p.voteId, localId, code, boardKey);
    } else {
      throw new VotingError('bad_response', 'the server answered the cast with neither a promise nor a receipt');
    }

    const inclusion = await this.awaitInclusion(p.voteId, ballotJson, manifest.keys.board, cast.promise, batchMilliseconds(manifest.definition));
    this.checkReceipt(inclusion.receipt, p.voteId, localId, code, boardKey);
    // The receipt is verified and kept by the caller: the encrypted ballot is no longer needed here.
    await this.store.remove?.(storeKey);
    const receiptFile: ReceiptFile = {
      format: RECEIPT_FILE_FORMAT, fingerprint, receipt: inclusion.receipt, leafHash: inclusion.leafHash,
      treeHead: { treeSize: inclusion.treeHead.treeSize, rootHash: inclusion.treeHead.rootHash, timestamp: inclusion.treeHead.timestamp, signature: inclusion.treeHead.signature },
      inclusionProof: inclusion.proof,
    };
    return { localId, trackingCode: code, checkCode: ballotCheckCode(ballotCommitmentOf(ballotJson)), receipt: inclusion.receipt, inclusion, receiptFile, ...(challenge ? { challenge: challenge.id } : {}) };
  }

  /**
   * A server that calls an ordinary code challenged (to set its ballot aside) is refused: the board's
   * signed acts must hold the challenge, in this local, issued for this very code (by its pseudonym,
   * which only the code's holder can compute).
   */
  private async checkChallenged(voteId: string, localId: string, id: string, code: string): Promise<void> {
    const { body } = await this.call<{ acts: { act: string; localId: string | null; details: Record<string, unknown> }[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/acts`);
    const issued = body.acts.find((a) => a.act === 'challenge issued' && a.details.challenge === id);
    if (!issued || issued.localId !== localId || issued.details.code !== codePseudonym(voteId, code)) {
      throw new VotingError('not_challenged', `the server says your code is a challenged one (${id}), but the board's acts issued no such challenge for your code: do not vote here, tell your local and the monitors`);
    }
  }

  private refuseAfterClosing(manifest: Manifest): void {
    const closesAt = Date.parse(manifest.definition.closesAt);
    if (this.now().getTime() > closesAt) throw new VotingError('vote_closed', `voting closed at ${new Date(closesAt).toISOString()}, the vote's sealed closing time (by this device's clock)`);
  }

  private checkReceipt(receipt: Receipt, voteId: string, localId: string, code: string, boardKey: Uint8Array): void {
    if (receipt.trackingCode !== code || receipt.voteId !== voteId || receipt.localId !== localId) throw new VotingError('receipt_mismatch', 'the receipt is for another ballot');
    if (!verifyReceipt(receipt, boardKey)) throw new VotingError('receipt_signature', 'the receipt is not signed by the board key');
  }

  /**
   * Asks the board for the ballot's receipt and inclusion proof until its batch is sequenced: a
   * little after the batch ends, then at growing intervals, for as long as the promise allows (by
   * the promise's own times, on this device's running time, so a wrong clock neither hurries nor
   * stalls it) and half a minute more.
   */
  private async awaitInclusion(voteId: string, ballotJson: EncryptedBallotJson, boardKey: string, promise: BallotPromise | undefined, batchMs: number): Promise<Inclusion> {
    const started = monotonicMs();
    // Never longer than a batch and its minute of sequencing (whatever the promise's times say), and half a minute more.
    const budget = promise ? Math.min(Math.max(0, Date.parse(promise.sequencedBy) - this.now().getTime()), batchMs + SEQUENCING_SLACK_MS) + 30_000 : 30_000;
    let pause = promise ? Math.min(Math.max(Date.parse(promise.batchEndsAt) - this.now().getTime(), 0) + 100, 5_000) : 0;
    for (;;) {
      if (pause) await sleep(pause);
      const found = await this.checkInclusion(voteId, ballotJson, undefined, boardKey);
      if (found) return found;
      if (monotonicMs() - started > budget) {
        throw new VotingError('not_sequenced', `the board promised to put your ballot in the box by ${promise?.sequencedBy ?? 'now'} and has not: keep this page open and try again; the promise it signed is your evidence`);
      }
      pause = Math.min(Math.max(pause * 2, 250), 2_000);
    }
  }

  /**
   * Verifies that a cast ballot is in a signed tree head of the board (any time later, too), with
   * its receipt; undefined while the ballot waits in the pool for its batch.
   */
  async checkInclusion(voteId: string, ballotJson: EncryptedBallotJson, receipt: Receipt | undefined, boardKey: string): Promise<Inclusion | undefined> {
    const ballot = ballotFromJson(ballotJson);
    const { status, body } = await this.call<{ leafIndex: number; leafHash: string; receipt: Receipt; treeHead: SignedTreeHead; proof: string[] }>('GET', `/api/board/${encodeURIComponent(voteId)}/inclusion?trackingCode=${trackingCode(ballot)}`);
    if (status === 202) return undefined;
    const leaf = leafHash(ballotLeaf(ballot));
    const expected = receipt ?? body.receipt;
    if (!expected || body.leafIndex !== expected.leafIndex) throw new VotingError('inclusion_index', `the board puts the ballot at leaf ${body.leafIndex}, the receipt says ${expected?.leafIndex}`);
    if (toHex(leaf) !== body.leafHash) throw new VotingError('inclusion_leaf', 'the board holds another ballot under this tracking code');
    if (body.treeHead.voteId !== voteId || !verifyTreeHead(body.treeHead, fromHex(boardKey))) throw new VotingError('tree_head_signature', 'the tree head is not signed by the board key');
    if (!verifyInclusion(leaf, body.leafIndex, body.treeHead.treeSize, body.proof.map((h) => fromHex(h)), fromHex(body.treeHead.rootHash))) {
      throw new VotingError('inclusion_proof', 'the inclusion proof does not lead to the signed root');
    }
    return { leafIndex: body.leafIndex, receipt: expected, treeHead: body.treeHead, proof: body.proof, leafHash: body.leafHash };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Running time, not the wall clock (which the device or a test may set). */
function monotonicMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
