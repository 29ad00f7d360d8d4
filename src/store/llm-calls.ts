// SQL for llm_calls: one row per model-call attempt, numbers and short codes only (no content columns
// exist, by design). Sums arrive as int8; Number() keeps them numbers whatever the int8 parser is.
import type { Sql } from 'postgres';

export type LlmCallStatus = 'ok' | 'error' | 'timeout';

export interface NewLlmCall {
  runId: number | null;
  jobId: number | null;
  endpoint: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
  durationMs: number;
  status: LlmCallStatus;
  errorKind: string | null;
  attempt: number;
  createdAt: Date;
}

export interface LlmCallRow {
  id: number;
  run_id: number | null;
  job_id: number | null;
  endpoint: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  estimated: boolean;
  duration_ms: number;
  status: LlmCallStatus;
  error_kind: string | null;
  attempt: number;
  created_at: Date;
}

export interface TokenStatsRow {
  key: string | null;
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  estimated_calls: number;
  error_calls: number;
}

export interface TimeRange {
  since: Date | null;
  until: Date | null;
}

const nullableId = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toCallRow(r: LlmCallRow): LlmCallRow {
  return { ...r, id: Number(r.id), run_id: nullableId(r.run_id), job_id: nullableId(r.job_id) };
}

function toStatsRow(r: TokenStatsRow): TokenStatsRow {
  return {
    key: r.key,
    calls: Number(r.calls),
    prompt_tokens: Number(r.prompt_tokens),
    completion_tokens: Number(r.completion_tokens),
    total_tokens: Number(r.total_tokens),
    estimated_calls: Number(r.estimated_calls),
    error_calls: Number(r.error_calls),
  };
}

export async function insertLlmCall(sql: Sql, c: NewLlmCall): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into llm_calls (run_id, job_id, endpoint, model, prompt_tokens, completion_tokens, total_tokens,
                           estimated, duration_ms, status, error_kind, attempt, created_at)
    values (${c.runId}, ${c.jobId}, ${c.endpoint}, ${c.model}, ${c.promptTokens}, ${c.completionTokens},
            ${c.totalTokens}, ${c.estimated}, ${c.durationMs}, ${c.status}, ${c.errorKind}, ${c.attempt}, ${c.createdAt})
    returning id`;
  return Number(row!.id);
}

/** Calls of one run, oldest first (served by llm_calls_run_idx). */
export async function listLlmCallsOfRun(sql: Sql, runId: number, limit: number): Promise<LlmCallRow[]> {
  const rows = await sql<LlmCallRow[]>`
    select * from llm_calls where run_id = ${runId} order by id limit ${limit}`;
  return rows.map(toCallRow);
}

/** The latest calls of any run, newest first (served by the primary key). */
export async function listRecentLlmCalls(sql: Sql, limit: number): Promise<LlmCallRow[]> {
  const rows = await sql<LlmCallRow[]>`
    select * from llm_calls order by id desc limit ${limit}`;
  return rows.map(toCallRow);
}

// The four token-stats statements share their sums; each groups by one key. A bound left null is open
// (-infinity/infinity keep the range predicate usable by llm_calls_created_at_idx).

export async function tokenStatsByModel(sql: Sql, range: TimeRange): Promise<TokenStatsRow[]> {
  const rows = await sql<TokenStatsRow[]>`
    select c.model as key, count(*) as calls,
           sum(c.prompt_tokens) as prompt_tokens, sum(c.completion_tokens) as completion_tokens,
           sum(c.total_tokens) as total_tokens,
           count(*) filter (where c.estimated) as estimated_calls,
           count(*) filter (where c.status <> 'ok') as error_calls
    from llm_calls c
    where c.created_at >= coalesce(${range.since}::timestamptz, '-infinity')
      and c.created_at < coalesce(${range.until}::timestamptz, 'infinity')
    group by c.model
    order by total_tokens desc, key`;
  return rows.map(toStatsRow);
}

/** Keyed by the job's task; null = a call made outside any job. */
export async function tokenStatsByTask(sql: Sql, range: TimeRange): Promise<TokenStatsRow[]> {
  const rows = await sql<TokenStatsRow[]>`
    select j.task as key, count(*) as calls,
           sum(c.prompt_tokens) as prompt_tokens, sum(c.completion_tokens) as completion_tokens,
           sum(c.total_tokens) as total_tokens,
           count(*) filter (where c.estimated) as estimated_calls,
           count(*) filter (where c.status <> 'ok') as error_calls
    from llm_calls c
    left join jobs j on j.id = c.job_id
    where c.created_at >= coalesce(${range.since}::timestamptz, '-infinity')
      and c.created_at < coalesce(${range.until}::timestamptz, 'infinity')
    group by j.task
    order by total_tokens desc, key nulls last`;
  return rows.map(toStatsRow);
}

/** Keyed by the run's directive snapshot name; '(custom)' = a run with custom text; null = no run. */
export async function tokenStatsByDirective(sql: Sql, range: TimeRange): Promise<TokenStatsRow[]> {
  const rows = await sql<TokenStatsRow[]>`
    select case when r.id is null then null else coalesce(r.directive_name, '(custom)') end as key,
           count(*) as calls,
           sum(c.prompt_tokens) as prompt_tokens, sum(c.completion_tokens) as completion_tokens,
           sum(c.total_tokens) as total_tokens,
           count(*) filter (where c.estimated) as estimated_calls,
           count(*) filter (where c.status <> 'ok') as error_calls
    from llm_calls c
    left join runs r on r.id = c.run_id
    where c.created_at >= coalesce(${range.since}::timestamptz, '-infinity')
      and c.created_at < coalesce(${range.until}::timestamptz, 'infinity')
    group by 1
    order by total_tokens desc, key nulls last`;
  return rows.map(toStatsRow);
}

/** Keyed by the UTC day, YYYY-MM-DD, oldest first. */
export async function tokenStatsByDay(sql: Sql, range: TimeRange): Promise<TokenStatsRow[]> {
  const rows = await sql<TokenStatsRow[]>`
    select to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD') as key, count(*) as calls,
           sum(c.prompt_tokens) as prompt_tokens, sum(c.completion_tokens) as completion_tokens,
           sum(c.total_tokens) as total_tokens,
           count(*) filter (where c.estimated) as estimated_calls,
           count(*) filter (where c.status <> 'ok') as error_calls
    from llm_calls c
    where c.created_at >= coalesce(${range.since}::timestamptz, '-infinity')
      and c.created_at < coalesce(${range.until}::timestamptz, 'infinity')
    group by 1
    order by key`;
  return rows.map(toStatsRow);
}
