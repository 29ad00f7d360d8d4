-- Notifications: where messages go (destinations), which events go there (rules), what has been
-- announced (incidents: quiet unless new), events waiting for their grouping window (pending), and
-- the outbox every message is delivered through, with one row per delivery attempt.

create table notification_destinations (
  id bigint generated always as identity primary key,
  name text not null unique,
  kind text not null check (kind in ('webhook', 'ntfy', 'discord', 'slack', 'gotify', 'email')),
  -- fields shown back as they are (server, topic, host, port, addresses...)
  settings jsonb not null default '{}',
  -- fields never shown back nor logged (webhook URLs with tokens, tokens, passwords, signing secrets)
  secrets jsonb not null default '{}',
  enabled boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table notification_rules (
  id bigint generated always as identity primary key,
  name text not null unique,
  destination_id bigint not null references notification_destinations (id) on delete cascade,
  events text[] not null,
  -- null: every allowlisted container; else {names: [...globs], projects: [...], labels: [...]}
  containers jsonb,
  min_severity text not null check (min_severity in ('info', 'warning', 'error', 'critical')),
  cooldown_seconds integer not null check (cooldown_seconds >= 0),
  group_seconds integer not null check (group_seconds >= 0),
  enabled boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- Rules by destination (destination page, cascade).
create index notification_rules_destination_idx on notification_rules (destination_id);

-- One row per incident (a pattern of a container, a crash loop, an exit...): announced once, again
-- only when it worsens markedly.
create table notification_incidents (
  key text primary key,
  event text not null,
  container text,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  occurrences bigint not null,
  -- the count at the last announcement (a later one needs at least twice that)
  announced_count bigint not null,
  announced_at timestamptz not null
);

-- Events waiting for their group's window to close; one group per destination.
create table notification_pending (
  id bigint generated always as identity primary key,
  rule_id bigint not null references notification_rules (id) on delete cascade,
  destination_id bigint not null references notification_destinations (id) on delete cascade,
  incident_key text not null,
  event text not null,
  severity text not null,
  container text,
  title text not null,
  text text not null,
  count bigint not null,
  first_seen timestamptz not null,
  run_id bigint,
  created_at timestamptz not null,
  -- when the group this event joined is sent (set by the group's first event)
  due_at timestamptz not null,
  -- set when its group went into the outbox (its title and text are erased then); kept a while for cooldowns
  flushed_at timestamptz
);
-- Flusher: groups whose window has closed; joining an open group of a destination.
create index notification_pending_destination_due_idx on notification_pending (destination_id, due_at) where flushed_at is null;
-- Cooldown: the rule's last event for an incident.
create index notification_pending_rule_incident_idx on notification_pending (rule_id, incident_key, created_at desc);

create table notification_outbox (
  id bigint generated always as identity primary key,
  -- the message's id: a retried or re-run flush never makes a second row for the same events
  idempotency_key text not null unique,
  destination_id bigint not null references notification_destinations (id) on delete cascade,
  -- the rule (or 'test') and events it carries, for the delivery log
  events text[] not null,
  is_test boolean not null default false,
  message jsonb not null,
  status text not null check (status in ('queued', 'sending', 'delivered', 'dead')),
  attempts integer not null default 0,
  max_attempts integer not null,
  next_attempt_at timestamptz not null,
  lease_owner text,
  lease_expires_at timestamptz,
  last_error text,
  created_at timestamptz not null,
  delivered_at timestamptz
);
-- Sender claim: queued messages whose time has come (FOR UPDATE SKIP LOCKED).
create index notification_outbox_queued_idx on notification_outbox (next_attempt_at) where status = 'queued';
-- Sweeper: messages whose sender died mid-send.
create index notification_outbox_sending_idx on notification_outbox (lease_expires_at) where status = 'sending';
-- Delivery log, newest first, optionally by destination.
create index notification_outbox_destination_idx on notification_outbox (destination_id, id desc);

create table notification_attempts (
  id bigint generated always as identity primary key,
  outbox_id bigint not null references notification_outbox (id) on delete cascade,
  attempt integer not null,
  at timestamptz not null,
  ok boolean not null,
  -- the receiver's HTTP status or SMTP reply code; never its body
  status_code integer,
  -- a short reason we wrote ourselves ("http_500", "timeout", "connection_refused"), never a URL or secret
  error text,
  duration_ms integer not null
);
-- Attempts of a message (delivery log).
create index notification_attempts_outbox_idx on notification_attempts (outbox_id, attempt);
