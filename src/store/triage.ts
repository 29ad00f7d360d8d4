// SQL for log triage: the windows each job covered per container, and the run-to-run memory of
// template fingerprints. Only names, times, counts and hashes: never log text.
import type { Sql, TransactionSql } from 'postgres';

type Q = Sql | TransactionSql;

export type WindowStatus = 'ok' | 'failed';

export interface WindowRow {
  id: number;
  job_id: number;
  run_id: number;
  container_name: string;
  container_id: string;
  since: Date;
  until: Date;
  lines: number;
  triaged_lines: number;
  bytes: number;
  truncated: boolean;
  templates: number;
  errors: number;
  warnings: number;
  new_templates: number;
  restart_count: number | null;
  started_at: Date | null;
  status: WindowStatus;
  error_code: string | null;
  created_at: Date;
}

export type NewWindow = Omit<WindowRow, 'id'>;

/** When the job started (the `until` of its windows). */
export async function jobStartedAt(sql: Q, jobId: number): Promise<Date | null> {
  const [row] = await sql<{ started_at: Date | null }[]>`select started_at from jobs where id = ${jobId}`;
  return row?.started_at ?? null;
}

/** The container's newest 'ok' window of a job that succeeded: the next window starts at its until. */
export async function lastSuccessfulWindow(sql: Q, containerName: string): Promise<WindowRow | undefined> {
  const [row] = await sql<WindowRow[]>`
    select w.* from triage_windows w join jobs j on j.id = w.job_id
    where w.container_name = ${containerName} and w.status = 'ok' and j.status = 'success'
    order by w.until desc limit 1`;
  return row ? { ...row, bytes: Number(row.bytes) } : undefined;
}

/** False when the job already recorded this container's window (a retried job). */
export async function insertWindow(sql: Q, w: NewWindow): Promise<boolean> {
  const rows = await sql`
    insert into triage_windows (job_id, run_id, container_name, container_id, since, until, lines, triaged_lines, bytes,
                                truncated, templates, errors, warnings, new_templates, restart_count, started_at, status,
                                error_code, created_at)
    values (${w.job_id}, ${w.run_id}, ${w.container_name}, ${w.container_id}, ${w.since}, ${w.until}, ${w.lines},
            ${w.triaged_lines}, ${w.bytes}, ${w.truncated}, ${w.templates}, ${w.errors}, ${w.warnings}, ${w.new_templates},
            ${w.restart_count}, ${w.started_at}, ${w.status}, ${w.error_code}, ${w.created_at})
    on conflict (job_id, container_name) do nothing
    returning id`;
  return rows.length > 0;
}

export async function windowsOfJob(sql: Q, jobId: number): Promise<WindowRow[]> {
  const rows = await sql<WindowRow[]>`select * from triage_windows where job_id = ${jobId} order by container_name, id`;
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}

export interface TemplateMemoryRow {
  container_name: string;
  fingerprint: string;
  level: string;
  first_run_id: number;
  first_job_id: number;
  last_run_id: number;
  last_job_id: number;
  runs_seen: number;
  total_count: number;
  last_count: number;
  observed_seconds: number;
}

const numeric = (r: TemplateMemoryRow): TemplateMemoryRow => ({
  ...r,
  total_count: Number(r.total_count),
  last_count: Number(r.last_count),
});

/** What memory holds of these fingerprints of the container. */
export async function knownTemplates(
  sql: Q,
  containerName: string,
  fingerprints: string[],
): Promise<TemplateMemoryRow[]> {
  if (fingerprints.length === 0) return [];
  const rows = await sql<TemplateMemoryRow[]>`
    select * from triage_templates where container_name = ${containerName} and fingerprint = any(${fingerprints}::text[])`;
  return rows.map(numeric);
}

/** The templates of the container that the given job saw last (candidates for `resolved`). */
export async function templatesLastSeenInJob(
  sql: Q,
  containerName: string,
  jobId: number,
): Promise<TemplateMemoryRow[]> {
  const rows = await sql<TemplateMemoryRow[]>`
    select * from triage_templates where container_name = ${containerName} and last_job_id = ${jobId} order by fingerprint`;
  return rows.map(numeric);
}

/** Adds a window's length to every template the container already has (their observed time). */
export async function addObservedSeconds(sql: Q, containerName: string, seconds: number): Promise<void> {
  await sql`update triage_templates set observed_seconds = observed_seconds + ${seconds} where container_name = ${containerName}`;
}

export interface SeenTemplate {
  fingerprint: string;
  level: string;
  count: number;
}

/**
 * Records the templates one window saw: new ones are inserted (observed for this window's seconds),
 * known ones get their counts and last run; `level` is the worst level so far (the caller merges it).
 * One statement for all of them.
 */
export async function recordTemplates(
  sql: Q,
  at: { containerName: string; runId: number; jobId: number; seconds: number },
  seen: SeenTemplate[],
): Promise<void> {
  if (seen.length === 0) return;
  await sql`
    insert into triage_templates as t (container_name, fingerprint, level, first_run_id, first_job_id, last_run_id, last_job_id,
                                       runs_seen, total_count, last_count, observed_seconds)
    select ${at.containerName}, s.fingerprint, s.level, ${at.runId}, ${at.jobId}, ${at.runId}, ${at.jobId}, 1, s.count, s.count, ${at.seconds}
    from unnest(${seen.map((s) => s.fingerprint)}::text[], ${seen.map((s) => s.level)}::text[], ${seen.map((s) => s.count)}::bigint[])
      as s (fingerprint, level, count)
    on conflict (container_name, fingerprint) do update set
      level = excluded.level,
      last_run_id = excluded.last_run_id,
      last_job_id = excluded.last_job_id,
      runs_seen = t.runs_seen + 1,
      total_count = t.total_count + excluded.total_count,
      last_count = excluded.last_count`;
}

export interface WindowListRow extends WindowRow {
  job_status: string;
}

/** Windows newest first (keyset: id < before), optionally of one container, with their job's status. */
export async function listWindows(
  sql: Q,
  filter: { container?: string; before?: number },
  limit: number,
): Promise<WindowListRow[]> {
  const rows = await sql<WindowListRow[]>`
    select w.*, j.status as job_status from triage_windows w join jobs j on j.id = w.job_id
    where (${filter.container ?? null}::text is null or w.container_name = ${filter.container ?? null})
      and (${filter.before ?? null}::bigint is null or w.id < ${filter.before ?? null})
    order by w.id desc limit ${limit}`;
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}

/** Per container, the end of its last 'ok' window of a successful job: where its next window starts. */
export async function nextWindowStarts(
  sql: Q,
): Promise<{ container_name: string; until: Date; job_id: number; run_id: number }[]> {
  return sql<{ container_name: string; until: Date; job_id: number; run_id: number }[]>`
    select distinct on (w.container_name) w.container_name, w.until, w.job_id, w.run_id
    from triage_windows w join jobs j on j.id = w.job_id
    where w.status = 'ok' and j.status = 'success'
    order by w.container_name, w.until desc`;
}
