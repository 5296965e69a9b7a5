-- Batched sequencing (docs/decisions.md, "Casting in batches"): a cast puts its ballot in the pool
-- (leaf_index and receipt null) with the end of its batch; the sequencer takes each due batch,
-- deletes its pool rows and inserts them again in tracking-code order with their leaf indexes and
-- receipts, all in one transaction. Nothing finer than the batch survives: no time of casting, no
-- per-ballot transaction order (every sequenced row of a batch has the sequencer's xmin, and the
-- rows lie in leaf order), no pool row left behind. The nullifier stays unique across pool and box.
alter table ballots drop constraint ballots_pkey;
alter table ballots drop constraint ballots_vote_id_nullifier_key;
alter table ballots add constraint ballots_pkey primary key (vote_id, nullifier);
alter table ballots alter column leaf_index drop not null;
alter table ballots add constraint ballots_leaf unique (vote_id, leaf_index);
alter table ballots alter column receipt drop not null;
alter table ballots drop column cast_at;
alter table ballots add column batch_ends_at timestamptz;
update ballots set batch_ends_at = (select closes_at from votes where votes.id = ballots.vote_id);
alter table ballots alter column batch_ends_at set not null;
alter table ballots add constraint ballots_sequenced check ((leaf_index is null) = (receipt is null));
create index ballots_pool on ballots (vote_id, batch_ends_at) where leaf_index is null;
