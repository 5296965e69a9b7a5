-- Ballot checks (docs/ballot-check.md, a Benaloh challenge): before asking "Cast this ballot" or
-- "Check it first", the voting page records a commitment to the ballot's ciphertexts (salted, so a
-- cast ballot cannot be matched to its own commitment). A checked ballot is opened (choices and
-- encryption randomness) and kept here as spoiled: published on the board after the end of its
-- batch, listed in the record, never counted. The only time kept is the end of a batch, as for
-- ballots.
create table ballot_checks (
  vote_id text not null references votes (id),
  commitment text not null check (commitment ~ '^[0-9a-f]{64}$'),
  batch_ends_at timestamptz not null,
  spoiled jsonb,
  primary key (vote_id, commitment)
);
create index ballot_checks_spoiled on ballot_checks (vote_id, commitment) where spoiled is not null;

-- Every ciphertext's α (r·G) of a ballot or spoiled ballot, for "no spoiled ciphertext is ever cast":
-- a cast whose α is a spoiled one's is refused, and a spoil whose α is in the pool or the box.
create function ballot_alphas(b jsonb) returns text[] language sql immutable strict parallel safe as $$
  select coalesce(array_agg(a #>> '{}'), '{}') from jsonb_path_query(b, '$.questions[*].choices[*].ciphertext.alpha') as a
$$;
-- No pending list (fastupdate off): entries go straight into the tree, keyed by value, so the index
-- keeps no order of arrival.
create index ballots_alphas on ballots using gin (ballot_alphas(ballot)) with (fastupdate = off);
create index ballot_checks_alphas on ballot_checks using gin (ballot_alphas(spoiled)) with (fastupdate = off) where spoiled is not null;
