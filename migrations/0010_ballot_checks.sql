-- Ballot checks (docs/ballot-check.md, a Benaloh challenge). A ballot a member opened with "Check it
-- first" is kept here as spoiled: published on the board, listed in the record, never counted. Like a
-- cast ballot it waits in a pool (published false, rows in arrival order) until its batch ends; the
-- sequencer then deletes the batch's rows and inserts them again in commitment order, published, in
-- one transaction: one xmin per batch, rows in commitment order, no arrival order kept.
create table spoiled_ballots (
  vote_id text not null references votes (id),
  -- SHA-256 of the ballot's ciphertexts (crypto challenge.ts): its check code's source
  commitment text not null check (commitment ~ '^[0-9a-f]{64}$'),
  spoiled jsonb not null,
  batch_ends_at timestamptz not null,
  published boolean not null default false,
  primary key (vote_id, commitment)
);
create index spoiled_pool on spoiled_ballots (vote_id, batch_ends_at) where not published;

-- A cast ballot's commitment (the same hash over its ciphertexts), for the member who looks up the
-- check code they were shown before casting.
alter table ballots add column commitment text;
create index ballots_commitment on ballots (vote_id, commitment);

-- Every ciphertext's α (r·G) of a ballot or spoiled ballot, for "no spoiled ciphertext is ever cast":
-- a cast whose α is a spoiled one's is refused, and an opening whose α is in the pool or the box.
create function ballot_alphas(b jsonb) returns text[] language sql immutable strict parallel safe as $$
  select coalesce(array_agg(a #>> '{}'), '{}') from jsonb_path_query(b, '$.questions[*].choices[*].ciphertext.alpha') as a
$$;
-- No pending list (fastupdate off): entries go straight into the tree, keyed by value, so the index
-- keeps no order of arrival.
create index ballots_alphas on ballots using gin (ballot_alphas(ballot)) with (fastupdate = off);
create index spoiled_ballots_alphas on spoiled_ballots using gin (ballot_alphas(spoiled)) with (fastupdate = off);
