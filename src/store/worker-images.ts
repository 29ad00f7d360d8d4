// SQL for the worker-image allowlist and the record of every worker-container start.
import type { Sql, TransactionSql } from 'postgres';

type Q = Sql | TransactionSql;

export interface WorkerImageRow {
  id: number;
  image: string;
  tag: string;
  requires_gpu: boolean;
  active: boolean;
  description: string;
  created_at: Date;
  updated_at: Date;
}

export interface WorkerStartRow {
  id: number;
  job_id: number | null;
  image: string;
  tag: string;
  device_request: boolean;
  started_at: Date;
  finished_at: Date | null;
  exit_code: number | null;
  duration_ms: number | null;
  outcome: 'exited' | 'timeout' | 'start_failed' | null;
  reason: string;
}

export async function findWorkerImage(sql: Q, image: string, tag: string): Promise<WorkerImageRow | undefined> {
  const [row] = await sql<WorkerImageRow[]>`select * from worker_images where image = ${image} and tag = ${tag}`;
  return row;
}

export async function listWorkerImages(sql: Q): Promise<WorkerImageRow[]> {
  return sql<WorkerImageRow[]>`select * from worker_images order by image, tag`;
}

export async function upsertWorkerImage(
  sql: Q,
  e: { image: string; tag: string; requiresGpu: boolean; active: boolean; description: string; at: Date },
): Promise<WorkerImageRow> {
  const [row] = await sql<WorkerImageRow[]>`
    insert into worker_images (image, tag, requires_gpu, active, description, created_at, updated_at)
    values (${e.image}, ${e.tag}, ${e.requiresGpu}, ${e.active}, ${e.description}, ${e.at}, ${e.at})
    on conflict (image, tag) do update
      set requires_gpu = excluded.requires_gpu, active = excluded.active, description = excluded.description,
          updated_at = excluded.updated_at
    returning *`;
  return row!;
}

export async function insertWorkerStart(
  sql: Q,
  s: { jobId: number | null; image: string; tag: string; deviceRequest: boolean; at: Date },
): Promise<WorkerStartRow> {
  const [row] = await sql<WorkerStartRow[]>`
    insert into worker_starts (job_id, image, tag, device_request, started_at)
    values (${s.jobId}, ${s.image}, ${s.tag}, ${s.deviceRequest}, ${s.at})
    returning *`;
  return row!;
}

export async function finishWorkerStart(
  sql: Q,
  id: number,
  f: {
    at: Date;
    exitCode: number | null;
    durationMs: number;
    outcome: NonNullable<WorkerStartRow['outcome']>;
    reason: string;
  },
): Promise<void> {
  await sql`
    update worker_starts
    set finished_at = ${f.at}, exit_code = ${f.exitCode}, duration_ms = ${f.durationMs}, outcome = ${f.outcome}, reason = ${f.reason}
    where id = ${id}`;
}

export async function listWorkerStartsForJob(sql: Q, jobId: number): Promise<WorkerStartRow[]> {
  return sql<WorkerStartRow[]>`select * from worker_starts where job_id = ${jobId} order by id`;
}

/** Starts of one image (tests and the operator's audit). */
export async function listWorkerStartsOfImage(sql: Q, image: string, tag: string): Promise<WorkerStartRow[]> {
  return sql<WorkerStartRow[]>`select * from worker_starts where image = ${image} and tag = ${tag} order by id`;
}
