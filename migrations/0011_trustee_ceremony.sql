-- k-of-n trustees (docs/trustees.md): the messages of the trustees' key ceremony (a distributed key
-- generation), relayed by the server, which learns nothing from them (the shares are sealed to their
-- recipients). Each is signed by its author; the whole set is sealed into the manifest. One row per
-- (kind, author, about): a join, a deal or a check per trustee, an answer per (dealer, complainer).
create table trustee_ceremony (
  vote_id text not null references votes (id) on delete cascade,
  kind text not null check (kind in ('join', 'deal', 'check', 'answer')),
  trustee_id text not null check (trustee_id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  about text not null default '',
  message jsonb not null,
  primary key (vote_id, kind, trustee_id, about)
);

-- A trustee who came out of the ceremony: their public share (public_key), their index (1…n), and no
-- proof of knowledge of their own (the ceremony's commitments are proven instead).
alter table trustees alter column proof drop not null;
alter table trustees add column share_index integer check (share_index between 1 and 32);
