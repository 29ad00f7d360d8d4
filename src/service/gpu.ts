// GPU read models: the latest GPU report (what the newest successful gpu_report job saw) and the trend
// over the newest successful jobs, read from the gpu_samples they kept. Typed once with TypeBox: the
// GPU page, GET /api/gpu/* and the MCP tools all serve these.
import { Type, type Static } from '@sinclair/typebox';
import { memoryPercent } from '../gpu/hotspots.ts';
import { listRecentGpuSamples, type GpuSampleRow } from '../store/gpu-samples.ts';
import { Nullable } from './schemas.ts';
import { latestTaskFile, newestRun, NewestRun, type ResultsCtx } from './task-results.ts';

export const GPU_TASK = 'gpu_report';
const REPORT_FILE = 'gpu_report/gpu_report.json';

const Num = Nullable(Type.Number());
const Text = Nullable(Type.String());

export const GpuFigures = Type.Object({
  index: Nullable(Type.Integer()),
  uuid: Text,
  name: Text,
  utilization_gpu_pct: Num,
  utilization_memory_pct: Num,
  memory_total_mib: Num,
  memory_used_mib: Num,
  temperature_c: Num,
  power_draw_w: Num,
  power_limit_w: Num,
});

const SourceAttempt = Type.Object({
  source: Type.Union([Type.Literal('appliance'), Type.Literal('worker'), Type.Literal('none')]),
  outcome: Type.Union([
    Type.Literal('used'),
    Type.Literal('unavailable'),
    Type.Literal('refused'),
    Type.Literal('failed'),
  ]),
  detail: Type.String(),
  device_request: Type.Optional(Type.Boolean()),
  worker_start_ids: Type.Optional(Type.Array(Type.Integer())),
});

const GpuProcess = Type.Object({ pid: Type.Integer(), process_name: Text, gpu_uuid: Text, used_memory_mib: Num });

const ContainerGpuUse = Type.Object({
  container: Type.String(),
  container_id: Type.String(),
  vram_mib: Type.Union([Type.Number(), Type.Null()], {
    description: "sum of its processes' known GPU memory; null when none reports it (MIG)",
  }),
  gpus: Type.Array(Type.String()),
  processes: Type.Array(GpuProcess),
});

const Hotspot = Type.Object({
  gpu_index: Nullable(Type.Integer()),
  gpu_uuid: Text,
  metric: Type.Union([Type.Literal('utilization'), Type.Literal('memory'), Type.Literal('temperature')]),
  value: Type.Number(),
  threshold: Type.Number(),
});

const GpuView = Type.Composite([
  GpuFigures,
  Type.Object({
    memory_used_pct: Type.Union([Type.Number(), Type.Null()], { description: 'memory in use of total, one decimal' }),
  }),
]);

/** What gpu_report.json must hold to be shown (the file holds more: its own trend, skipped lines). */
const GpuReportFile = Type.Object({
  generated_at: Type.String({ description: 'when the figures were taken (RFC 3339)' }),
  source: Type.Union([Type.Literal('appliance'), Type.Literal('worker'), Type.Literal('none')]),
  attempts: Type.Array(SourceAttempt, { description: 'each GPU source tried, in order' }),
  none_reason: Type.Union([Type.String(), Type.Null()], { description: 'why there are no GPU figures' }),
  gpus: Type.Array(GpuFigures),
  attribution: Type.Object({
    containers: Type.Array(ContainerGpuUse, {
      description: 'allowlisted containers with compute processes on the GPUs, most memory first',
    }),
    unattributed: Type.Object(
      { vram_mib: Num, processes: Type.Array(GpuProcess) },
      { description: 'processes of no allowlisted container, or of the host' },
    ),
  }),
  thresholds: Type.Object({ utilization_pct: Type.Number(), memory_pct: Type.Number(), temperature_c: Type.Number() }),
  hotspots: Type.Array(Hotspot),
});

/** The latest GPU report as served: the file's figures, memory in use as a percentage added per GPU. */
export const GpuReport = Type.Composite([
  Type.Omit(GpuReportFile, ['gpus']),
  Type.Object({ gpus: Type.Array(GpuView) }),
]);
export type GpuReport = Static<typeof GpuReport>;

export const GpuLatest = Type.Object({
  report: Nullable(GpuReport),
  run_id: Type.Union([Type.Integer(), Type.Null()], { description: 'the run the report comes from' }),
  job_id: Nullable(Type.Integer()),
  newest_run: NewestRun,
});
export type GpuLatest = Static<typeof GpuLatest>;

export async function latestGpuReport(ctx: ResultsCtx): Promise<GpuLatest> {
  const [file, newest] = await Promise.all([
    latestTaskFile(ctx, GPU_TASK, REPORT_FILE, GpuReportFile),
    newestRun(ctx, GPU_TASK),
  ]);
  if (!file) return { report: null, run_id: null, job_id: null, newest_run: newest };
  const r = file.data;
  // the file holds more (the trend, skipped lines); the view is exactly the schema
  const report: GpuReport = {
    generated_at: r.generated_at,
    source: r.source,
    attempts: r.attempts,
    none_reason: r.none_reason,
    gpus: r.gpus.map((g) => ({ ...g, memory_used_pct: memoryPercent(g) })),
    attribution: r.attribution,
    thresholds: r.thresholds,
    hotspots: r.hotspots,
  };
  return { report, run_id: file.run_id, job_id: file.job_id, newest_run: newest };
}

export const GpuTrendQuery = Type.Object(
  {
    runs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, default: 14, description: 'newest successful GPU reports to include' }),
    ),
  },
  { additionalProperties: false },
);
export type GpuTrendQuery = Static<typeof GpuTrendQuery>;

const TrendGpu = Type.Object({
  gpu_uuid: Type.String({ description: 'the key the samples are kept under: the UUID, else "index:N"' }),
  gpu_index: Nullable(Type.Integer()),
  name: Text,
  utilization_gpu_pct: Num,
  memory_used_mib: Num,
  memory_total_mib: Num,
  memory_used_pct: Num,
  temperature_c: Num,
  power_draw_w: Num,
  power_limit_w: Num,
});

const TrendPoint = Type.Object({
  run_id: Type.Integer(),
  job_id: Type.Integer(),
  taken_at: Type.String(),
  source: Type.String(),
  gpus: Type.Array(TrendGpu),
  peak: Type.Object(
    { utilization_gpu_pct: Num, memory_used_pct: Num, temperature_c: Num },
    { description: 'the busiest GPU of the run, per figure' },
  ),
});

export const GpuTrend = Type.Object({
  points: Type.Array(TrendPoint, { description: 'one per successful GPU report, newest first' }),
});
export type GpuTrend = Static<typeof GpuTrend>;
type TrendPoint = Static<typeof TrendPoint>;

const maxOf = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
};

function trendGpu(s: GpuSampleRow): Static<typeof TrendGpu> {
  return {
    gpu_uuid: s.gpu_uuid,
    gpu_index: s.gpu_index,
    name: s.name,
    utilization_gpu_pct: s.utilization_gpu_pct,
    memory_used_mib: s.memory_used_mib,
    memory_total_mib: s.memory_total_mib,
    memory_used_pct: memoryPercent(s),
    temperature_c: s.temperature_c,
    power_draw_w: s.power_draw_w,
    power_limit_w: s.power_limit_w,
  };
}

export async function gpuTrend(ctx: Pick<ResultsCtx, 'db'>, q: GpuTrendQuery = {}): Promise<GpuTrend> {
  const rows = await listRecentGpuSamples(ctx.db.sql, q.runs ?? 14);
  const points: TrendPoint[] = [];
  for (const s of rows) {
    let point = points.at(-1);
    if (!point || point.job_id !== s.job_id) {
      point = {
        run_id: s.run_id,
        job_id: s.job_id,
        taken_at: new Date(s.taken_at).toISOString(),
        source: s.source,
        gpus: [],
        peak: { utilization_gpu_pct: null, memory_used_pct: null, temperature_c: null },
      };
      points.push(point);
    }
    point.gpus.push(trendGpu(s));
  }
  for (const p of points) {
    p.peak = {
      utilization_gpu_pct: maxOf(p.gpus.map((g) => g.utilization_gpu_pct)),
      memory_used_pct: maxOf(p.gpus.map((g) => g.memory_used_pct)),
      temperature_c: maxOf(p.gpus.map((g) => g.temperature_c)),
    };
  }
  return { points };
}
