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

export async function insertGpuSamples(sql: Q, runId: number, jobId: number, takenAt: Date, source: string, samples: GpuSampleInput[]): Promise<void> {
  if (samples.length === 0) return;
  const rows = samples.map((s) => ({ run_id: runId, job_id: jobId, taken_at: takenAt, source, ...s }));
  await sql`insert into gpu_samples ${sql(rows, 'run_id', 'job_id', 'taken_at', 'source', 'gpu_index', 'gpu_uuid', 'name', 'utilization_gpu_pct', 'utilization_memory_pct', 'memory_total_mib', 'memory_used_mib', 'temperature_c', 'power_draw_w', 'power_limit_w')}`;
}

/** Samples of these GPUs taken before `before` by other jobs, newest first, at most `perGpu` each. */
export async function listGpuTrend(sql: Q, uuids: string[], before: Date, excludeJobId: number, perGpu: number): Promise<GpuSampleRow[]> {
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
