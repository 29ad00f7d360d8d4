-- Runs engine: directives with versions, runs with a directive snapshot, jobs claimed by the runner,
-- and artifacts written under CYBER_BRAIN_LOGS/run_<id>/.

-- A directive is an operator's standing instruction put into the model's prompt. The row holds its
-- current state; every edit adds a row to directive_versions, so old versions stay readable.
create table directives (
  id bigint generated always as identity primary key,
  name text not null unique,
  -- D1 read-only diagnostics, D2 conservative recommendations, D3 change planning, D4 admin override
  level text not null check (level in ('D1', 'D2', 'D3', 'D4')),
  title text not null,
  body text not null,
  approval_required boolean not null,
  is_builtin boolean not null default false,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table directive_versions (
  directive_id bigint not null references directives (id) on delete cascade,
  version integer not null,
  level text not null,
  title text not null,
  body text not null,
  sha256 text not null,
  approval_required boolean not null,
  created_at timestamptz not null default now(),
  primary key (directive_id, version)
);

insert into directives (name, level, title, body, approval_required, is_builtin) values
  ('read-only-diagnostics', 'D1', 'Read-only diagnostics',
   'Explain what the findings show and what most likely caused them. Only describe and diagnose; do not propose changes to the host or its containers.',
   false, true),
  ('conservative-recommendations', 'D2', 'Conservative recommendations',
   'Explain the findings and recommend the smallest safe next steps an operator could take, each with its risk. Prefer checking and observing over changing.',
   false, true),
  ('change-planning', 'D3', 'Change planning',
   'Explain the findings and write a concrete change plan (which container, which setting, in what order, how to roll back). A person approves this run before it starts.',
   true, true),
  ('admin-override', 'D4', 'Admin override',
   'The operator takes responsibility for this run: give direct, complete remediation steps, including disruptive ones, clearly marked. A person approves this run before it starts.',
   true, true);

insert into directive_versions (directive_id, version, level, title, body, sha256, approval_required)
  select id, 1, level, title, body, encode(sha256(convert_to(body, 'UTF8')), 'hex'), approval_required
  from directives;

-- A run is one launch of one or more tasks under one directive SNAPSHOT: later edits of the
-- directive never change what a run used.
create table runs (
  id bigint generated always as identity primary key,
  status text not null check (status in ('awaiting_approval', 'queued', 'running', 'success', 'partial', 'failed', 'cancelled')),
  trigger text not null check (trigger in ('web', 'api', 'mcp', 'schedule')),
  tasks text[] not null,
  options jsonb not null default '{}',
  directive_id bigint references directives (id) on delete set null,
  directive_name text,
  directive_version integer,
  directive_level text,
  directive_text text not null,
  directive_sha256 text not null,
  approval_required boolean not null default false,
  decided_by text,
  decided_at timestamptz,
  cancel_requested boolean not null default false,
  error_summary text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);

-- Run list: newest first with keyset pagination (id < cursor), unfiltered: served by the primary key.
-- Run list filtered by status, newest first.
create index runs_status_id_idx on runs (status, id desc);
-- Run list filtered by trigger, newest first.
create index runs_trigger_id_idx on runs (trigger, id desc);
-- Run list filtered by directive, newest first.
create index runs_directive_id_idx on runs (directive_id, id desc);
-- Run list filtered by task (tasks @> array[task]).
create index runs_tasks_gin_idx on runs using gin (tasks);

-- A job is one task inside one run. 'waiting' = its run awaits approval.
create table jobs (
  id bigint generated always as identity primary key,
  run_id bigint not null references runs (id) on delete cascade,
  task text not null,
  status text not null check (status in ('waiting', 'queued', 'running', 'success', 'failed', 'cancelled')),
  attempt integer not null default 0,
  max_attempts integer not null default 2,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- counts and figures only; never log or model text
  result jsonb,
  error_code text,
  error text
);

-- Runner claim: the oldest queued job (FOR UPDATE SKIP LOCKED).
create index jobs_queued_idx on jobs (id) where status = 'queued';
-- Lease sweeper: running jobs whose lease expired.
create index jobs_running_lease_idx on jobs (lease_expires_at) where status = 'running';
-- "Last successful job of task T" (windows start where the last success ended).
create index jobs_task_success_idx on jobs (task, finished_at desc) where status = 'success';
-- Jobs of a run (run detail, run status derivation).
create index jobs_run_idx on jobs (run_id);

-- A file a job wrote under CYBER_BRAIN_LOGS/run_<id>/, with its size and sha256.
create table artifacts (
  id bigint generated always as identity primary key,
  run_id bigint not null references runs (id) on delete cascade,
  job_id bigint references jobs (id) on delete cascade,
  path text not null,
  kind text not null,
  mime_type text not null,
  bytes bigint not null,
  sha256 text not null,
  created_at timestamptz not null default now(),
  -- Artifacts of a run, and rewriting one path (unique per run).
  unique (run_id, path)
);
