-- The box's Merkle tree kept as its perfect subtrees (issue 16; packages/crypto/src/merkle-subtrees.ts):
-- the subtree (level, idx) covers leaves [idx·2^level, (idx+1)·2^level); level 0 is ballots.leaf_hash, so
-- only levels 1 and up are here. The sequencer stores each in the batch that completes it; a tree head,
-- an inclusion proof and a consistency proof then read O(log n) of them instead of every leaf. They are
-- derived from the leaves alone (a vote sequenced before this migration has them rebuilt on first use),
-- and no verifier trusts them.
create table tree_nodes (
  vote_id text not null references votes (id),
  level smallint not null check (level between 1 and 31),
  idx integer not null check (idx >= 0),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  primary key (vote_id, level, idx)
);
