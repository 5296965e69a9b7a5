-- Verifiable against the operator (docs/election-record.md v2):
--  * a vote is sealed into a manifest (definition, eligible counts, every key) before it opens, and
--    opens only with every trustee's countersignature over it;
--  * trustees register an Ed25519 signing key with their key share;
--  * the issuance log: every code under a pseudonym, hash-chained and signed;
--  * monitors' cosignatures of signed tree heads.

alter table votes drop constraint votes_status_check;
alter table votes add constraint votes_status_check check (status in ('draft', 'sealed', 'open', 'closed', 'tallied'));
-- The issuance log's counter (its entries are numbered under the vote's row lock, as acts are).
alter table votes add column issuance_size integer not null default 0;

alter table trustees add column signing_key text check (signing_key ~ '^[0-9a-f]{64}$');
alter table trustees add column registration text check (registration ~ '^[0-9a-f]{128}$');

-- The manifest as sealed (its canonical JSON is what the board and the trustees sign) and its fingerprint.
alter table vote_keys add column manifest jsonb;
alter table vote_keys add column fingerprint text;

create table manifest_approvals (
  vote_id text not null,
  trustee_id text not null,
  signature text not null check (signature ~ '^[0-9a-f]{128}$'),
  approved_at timestamptz not null default now(),
  primary key (vote_id, trustee_id),
  foreign key (vote_id, trustee_id) references trustees (vote_id, trustee_id) on delete cascade
);

-- A code's pseudonym in the issuance log, and whether its token has been logged there yet.
alter table voting_codes add column pseudonym text check (pseudonym ~ '^[0-9a-f]{32}$');
alter table voting_codes add column token_logged boolean not null default false;
create unique index voting_codes_pseudonym on voting_codes (vote_id, pseudonym);
create index voting_codes_unlogged on voting_codes (vote_id, token_issued_at) where token_issued_at is not null and not token_logged;

create table issuance_log (
  vote_id text not null references votes (id) on delete cascade,
  seq integer not null check (seq >= 0),
  at timestamptz not null,
  local_id text not null,
  kind text not null check (kind in ('issued', 'revoked', 'tokens')),
  pseudonyms jsonb not null,
  prev text not null check (prev ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  signature text not null check (signature ~ '^[0-9a-f]{128}$'),
  primary key (vote_id, seq)
);
create index issuance_log_local on issuance_log (vote_id, local_id);

-- Monitors' cosignatures of signed tree heads (with the acts and issuance log as they saw them): every one kept.
create table cosignatures (
  vote_id text not null references votes (id) on delete cascade,
  tree_size integer not null check (tree_size >= 0),
  root_hash text not null check (root_hash ~ '^[0-9a-f]{64}$'),
  signed_at text not null,
  head_signature text not null check (head_signature ~ '^[0-9a-f]{128}$'),
  -- The official acts and the issuance log as the monitor saw them, and whether the vote was closed.
  acts_size integer not null check (acts_size >= 0),
  acts_head text not null check (acts_head ~ '^[0-9a-f]{64}$'),
  issuance_size integer not null check (issuance_size >= 0),
  issuance_head text not null check (issuance_head ~ '^[0-9a-f]{64}$'),
  closed boolean not null,
  witness_key text not null check (witness_key ~ '^[0-9a-f]{64}$'),
  seen_at text not null,
  signature text not null check (signature ~ '^[0-9a-f]{128}$'),
  received_at timestamptz not null default now(),
  primary key (vote_id, signature)
);
