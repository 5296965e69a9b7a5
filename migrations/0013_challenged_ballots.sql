-- Challenged ballots (issue 14; packages/election/src/challenges.ts). A member whose eligibility is
-- disputed gets a challenged code from their local's secretary, with a reason; their ballot is cast
-- with it under the nullifier fixed by the challenge id (crypto challengedBallotNullifier), kept out of
-- the running and encrypted totals, and added to its local's encrypted totals only if the officials
-- accept the challenge after the close. The member's name and number are here for the officials who
-- rule; the signed acts and the record name only the challenge id, its local and the reasons.
create table challenges (
  vote_id text not null references votes (id),
  -- C1, C2, … in the order issued within the vote
  id text not null check (id ~ '^C[1-9][0-9]{0,6}$'),
  local_id text not null references locals (id),
  code_hash text not null,
  -- the nullifier its ballot must carry: how the box's row is found, and the one ballot it allows
  nullifier text not null check (nullifier ~ '^[0-9a-f]{64}$'),
  member_name text not null,
  member_number text,
  reason text not null,
  issued_at timestamptz not null,
  ruling text check (ruling in ('accepted', 'rejected')),
  ruling_reason text,
  ruled_at timestamptz,
  primary key (vote_id, id),
  unique (vote_id, code_hash),
  unique (vote_id, nullifier),
  unique (vote_id, local_id, member_number),
  check ((ruling is null) = (ruled_at is null) and (ruling is null) = (ruling_reason is null))
);
