-- Token accounting: one row per attempt of a model call. Numbers and short codes only.

create table llm_calls (
  id bigint generated always as identity primary key,
  run_id bigint references runs (id) on delete cascade,
  job_id bigint references jobs (id) on delete set null,
  -- scheme://host:port of the model server; never a path, query or credentials
  endpoint text not null check (endpoint ~ '^https?://[^/?#@]+$'),
  model text not null check (length(model) between 1 and 200),
  prompt_tokens integer not null default 0 check (prompt_tokens >= 0),
  completion_tokens integer not null default 0 check (completion_tokens >= 0),
  total_tokens integer not null default 0 check (total_tokens >= 0),
  -- true when the server sent no usage and the client estimated the numbers
  estimated boolean not null default false,
  duration_ms integer not null check (duration_ms >= 0),
  status text not null check (status in ('ok', 'error', 'timeout')),
  -- a short code (http_500, connection_refused, timeout, aborted, bad_response); never response text
  error_kind text check (error_kind ~ '^[a-z0-9_]{1,40}$'),
  attempt integer not null check (attempt >= 1),
  created_at timestamptz not null default now(),
  check ((status = 'ok') = (error_kind is null)),
  -- a failed attempt counts nothing: no invented numbers
  check (status = 'ok' or (prompt_tokens = 0 and completion_tokens = 0 and total_tokens = 0 and not estimated))
);

comment on table llm_calls is
  'One row per model-call attempt: token counts, duration, status and metadata ONLY. Never add a column '
  'holding prompt, response, message, log or directive text (or any excerpt of it): model content is '
  'never persisted.';

-- Token stats by time range: GET /api/token-stats?since&until (created_at >= since and < until).
create index llm_calls_created_at_idx on llm_calls (created_at);
-- Calls of a run in order: GET /api/llm-calls?run=, run detail token totals.
create index llm_calls_run_idx on llm_calls (run_id, id) where run_id is not null;
-- Deleting a job sets its calls' job_id to null (foreign-key action); token stats grouped by task join on it.
create index llm_calls_job_idx on llm_calls (job_id) where job_id is not null;
