// SQL for the GPU figures each GPU-report job kept, and the trend read back from earlier runs.
import type { Sql, TransactionSql } from 'postgres';

type Q = Sql | TransactionSql;

export interface GpuSampleInput {
  gpu_index: number | null;
  gpu_uuid: string;
  name: string | null;
  utilization_gpu_pct: number | null;
  utilization_memory_pct: number | null;
  memory_total_mib: number | null;
  memory_used_mib: number | null;
  temperature_c: number | null;
  power_draw_w: number | null;
  power_limit_w: number | null;
}

export interface GpuSampleRow extends GpuSampleInput {
  id: number;
  run_id: number;
  job_id: number;
  taken_at: Date;
  source: string;
}

export async function insertGpuSamples(
  sql: Q,
  runId: number,
  jobId: number,
  takenAt: Date,
  source: string,
  samples: GpuSampleInput[],
): Promise<void> {
  if (samples.length === 0) return;
  const rows = samples.map((s) => ({ run_id: runId, job_id: jobId, taken_at: takenAt, source, ...s }));
  await sql`insert into gpu_samples ${sql(rows, 'run_id', 'job_id', 'taken_at', 'source', 'gpu_index', 'gpu_uuid', 'name', 'utilization_gpu_pct', 'utilization_memory_pct', 'memory_total_mib', 'memory_used_mib', 'temperature_c', 'power_draw_w', 'power_limit_w')}`;
}

/** Samples of these GPUs taken before `before` by other jobs, newest first, at most `perGpu` each. */
export async function listGpuTrend(
  sql: Q,
  uuids: string[],
  before: Date,
  excludeJobId: number,
  perGpu: number,
): Promise<GpuSampleRow[]> {
  if (uuids.length === 0) return [];
  return sql<GpuSampleRow[]>`
    select * from (
      select s.*, row_number() over (partition by s.gpu_uuid order by s.taken_at desc, s.id desc) as rn
      from gpu_samples s
      where s.gpu_uuid = any(${uuids}::text[]) and s.taken_at <= ${before} and s.job_id <> ${excludeJobId}
    ) t
    where t.rn <= ${perGpu}
    order by t.gpu_uuid, t.taken_at desc, t.id desc`;
}

/**
 * The samples of the newest `jobs` GPU-report jobs that succeeded, newest job first, GPUs in index
 * order within a job. A failed job's samples (if it wrote any) are not part of the trend.
 */
export async function listRecentGpuSamples(sql: Q, jobs: number): Promise<GpuSampleRow[]> {
  return sql<GpuSampleRow[]>`
    with recent as (
      select s.job_id
      from gpu_samples s join jobs j on j.id = s.job_id and j.status = 'success'
      group by s.job_id
      order by s.job_id desc
      limit ${jobs}
    )
    select s.* from gpu_samples s
    where s.job_id in (select job_id from recent)
    order by s.job_id desc, s.gpu_index nulls last, s.gpu_uuid, s.id`;
}
