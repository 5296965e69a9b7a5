-- Delivery of voting codes by e-mail or SMS. The message text holds the plain code only while it
-- waits: it is wiped as soon as the provider has accepted it.
create table outbox (
  id bigint generated always as identity primary key,
  vote_id text not null references votes (id) on delete cascade,
  local_id text not null,
  member_number text not null,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  subject text not null,
  body text,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  check (status <> 'sent' or body is null)
);
create index outbox_pending on outbox (vote_id, local_id) where status = 'pending';
