-- Paper and mail ballots in the same count (issue 14; packages/election/src/paper.ts). Each entry of a
-- local's paper count is a batch: its counts per question (as its signed act states them) and the
-- member numbers of its paper voters, each counted or set aside unopened with the reason. A member has
-- at most one counted paper ballot in a vote (the partial unique index); their voting code is revoked
-- when it is counted during the vote, and the token endpoint refuses them with a sentence.
create table paper_batches (
  vote_id text not null references votes (id),
  local_id text not null references locals (id),
  batch integer not null check (batch > 0),
  counts jsonb not null,
  recorded_at timestamptz not null,
  primary key (vote_id, local_id, batch)
);

create table paper_voters (
  vote_id text not null,
  local_id text not null,
  batch integer not null,
  member_number text not null,
  set_aside boolean not null,
  reason text,
  primary key (vote_id, local_id, batch, member_number),
  foreign key (vote_id, local_id, batch) references paper_batches (vote_id, local_id, batch),
  check (set_aside = (reason is not null))
);
create unique index paper_voters_counted on paper_voters (vote_id, local_id, member_number) where not set_aside;
