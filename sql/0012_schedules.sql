-- Schedules: a task set launched on a cron expression or an interval. Each slot is claimed once by a
-- unique key (schedule, slot), so several instances on one database never launch a slot twice.

create table schedules (
  id bigint generated always as identity primary key,
  name text not null unique,
  tasks text[] not null,
  options jsonb not null default '{}',
  directive_id bigint references directives (id) on delete set null,
  cron text,
  every_seconds integer check (every_seconds >= 5),
  enabled boolean not null default true,
  -- interval slots are anchor + k * every_seconds; set at creation and when the interval changes
  anchor_at timestamptz not null,
  -- no slot at or before this moment runs: the last claimed slot, or the moment of (re)enabling
  done_through timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((cron is null) <> (every_seconds is null))
);

-- One row per launched slot. The primary key is the claim: a second instance's insert of the same slot conflicts.
create table schedule_slots (
  schedule_id bigint not null references schedules (id) on delete cascade,
  slot_at timestamptz not null,
  run_id bigint references runs (id) on delete set null,
  claimed_by text not null,
  created_at timestamptz not null,
  primary key (schedule_id, slot_at)
);

-- A run launched by a schedule names it.
alter table runs add column schedule_id bigint references schedules (id) on delete set null;
-- Runs of one schedule, newest first (schedule page).
create index runs_schedule_id_idx on runs (schedule_id, id desc) where schedule_id is not null;
