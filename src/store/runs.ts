// SQL for runs: launch, list, read, approval and cancellation, and deriving a run's status from its jobs.
import type { Sql, TransactionSql } from 'postgres';
import type { JobRow } from './jobs.ts';

import type { RunStatus, RunTrigger } from '../statuses.ts';

export type { RunStatus, RunTrigger };

export interface RunRow {
  id: number;
  status: RunStatus;
  trigger: RunTrigger;
  tasks: string[];
  options: Record<string, Record<string, unknown>>;
  directive_id: number | null;
  directive_name: string | null;
  directive_version: number | null;
  directive_level: string | null;
  directive_text: string;
  directive_sha256: string;
  approval_required: boolean;
  decided_by: string | null;
  decided_at: Date | null;
  cancel_requested: boolean;
  error_summary: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** The schedule that launched it (trigger "schedule"). */
  schedule_id: number | null;
}

export interface NewRun {
  trigger: RunTrigger;
  tasks: string[];
  options: Record<string, Record<string, unknown>>;
  directive: {
    id: number | null;
    name: string | null;
    version: number | null;
    level: string | null;
    text: string;
    sha256: string;
  };
  approvalRequired: boolean;
  now: Date;
  scheduleId?: number;
}

/** Inserts the run and one job per task in one transaction; returns both as inserted. */
export async function insertRunWithJobs(sql: Sql, r: NewRun): Promise<{ run: RunRow; jobs: JobRow[] }> {
  return sql.begin((tx) => insertRunWithJobsIn(tx, r));
}

/** The same inside a caller's transaction (a schedule claims its slot and launches in one). */
export async function insertRunWithJobsIn(tx: TransactionSql, r: NewRun): Promise<{ run: RunRow; jobs: JobRow[] }> {
  {
    const status: RunStatus = r.approvalRequired ? 'awaiting_approval' : 'queued';
    const [run] = await tx<RunRow[]>`
      insert into runs (status, trigger, tasks, options, directive_id, directive_name, directive_version, directive_level,
                        directive_text, directive_sha256, approval_required, created_at, schedule_id)
      values (${status}, ${r.trigger}, ${r.tasks}, ${tx.json(r.options as never)}, ${r.directive.id}, ${r.directive.name},
              ${r.directive.version}, ${r.directive.level}, ${r.directive.text}, ${r.directive.sha256}, ${r.approvalRequired}, ${r.now},
              ${r.scheduleId ?? null})
      returning *`;
    const jobStatus = r.approvalRequired ? 'waiting' : 'queued';
    const jobs: JobRow[] = [];
    for (const task of r.tasks) {
      const [job] = await tx<
        JobRow[]
      >`insert into jobs (run_id, task, status, created_at) values (${run!.id}, ${task}, ${jobStatus}, ${r.now}) returning *`;
      jobs.push(job!);
    }
    return { run: run!, jobs };
  }
}

export async function findRun(sql: Sql, id: number): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`select * from runs where id = ${id}`;
  return row;
}

export interface RunFilters {
  status?: RunStatus;
  task?: string;
  trigger?: RunTrigger;
  directiveId?: number;
  /** Keyset pagination: only runs with an id below this one. */
  before?: number;
  limit: number;
}

export interface RunListRow extends RunRow {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  llm_calls: number;
}

/**
 * Newest first, with each run's token totals, in one round trip. Each filter is served by its own
 * (column, id desc) index; the totals by llm_calls (run_id, id).
 */
export async function listRuns(sql: Sql, f: RunFilters): Promise<RunListRow[]> {
  return sql<RunListRow[]>`
    select r.*, t.prompt_tokens, t.completion_tokens, t.total_tokens, t.llm_calls
    from (
      select * from runs
      where true
        ${f.status ? sql`and status = ${f.status}` : sql``}
        ${f.trigger ? sql`and trigger = ${f.trigger}` : sql``}
        ${f.directiveId ? sql`and directive_id = ${f.directiveId}` : sql``}
        ${f.task ? sql`and tasks @> ${[f.task]}::text[]` : sql``}
        ${f.before ? sql`and id < ${f.before}` : sql``}
      order by id desc
      limit ${f.limit}
    ) r
    cross join lateral (
      select coalesce(sum(prompt_tokens), 0)::int8 as prompt_tokens, coalesce(sum(completion_tokens), 0)::int8 as completion_tokens,
             coalesce(sum(total_tokens), 0)::int8 as total_tokens, count(*)::int8 as llm_calls
      from llm_calls where run_id = r.id
    ) t
    order by r.id desc`;
}

/** Approve or deny: only a run still awaiting approval changes. */
export async function decideRun(
  sql: Sql,
  id: number,
  approve: boolean,
  by: string,
  now: Date,
): Promise<RunRow | undefined> {
  return sql.begin(async (tx) => {
    const [run] = await tx<RunRow[]>`
      update runs set
        status = ${approve ? 'queued' : 'cancelled'},
        decided_by = ${by}, decided_at = ${now},
        error_summary = ${approve ? null : `denied by ${by}`},
        finished_at = ${approve ? null : now}
      where id = ${id} and status = 'awaiting_approval'
      returning *`;
    if (!run) return undefined;
    await tx`
      update jobs set status = ${approve ? 'queued' : 'cancelled'}, finished_at = ${approve ? null : now}
      where run_id = ${id} and status = 'waiting'`;
    return run;
  });
}

/** Marks a run for cancellation and cancels its jobs that have not started. Undefined when already finished. */
export async function requestCancel(sql: Sql, id: number, now: Date): Promise<RunRow | undefined> {
  return sql.begin(async (tx) => {
    const [run] = await tx<RunRow[]>`
      update runs set cancel_requested = true
      where id = ${id} and status in ('awaiting_approval', 'queued', 'running')
      returning *`;
    if (!run) return undefined;
    await tx`
      update jobs set status = 'cancelled', finished_at = ${now}, error_code = 'cancelled'
      where run_id = ${id} and status in ('waiting', 'queued')`;
    return run;
  });
}

/** The status a run has given its jobs' statuses (undefined = leave as it is). */
export function deriveRunStatus(current: RunStatus, jobStatuses: string[]): RunStatus | undefined {
  if (current === 'awaiting_approval' && jobStatuses.every((s) => s === 'waiting')) return undefined;
  const open = jobStatuses.filter((s) => s === 'waiting' || s === 'queued' || s === 'running');
  if (open.length > 0) {
    const started = jobStatuses.some((s) => s !== 'waiting' && s !== 'queued');
    return started ? 'running' : 'queued';
  }
  if (jobStatuses.some((s) => s === 'cancelled')) return 'cancelled';
  if (jobStatuses.every((s) => s === 'success')) return 'success';
  if (jobStatuses.some((s) => s === 'success')) return 'partial';
  return 'failed';
}

const TERMINAL: RunStatus[] = ['success', 'partial', 'failed', 'cancelled'];

/**
 * Recomputes a run's status from its jobs under a row lock on the run, so two workers finishing the
 * last two jobs at once cannot both miss the final state. Returns the run when its status changed.
 */
export async function refreshRunStatus(sql: Sql, runId: number, now: Date): Promise<RunRow | undefined> {
  return sql.begin(async (tx: TransactionSql) => {
    const [run] = await tx<RunRow[]>`select * from runs where id = ${runId} for update`;
    if (!run) return undefined;
    const jobs = await tx<{ task: string; status: string; error_code: string | null }[]>`
      select task, status, error_code from jobs where run_id = ${runId} order by id`;
    const next = deriveRunStatus(
      run.status,
      jobs.map((j) => j.status),
    );
    if (!next || next === run.status) return undefined;
    const done = TERMINAL.includes(next);
    const failures = jobs.filter((j) => j.status === 'failed').map((j) => `${j.task}: ${j.error_code ?? 'failed'}`);
    const [updated] = await tx<RunRow[]>`
      update runs set
        status = ${next},
        started_at = case when ${next} <> 'queued' then coalesce(started_at, ${now}) else started_at end,
        finished_at = ${done ? now : null},
        error_summary = coalesce(error_summary, ${failures.length ? failures.join('; ') : null})
      where id = ${runId}
      returning *`;
    return updated;
  });
}
