-- Encrypted totals kept up to date as ballots are cast, so closing a vote copies them instead of
-- re-reading every ballot. Updated in the cast's transaction, under the vote's counter row lock
-- (0002), so two casts never add to the same sum at once. Not public until the vote closes.
create table running_totals (
  vote_id text not null references votes (id) on delete cascade,
  question_id text not null,
  local_id text not null,
  option integer not null check (option >= 0),
  ballots integer not null check (ballots >= 0),
  alpha text not null check (alpha ~ '^[0-9a-f]{64}$'),
  beta text not null check (beta ~ '^[0-9a-f]{64}$'),
  primary key (vote_id, local_id, question_id, option)
);
