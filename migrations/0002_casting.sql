-- Casting: trustee keys, the per-vote board and issuer keys, voting codes, the ballot box and
-- its signed tree heads. Byte strings are stored as lower-case hex, as they travel in JSON.

-- Leaf indexes are allocated from this counter: `update … set log_size = log_size + 1` takes the
-- vote's row lock, so concurrent casts get consecutive, gap-free indexes.
alter table votes add column log_size integer not null default 0 check (log_size >= 0);

-- Trustees' public keys with their proofs of knowledge, registered before the vote opens.
create table trustees (
  vote_id text not null references votes (id) on delete cascade,
  trustee_id text not null check (trustee_id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  public_key text not null check (public_key ~ '^[0-9a-f]{64}$'),
  proof jsonb not null,
  registered_at timestamptz not null default now(),
  primary key (vote_id, trustee_id),
  unique (vote_id, public_key)
);

-- Made when the vote opens. The secrets never leave the server; the public halves are published.
create table vote_keys (
  vote_id text primary key references votes (id) on delete cascade,
  election_public_key text not null check (election_public_key ~ '^[0-9a-f]{64}$'),
  board_secret_key text not null check (board_secret_key ~ '^[0-9a-f]{64}$'),
  board_public_key text not null check (board_public_key ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now()
);

-- One VOPRF issuer key per (vote, local).
create table issuer_keys (
  vote_id text not null,
  local_id text not null,
  secret_key text not null check (secret_key ~ '^[0-9a-f]{64}$'),
  public_key text not null check (public_key ~ '^[0-9a-f]{64}$'),
  primary key (vote_id, local_id),
  foreign key (vote_id, local_id) references vote_locals (vote_id, local_id) on delete cascade
);

-- Voting codes: only the SHA-256 of a code is kept. A member has at most one live code per vote;
-- a reissue revokes the old one, which is allowed only while it has produced no token.
create table voting_codes (
  id bigint generated always as identity primary key,
  vote_id text not null,
  local_id text not null,
  member_number text not null,
  code_hash text not null unique check (code_hash ~ '^[0-9a-f]{64}$'),
  issued_at timestamptz not null default now(),
  revoked_at timestamptz,
  -- The token request this code answered: the same blinded element gets the same answer.
  blinded text check (blinded ~ '^[0-9a-f]{64}$'),
  evaluated text,
  proof text,
  token_issued_at timestamptz,
  foreign key (vote_id, local_id) references vote_locals (vote_id, local_id) on delete cascade,
  foreign key (local_id, member_number) references members (local_id, member_number),
  check ((blinded is null) = (token_issued_at is null)),
  check (revoked_at is null or token_issued_at is null)
);
create unique index voting_codes_live on voting_codes (vote_id, local_id, member_number) where revoked_at is null;

-- The ballot box: an append-only log per vote. The nullifier is unique per vote, so a token casts
-- once whatever the application does.
create table ballots (
  vote_id text not null references votes (id),
  leaf_index integer not null check (leaf_index >= 0),
  local_id text not null,
  nullifier text not null check (nullifier ~ '^[0-9a-f]{64}$'),
  tracking_code text not null check (tracking_code ~ '^[0-9a-f]{64}$'),
  leaf_hash text not null check (leaf_hash ~ '^[0-9a-f]{64}$'),
  ballot jsonb not null,
  receipt jsonb not null,
  cast_at timestamptz not null default now(),
  primary key (vote_id, leaf_index),
  unique (vote_id, nullifier),
  foreign key (vote_id, local_id) references vote_locals (vote_id, local_id)
);
create index ballots_tracking on ballots (vote_id, tracking_code);

create table tree_heads (
  vote_id text not null references votes (id),
  tree_size integer not null check (tree_size >= 0),
  root_hash text not null check (root_hash ~ '^[0-9a-f]{64}$'),
  signed_at text not null,
  signature text not null check (signature ~ '^[0-9a-f]{128}$'),
  primary key (vote_id, tree_size)
);
