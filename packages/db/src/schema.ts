/**
 * The database, described once for Kysely. Invariants live in the SQL (migrations/): keys,
 * foreign keys, unique and check constraints; code relies on them rather than re-checking.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T, T>;

export type Role = 'admin' | 'secretary' | 'monitor' | 'trustee';
export type VoteStatus = 'draft' | 'open' | 'closed' | 'tallied';

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

export interface KyselyMigrationTable {
  name: string;
  timestamp: string;
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
  kysely_migration: KyselyMigrationTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type MemberRow = Selectable<MembersTable>;
export type VoteRow = Selectable<VotesTable>;
export type LocalRow = Selectable<LocalsTable>;
