-- Log triage: per job and container, the window of log lines it covered; per container, the template
-- FINGERPRINTS seen so far (a hash of the template, never its text), so each run can tell new patterns
-- from recurring ones and notice error patterns that went away. Nothing here holds log text.

-- One row per container a log_triage job looked at. The next window of a container starts at the
-- `until` of its last 'ok' window whose job succeeded ("since last successful run").
create table triage_windows (
  id bigint generated always as identity primary key,
  job_id bigint not null references jobs (id) on delete cascade,
  run_id bigint not null,
  -- the container as the allowlist follows it: by name (a recreated container keeps its windows)
  container_name text not null,
  container_id text not null,
  since timestamptz not null,
  until timestamptz not null,
  -- lines and bytes in the window; triaged_lines of them went through the triage (LOG_TRIAGE_MAX_LINES)
  lines integer not null,
  triaged_lines integer not null,
  bytes bigint not null,
  truncated boolean not null,
  templates integer not null,
  errors integer not null,
  warnings integer not null,
  new_templates integer not null,
  -- the container's state at the end of the window, to notice restarts in the next one
  restart_count integer,
  started_at timestamptz,
  status text not null check (status in ('ok', 'failed')),
  -- a short error name when status is 'failed' (never a message: messages may quote logs)
  error_code text,
  created_at timestamptz not null
);

-- Serves lastSuccessfulWindow: a container's newest 'ok' window (joined to its job's status).
create index triage_windows_container_until_idx on triage_windows (container_name, until desc) where status = 'ok';
-- Serves windowsOfJob, and makes insertWindow idempotent: a job retried after a crash that had already
-- recorded its windows does not record (or count into memory) the same window twice.
create unique index triage_windows_job_container_idx on triage_windows (job_id, container_name);

-- Run-to-run memory of templates, per container.
create table triage_templates (
  container_name text not null,
  fingerprint text not null,
  -- the worst level the template was seen at
  level text not null,
  first_run_id bigint not null,
  first_job_id bigint not null,
  last_run_id bigint not null,
  last_job_id bigint not null,
  runs_seen integer not null,
  total_count bigint not null,
  last_count bigint not null,
  -- seconds of windows observed since the template was first seen: total_count / observed_seconds is
  -- its rate in earlier windows, against which a spike is measured
  observed_seconds double precision not null,
  -- Serves knownTemplates (fingerprint = any(...)) and the upsert of recordTemplates.
  primary key (container_name, fingerprint)
);

-- Serves templatesLastSeenInJob: the templates a container's previous window saw (for `resolved`).
create index triage_templates_last_job_idx on triage_templates (container_name, last_job_id);
