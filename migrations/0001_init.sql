-- The first domain tables: locals and their rosters, people and their roles, sessions and API
-- tokens, and votes with their questions. Invariants are constraints, not application checks.

create table locals (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,31}$'),
  name text not null check (length(name) between 1 and 200),
  delegates integer not null default 0 check (delegates >= 0),
  created_at timestamptz not null default now()
);

create table members (
  local_id text not null references locals (id),
  member_number text not null check (length(member_number) between 1 and 64),
  name text not null check (length(name) between 1 and 200),
  email text,
  phone text,
  good_standing boolean not null,
  updated_at timestamptz not null default now(),
  primary key (local_id, member_number)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name text not null,
  role text not null check (role in ('admin', 'secretary', 'monitor', 'trustee')),
  password_hash text,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table votes (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
  title text not null,
  status text not null default 'draft' check (status in ('draft', 'open', 'closed', 'tallied')),
  definition jsonb not null,
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (closes_at > opens_at)
);

-- A secretary's locals; a monitor's or trustee's votes.
create table user_locals (
  user_id uuid not null references users (id) on delete cascade,
  local_id text not null references locals (id),
  primary key (user_id, local_id)
);

create table user_votes (
  user_id uuid not null references users (id) on delete cascade,
  vote_id text not null references votes (id) on delete cascade,
  primary key (user_id, vote_id)
);

-- Only hashes of session ids and API tokens are stored.
create table sessions (
  id_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table questions (
  vote_id text not null references votes (id) on delete cascade,
  id text not null,
  position integer not null,
  text text not null,
  primary key (vote_id, id),
  unique (vote_id, position)
);

create table vote_locals (
  vote_id text not null references votes (id) on delete cascade,
  local_id text not null references locals (id),
  delegates integer not null check (delegates >= 0),
  primary key (vote_id, local_id)
);

create table question_locals (
  vote_id text not null,
  question_id text not null,
  local_id text not null,
  primary key (vote_id, question_id, local_id),
  foreign key (vote_id, question_id) references questions (vote_id, id) on delete cascade,
  foreign key (vote_id, local_id) references vote_locals (vote_id, local_id) on delete cascade
);
