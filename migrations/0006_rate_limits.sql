-- Abuse limits: a counter per bucket (e.g. "tokens:ip:203.0.113.7") per fixed window. Kept in the
-- database so the limits hold across Node processes and Workers isolates alike; old windows are
-- pruned by the same timer / cron that closes votes.
create table rate_limits (
  bucket text not null,
  window_start timestamptz not null,
  hits integer not null check (hits > 0),
  primary key (bucket, window_start)
);
create index rate_limits_window on rate_limits (window_start);
