/**
 * The database, described once for Kysely. Invariants live in the SQL (migrations/): keys,
 * foreign keys, unique and check constraints; code relies on them rather than re-checking.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T, T>;

export type Role = 'admin' | 'secretary' | 'monitor' | 'trustee';
export type VoteStatus = 'draft' | 'sealed' | 'open' | 'closed' | 'tallied';

export interface LocalsTable {
  id: string;
  name: string;
  delegates: number;
  created_at: Generated<Date>;
}

export interface MembersTable {
  local_id: string;
  member_number: string;
  name: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  good_standing: boolean;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string | null;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface UserLocalsTable {
  user_id: string;
  local_id: string;
}

export interface UserVotesTable {
  user_id: string;
  vote_id: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface VotesTable {
  id: string;
  title: string;
  status: Generated<VoteStatus>;
  definition: Json<unknown>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  log_size: Generated<number>;
  acts_size: Generated<number>;
  issuance_size: Generated<number>;
}

export interface OfficialActsTable {
  vote_id: string;
  seq: number;
  at: Timestamp;
  role: string;
  local_id: string | null;
  act: string;
  details: Json<Record<string, string | number | boolean>>;
  prev: string;
  hash: string;
  signature: string | null;
}

export interface QuestionsTable {
  vote_id: string;
  id: string;
  position: number;
  text: string;
}

export interface QuestionLocalsTable {
  vote_id: string;
  question_id: string;
  local_id: string;
}

export interface VoteLocalsTable {
  vote_id: string;
  local_id: string;
  delegates: number;
}

export interface TrusteesTable {
  vote_id: string;
  trustee_id: string;
  public_key: string;
  proof: Json<unknown> | null;
  registered_at: Generated<Date>;
  signing_key: string | null;
  registration: string | null;
  /** k of n: the trustee's index (1…n) in the key ceremony; null for a key of their own. */
  share_index: number | null;
}

export interface TrusteeCeremonyTable {
  vote_id: string;
  kind: 'join' | 'deal' | 'check' | 'answer';
  trustee_id: string;
  about: Generated<string>;
  message: Json<unknown>;
}

export interface VoteKeysTable {
  vote_id: string;
  election_public_key: string;
  board_secret_key: string;
  board_public_key: string;
  created_at: Generated<Date>;
  manifest_signature: string | null;
  manifest: Json<unknown> | null;
  fingerprint: string | null;
}

export interface ManifestApprovalsTable {
  vote_id: string;
  trustee_id: string;
  signature: string;
  approved_at: Generated<Date>;
}

export interface IssuanceLogTable {
  vote_id: string;
  seq: number;
  at: Timestamp;
  local_id: string;
  kind: string;
  pseudonyms: Json<string[]>;
  prev: string;
  hash: string;
  signature: string;
}

export interface CosignaturesTable {
  vote_id: string;
  tree_size: number;
  root_hash: string;
  signed_at: string;
  head_signature: string;
  acts_size: number;
  acts_head: string;
  issuance_size: number;
  issuance_head: string;
  closed: boolean;
  witness_key: string;
  seen_at: string;
  signature: string;
  received_at: Generated<Date>;
}

export interface IssuerKeysTable {
  vote_id: string;
  local_id: string;
  secret_key: string;
  public_key: string;
}

export interface VotingCodesTable {
  id: Generated<string>;
  vote_id: string;
  local_id: string;
  member_number: string;
  code_hash: string;
  issued_at: Timestamp;
  revoked_at: Date | null;
  blinded: string | null;
  evaluated: string | null;
  proof: string | null;
  token_issued_at: Date | null;
  pseudonym: string | null;
  token_logged: Generated<boolean>;
}

/** A ballot in the pool (leaf_index and receipt null) or in the box (sequenced). */
export interface BallotsTable {
  vote_id: string;
  leaf_index: number | null;
  local_id: string;
  nullifier: string;
  tracking_code: string;
  leaf_hash: string;
  ballot: Json<unknown>;
  receipt: Json<unknown> | null;
  /** The end of the ballot's batch: the only time kept with a ballot. */
  batch_ends_at: Timestamp;
  /** SHA-256 of its ciphertexts (crypto challenge.ts): the check code the member was shown before casting. */
  commitment: string | null;
}

/** A ballot opened by its member's check (spoiled): in the pool until its batch is published. */
export interface SpoiledBallotsTable {
  vote_id: string;
  commitment: string;
  spoiled: Json<unknown>;
  /** The end of its batch: the only time kept. */
  batch_ends_at: Timestamp;
  published: Generated<boolean>;
}

export interface TreeHeadsTable {
  vote_id: string;
  tree_size: number;
  root_hash: string;
  signed_at: string;
  signature: string;
}

/** A perfect subtree of a vote's box above the leaves (crypto merkle-subtrees.ts). */
export interface TreeNodesTable {
  vote_id: string;
  level: number;
  idx: number;
  hash: string;
}

export interface OutboxTable {
  id: Generated<string>;
  vote_id: string;
  local_id: string;
  member_number: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string | null;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

/** A challenged code and its ballot's ruling (0013; election challenges.ts). */
export interface ChallengesTable {
  vote_id: string;
  id: string;
  local_id: string;
  code_hash: string;
  nullifier: string;
  member_name: string;
  member_number: string | null;
  reason: string;
  issued_at: Timestamp;
  ruling: 'accepted' | 'rejected' | null;
  ruling_reason: string | null;
  ruled_at: Timestamp | null;
}

/** A batch of a local's paper ballots: its counts per question (0014; election paper.ts). */
export interface PaperBatchesTable {
  vote_id: string;
  local_id: string;
  batch: number;
  counts: Json<unknown>;
  recorded_at: Timestamp;
}

/** A member who voted on paper: counted, or set aside unopened with the reason. */
export interface PaperVotersTable {
  vote_id: string;
  local_id: string;
  batch: number;
  member_number: string;
  set_aside: boolean;
  reason: string | null;
}

export interface LocalIssuanceTable {
  vote_id: string;
  local_id: string;
  eligible: number;
  codes_issued: number;
  tokens_issued: number;
}

export interface EncryptedTotalsTable {
  vote_id: string;
  question_id: string;
  local_id: string;
  option: number;
  ballots: number;
  alpha: string;
  beta: string;
}

/** The same sums as encrypted_totals, kept current while the vote is open (0005). */
export type RunningTotalsTable = EncryptedTotalsTable;

export interface DecryptionSharesTable {
  vote_id: string;
  trustee_id: string;
  question_id: string;
  local_id: string;
  option: number;
  share: string;
  proof: Json<unknown>;
}

export interface ResultsTable {
  vote_id: string;
  results: Json<unknown>;
  published_at: Generated<Date>;
}

export interface KyselyMigrationTable {
  name: string;
  timestamp: string;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface Schema {
  locals: LocalsTable;
  members: MembersTable;
  users: UsersTable;
  user_locals: UserLocalsTable;
  user_votes: UserVotesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  votes: VotesTable;
  questions: QuestionsTable;
  question_locals: QuestionLocalsTable;
  vote_locals: VoteLocalsTable;
  trustees: TrusteesTable;
  trustee_ceremony: TrusteeCeremonyTable;
  vote_keys: VoteKeysTable;
  issuer_keys: IssuerKeysTable;
  voting_codes: VotingCodesTable;
  ballots: BallotsTable;
  spoiled_ballots: SpoiledBallotsTable;
  tree_heads: TreeHeadsTable;
  tree_nodes: TreeNodesTable;
  outbox: OutboxTable;
  local_issuance: LocalIssuanceTable;
  challenges: ChallengesTable;
  paper_batches: PaperBatchesTable;
  paper_voters: PaperVotersTable;
  encrypted_totals: EncryptedTotalsTable;
  running_totals: RunningTotalsTable;
  rate_limits: RateLimitsTable;
  official_acts: OfficialActsTable;
  manifest_approvals: ManifestApprovalsTable;
  issuance_log: IssuanceLogTable;
  cosignatures: CosignaturesTable;
  decryption_shares: DecryptionSharesTable;
  results: ResultsTable;
  kysely_migration: KyselyMigrationTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type MemberRow = Selectable<MembersTable>;
export type VoteRow = Selectable<VotesTable>;
export type LocalRow = Selectable<LocalsTable>;
