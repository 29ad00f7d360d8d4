// SQL for jobs: the runner's claim, lease renewal, finish, release and the sweeper of expired leases.
import type { Sql } from 'postgres';

import type { JobStatus } from '../statuses.ts';

export type { JobStatus };

export interface JobRow {
  id: number;
  run_id: number;
  task: string;
  status: JobStatus;
  attempt: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  result: Record<string, unknown> | null;
  error_code: string | null;
  error: string | null;
}

/**
 * Claims the oldest queued job whose task is not at its limit in this instance. SKIP LOCKED lets
 * several workers (and instances) claim in parallel without ever taking the same job.
 */
export async function claimJob(
  sql: Sql,
  owner: string,
  now: Date,
  leaseMs: number,
  excludedTasks: string[],
): Promise<JobRow | undefined> {
  const [row] = await sql<JobRow[]>`
    update jobs set
      status = 'running',
      attempt = attempt + 1,
      lease_owner = ${owner},
      lease_expires_at = ${new Date(now.getTime() + leaseMs)},
      started_at = ${now}
    where id = (
      select id from jobs
      where status = 'queued' and not (task = any(${excludedTasks}::text[]))
      order by id
      limit 1
      for update skip locked
    )
    returning *`;
  return row;
}

/** Extends the lease; false when this owner no longer holds the job. Also says whether cancel was asked. */
export async function renewLease(
  sql: Sql,
  jobId: number,
  owner: string,
  until: Date,
): Promise<{ held: boolean; cancelRequested: boolean }> {
  const [row] = await sql<{ cancel_requested: boolean }[]>`
    update jobs set lease_expires_at = ${until}
    from runs
    where jobs.id = ${jobId} and jobs.lease_owner = ${owner} and jobs.status = 'running' and runs.id = jobs.run_id
    returning runs.cancel_requested`;
  return { held: row !== undefined, cancelRequested: row?.cancel_requested ?? false };
}

export interface JobOutcome {
  status: 'success' | 'failed' | 'cancelled';
  result: Record<string, unknown> | null;
  errorCode: string | null;
  error: string | null;
}

/** Records the end of a job this owner holds; false when the lease was lost meanwhile. */
export async function finishJob(sql: Sql, jobId: number, owner: string, o: JobOutcome, now: Date): Promise<boolean> {
  const rows = await sql`
    update jobs set
      status = ${o.status}, finished_at = ${now}, result = ${o.result ? sql.json(o.result as never) : null},
      error_code = ${o.errorCode}, error = ${o.error}, lease_owner = null, lease_expires_at = null
    where id = ${jobId} and lease_owner = ${owner} and status = 'running'
    returning id`;
  return rows.length > 0;
}

/** Gives a job back to the queue without counting the attempt (graceful shutdown). */
export async function releaseJob(sql: Sql, jobId: number, owner: string): Promise<boolean> {
  const rows = await sql`
    update jobs set status = 'queued', attempt = greatest(attempt - 1, 0), lease_owner = null, lease_expires_at = null, started_at = null
    where id = ${jobId} and lease_owner = ${owner} and status = 'running'
    returning id`;
  return rows.length > 0;
}

/**
 * Expired leases (a crashed or killed worker): requeue the job if it has attempts left, else fail it
 * as interrupted. `allRunning` takes every running job regardless of its lease (embedded mode at
 * start-up: the database folder is locked to this process, so any running job is an orphan).
 */
export async function sweepExpiredLeases(
  sql: Sql,
  now: Date,
  allRunning = false,
): Promise<{ id: number; run_id: number; status: JobStatus }[]> {
  return sql<{ id: number; run_id: number; status: JobStatus }[]>`
    update jobs set
      status = case when attempt < max_attempts then 'queued' else 'failed' end,
      error_code = case when attempt < max_attempts then error_code else 'interrupted' end,
      error = case when attempt < max_attempts then error else 'the worker stopped while running this job (crash or kill); no attempts left' end,
      finished_at = case when attempt < max_attempts then null else ${now} end,
      lease_owner = null, lease_expires_at = null
    where status = 'running' and (${allRunning} or lease_expires_at < ${now})
    returning id, run_id, status`;
}

export async function listJobsOfRun(sql: Sql, runId: number): Promise<JobRow[]> {
  return sql<JobRow[]>`select * from jobs where run_id = ${runId} order by id`;
}

/** The most recent successful job of a task (windows start where it ended). */
export async function lastSuccessfulJob(sql: Sql, task: string): Promise<JobRow | undefined> {
  const [row] = await sql<JobRow[]>`
    select * from jobs where task = ${task} and status = 'success'
    order by finished_at desc limit 1`;
  return row;
}
