-- Tally: what the board freezes at close, the encrypted totals, the trustees' partial decryptions,
-- and the published results.

-- The board's signature over the vote's manifest (definition, keys, trustees), made at opening.
alter table vote_keys add column manifest_signature text check (manifest_signature ~ '^[0-9a-f]{128}$');

-- Per local at close: members in good standing, live codes, tokens issued (property 5 of DESIGN.md).
create table local_issuance (
  vote_id text not null,
  local_id text not null,
  eligible integer not null check (eligible >= 0),
  codes_issued integer not null check (codes_issued >= 0),
  tokens_issued integer not null check (tokens_issued >= 0),
  primary key (vote_id, local_id),
  foreign key (vote_id, local_id) references vote_locals (vote_id, local_id) on delete cascade
);

-- The homomorphic sum of a question's option over a local's ballots.
create table encrypted_totals (
  vote_id text not null references votes (id) on delete cascade,
  question_id text not null,
  local_id text not null,
  option integer not null check (option >= 0),
  ballots integer not null check (ballots >= 0),
  alpha text not null check (alpha ~ '^[0-9a-f]{64}$'),
  beta text not null check (beta ~ '^[0-9a-f]{64}$'),
  primary key (vote_id, question_id, local_id, option)
);

create table decryption_shares (
  vote_id text not null,
  trustee_id text not null,
  question_id text not null,
  local_id text not null,
  option integer not null,
  share text not null check (share ~ '^[0-9a-f]{64}$'),
  proof jsonb not null,
  primary key (vote_id, trustee_id, question_id, local_id, option),
  foreign key (vote_id, trustee_id) references trustees (vote_id, trustee_id),
  foreign key (vote_id, question_id, local_id, option) references encrypted_totals (vote_id, question_id, local_id, option)
);

create table results (
  vote_id text primary key references votes (id) on delete cascade,
  results jsonb not null,
  published_at timestamptz not null default now()
);
