/**
 * A monitor who witnesses the ballot box (`union-vote monitor watch`): polls the board, checks each
 * new signed tree head against the fingerprinted manifest's board key and, by a consistency proof
 * (RFC 9162 §2.1.4), against the last head it cosigned; then cosigns it with the monitor's own key,
 * keeps it in its own witness file, and posts the cosignature to the board.
 *
 * It also follows the vote's two other signed chains, the official acts and the issuance log, and
 * cosigns their heads with the tree head, with whether the board said the vote was closed.
 *
 * What it catches as it happens (a WitnessAlarm, with the board-signed evidence): a manifest other
 * than the one whose fingerprint the monitor was given, or whose keys do not add up; a head not
 * signed by the board, a log that shrank or does not extend the last one, a head dated before the
 * last; acts or issuance entries rewritten; ballots added after the board said the vote was closed,
 * or after the manifest's closing time by the monitor's own clock. What it keeps for later: the
 * witness file, which `union-vote-verify --witness FILE` compares with the final record (a rewritten
 * box or history, a head left out, a split view shown to two monitors).
 */
import {
  cosignTreeHead, fromHex, signingKeyFromSecret, toHex, verifyConsistency, verifyStatement, verifyTreeHead, type SignedTreeHead,
} from '@union-vote/crypto';
import {
  CLOSING_GRACE_MS, FIRST_PREV, WITNESS_FILE_FORMAT, actHash, issuanceEntryHash, manifestBytes, manifestFingerprint, normalizeFingerprint,
  type Act, type IssuanceEntry, type Manifest, type WitnessFile,
} from '@union-vote/election';
import { manifestKeysProblem } from '@union-vote/client';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Something the board showed that an honest board never would; `evidence` is what it signed. */
export class WitnessAlarm extends Error {
  constructor(message: string, readonly evidence: unknown) {
    super(message);
    this.name = 'WitnessAlarm';
  }
}

export interface WitnessOptions {
  baseUrl: string;
  voteId: string;
  /** The fingerprint the monitor got from outside the server (the trustees, a letter). */
  fingerprint: string;
  /** The monitor's Ed25519 seed. */
  secretKey: Uint8Array;
  /** An API token of the monitor's account, to post cosignatures to the board (optional). */
  apiToken?: string | undefined;
  /** The witness file kept so far, to go on from. */
  file?: WitnessFile | undefined;
  fetch?: Fetch;
  log?: (line: string) => void;
}

export type PollResult = { status: 'cosigned' | 'unchanged'; head: SignedTreeHead; voteStatus: string };

export class Witness {
  readonly file: WitnessFile;
  private manifest?: Manifest;
  /** Whether the acts seen so far include the sealing (from which on every act is signed). */
  private sealedSeen = false;
  private readonly fetchFn: Fetch;
  private readonly base: string;

  constructor(private readonly o: WitnessOptions) {
    const fingerprint = normalizeFingerprint(o.fingerprint);
    if (!fingerprint) throw new Error(`${o.fingerprint} is not a vote fingerprint (32 characters, 8 groups of 4)`);
    const witnessKey = toHex(signingKeyFromSecret(o.secretKey).publicKey);
    if (o.file && (o.file.voteId !== o.voteId || normalizeFingerprint(o.file.fingerprint) !== fingerprint || o.file.witnessKey !== witnessKey)) {
      throw new Error('the witness file given is for another vote, fingerprint or monitor key');
    }
    this.base = o.baseUrl.replace(/\/$/, '');
    this.file = o.file ?? { format: WITNESS_FILE_FORMAT, voteId: o.voteId, fingerprint, server: this.base, witnessKey, heads: [] };
    this.fetchFn = o.fetch ?? ((input, init) => fetch(input, init));
  }

  private async get<T>(path: string): Promise<T> {
    const res = await this.fetchFn(`${this.base}${path}`);
    const text = await res.text();
    if (!res.ok) throw new Error(`the board answered ${res.status} for ${path}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  /** The manifest, checked once: its fingerprint, the board's signature, every trustee's approval, its keys. */
  private async manifestKey(): Promise<{ boardKey: Uint8Array; voteStatus: string; closesAt: number }> {
    const board = await this.get<{ vote: { status: string }; manifest: Manifest; manifestSignature: string; approvals: { trusteeId: string; signature: string }[] }>(`/api/board/${encodeURIComponent(this.o.voteId)}`);
    if (!this.manifest) {
      const actual = manifestFingerprint(board.manifest);
      if (actual !== this.file.fingerprint) throw new WitnessAlarm(`the board shows a manifest with fingerprint ${actual}, not ${this.file.fingerprint}: it is not the vote the trustees approved`, board.manifest);
      const bytes = manifestBytes(board.manifest);
      if (!verifyStatement('manifest', bytes, board.manifestSignature, fromHex(board.manifest.keys.board))) throw new WitnessAlarm('the board signature over the manifest does not verify', board);
      const keys = manifestKeysProblem(board.manifest);
      if (keys) throw new WitnessAlarm(keys, board.manifest);
      this.manifest = board.manifest;
    }
    return { boardKey: fromHex(this.manifest.keys.board), voteStatus: board.vote.status, closesAt: Date.parse(this.manifest.definition.closesAt) };
  }

  /**
   * The new entries of a signed chain (the official acts, or the issuance log) since the size and head
   * the monitor cosigned last: each must follow the one before, hash to its content and carry the
   * board's signature (acts before the sealing carry none). Returns the chain's new size and head.
   */
  private async extendChain(kind: 'acts' | 'issuance', size: number, head: string, boardKey: Uint8Array): Promise<{ size: number; head: string }> {
    const vote = encodeURIComponent(this.o.voteId);
    const fresh = kind === 'acts'
      ? (await this.get<{ acts: Act[] }>(`/api/board/${vote}/acts?from=${size}`)).acts
      : (await this.get<{ entries: IssuanceEntry[] }>(`/api/board/${vote}/issuance?from=${size}`)).entries;
    const what = kind === 'acts' ? 'official acts' : 'issuance log';
    for (const e of fresh) {
      const hash = kind === 'acts' ? actHash(this.o.voteId, e as Act) : issuanceEntryHash(this.o.voteId, e as IssuanceEntry);
      if (e.seq !== size || e.prev !== head || hash !== e.hash) throw new WitnessAlarm(`the ${what} were rewritten: entry ${e.seq} does not follow the ${size} the board showed before`, { before: { size, head }, now: e });
      if (kind === 'acts' && (e as Act).act === 'vote sealed') this.sealedSeen = true;
      const signature = (e as { signature: string | null }).signature;
      if ((kind === 'issuance' || this.sealedSeen) && (signature === null || !verifyStatement(kind === 'acts' ? 'act' : 'issuance', fromHex(e.hash), signature, boardKey))) {
        throw new WitnessAlarm(`entry ${e.seq} of the ${what} is not signed by the vote's board key`, e);
      }
      size++;
      head = e.hash;
    }
    return { size, head };
  }

  /** One round: fetch the current heads, check them, cosign them if anything is new. */
  async poll(now: Date = new Date()): Promise<PollResult> {
    const { boardKey, voteStatus, closesAt } = await this.manifestKey();
    const vote = encodeURIComponent(this.o.voteId);
    const closed = voteStatus === 'closed' || voteStatus === 'tallied';
    const last = this.file.heads.at(-1);
    if (last && last.actsSize > 0) this.sealedSeen = true;
    const acts = await this.extendChain('acts', last?.actsSize ?? 0, last?.actsHead ?? FIRST_PREV, boardKey);
    const issuance = await this.extendChain('issuance', last?.issuanceSize ?? 0, last?.issuanceHead ?? FIRST_PREV, boardKey);
    const head = await this.get<SignedTreeHead>(`/api/board/${vote}/tree-head`);
    if (head.voteId !== this.o.voteId || !verifyTreeHead(head, boardKey)) throw new WitnessAlarm(`the tree head of size ${head.treeSize} is not signed by the vote's board key`, head);
    if (last) {
      if (head.treeSize < last.treeSize) throw new WitnessAlarm(`the board now shows ${head.treeSize} ballots, fewer than the ${last.treeSize} it signed before: ballots were removed`, { before: last, now: head });
      if (head.treeSize === last.treeSize && head.rootHash !== last.rootHash) throw new WitnessAlarm(`the board signed two different logs of ${head.treeSize} ballots: the box was rewritten`, { before: last, now: head });
      if (head.treeSize > last.treeSize) {
        if (last.closed) throw new WitnessAlarm(`the board shows ${head.treeSize} ballots; it showed ${last.treeSize} when it said the vote was closed: ballots were added after the close`, { before: last, now: head });
        if (Date.parse(head.timestamp) < Date.parse(last.timestamp)) throw new WitnessAlarm(`the head of size ${head.treeSize} is dated ${head.timestamp}, before the head of size ${last.treeSize} (${last.timestamp}): backdated`, { before: last, now: head });
        const { proof } = await this.get<{ proof: string[] }>(`/api/board/${vote}/consistency?from=${last.treeSize}&to=${head.treeSize}`);
        if (!verifyConsistency(last.treeSize, head.treeSize, fromHex(last.rootHash), fromHex(head.rootHash), proof.map((h) => fromHex(h)))) {
          throw new WitnessAlarm(`the log of ${head.treeSize} ballots does not extend the log of ${last.treeSize} the board signed before: the box was rewritten`, { before: last, now: head, proof });
        }
      }
    }
    // Past the closing time in the manifest (by this monitor's clock), the box may no longer change.
    const late = this.file.heads.find((h) => Date.parse(h.seenAt) > closesAt + CLOSING_GRACE_MS);
    if (late && head.treeSize !== late.treeSize) throw new WitnessAlarm(`the board shows ${head.treeSize} ballots; it showed ${late.treeSize} after the vote's closing time (${new Date(closesAt).toISOString()}): ballots were added after it`, { before: late, now: head });
    if (last && head.treeSize === last.treeSize && acts.size === last.actsSize && issuance.size === last.issuanceSize && closed === last.closed) return { status: 'unchanged', head, voteStatus };
    const co = cosignTreeHead(head, { actsSize: acts.size, actsHead: acts.head, issuanceSize: issuance.size, issuanceHead: issuance.head, closed }, now.toISOString(), this.o.secretKey);
    const { voteId: _vote, ...kept } = co;
    this.file.heads.push(kept);
    this.o.log?.(`cosigned the head of size ${head.treeSize} (root ${head.rootHash.slice(0, 16)}…, ${head.timestamp}), with ${acts.size} acts and ${issuance.size} issuance entries${closed ? ', the vote closed' : ''}`);
    if (this.o.apiToken) {
      const res = await this.fetchFn(`${this.base}/api/votes/${vote}/cosignatures`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.o.apiToken}` }, body: JSON.stringify(kept),
      });
      if (!res.ok) this.o.log?.(`the board did not take the cosignature (${res.status}); it is kept in the witness file all the same`);
    }
    return { status: 'cosigned', head, voteStatus };
  }
}
