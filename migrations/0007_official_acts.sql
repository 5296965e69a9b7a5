-- The official acts of each vote (packages/election/src/acts.ts): a hash chain, signed by the board key
-- from the opening on, public on the board and in the election record. The counter on votes gives
-- each act its number under the vote's row lock, as log_size does for ballots.
alter table votes add column acts_size integer not null default 0;
create table official_acts (
  vote_id text not null references votes (id) on delete cascade,
  seq integer not null check (seq >= 0),
  at timestamptz not null,
  role text not null,
  local_id text,
  act text not null,
  details jsonb not null,
  prev text not null check (prev ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  signature text check (signature ~ '^[0-9a-f]{128}$'),
  primary key (vote_id, seq)
);
