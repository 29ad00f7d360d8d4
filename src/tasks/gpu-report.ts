// Task gpu_report: GPU figures from the first source that answers (appliance nvidia-smi, a worker
// container, none), VRAM per allowlisted container via `top` host PIDs, hotspots, and the trend
// against samples kept by earlier runs.
import { Type } from '@sinclair/typebox';
import type { GpuConfig } from '../config.ts';
import { ContainerNotAllowedError, ContainerNotFoundError } from '../docker/errors.ts';
import { parseImageRef } from '../docker/worker-types.ts';
import { pidsFromTop, type ContainerPids } from '../gpu/attribution.ts';
import type { DeviceRequestMode } from '../gpu/device-request.ts';
import type { HotspotThresholds } from '../gpu/hotspots.ts';
import { renderGpuMarkdown } from '../gpu/render.ts';
import { buildGpuReport, gpuKey, type GpuReport } from '../gpu/report.ts';
import { readGpus } from '../gpu/sources.ts';
import { insertGpuSamples, listGpuTrend } from '../store/gpu-samples.ts';
import { listAllowlist } from '../store/allowlist.ts';
import { findWorkerImage } from '../store/worker-images.ts';
import type { TaskContext, TaskDefinition } from './task.ts';

export interface GpuTaskSettings extends GpuConfig {
  /** The appliance's own nvidia-smi (tests point it elsewhere). */
  localCommand?: string;
}

function optionsSchema(gpu: GpuConfig) {
  return Type.Object(
    {
      image: Type.String({
        minLength: 1,
        maxLength: 300,
        default: gpu.image,
        description: 'worker image (must be on the worker-image allowlist)',
      }),
      device_request: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], {
        default: 'auto',
        description: 'auto: request the GPU only when the image requires one and the daemon has the NVIDIA runtime',
      }),
      worker_timeout_ms: Type.Integer({ minimum: 1000, maximum: 600_000, default: gpu.workerTimeoutMs }),
      hot_utilization_pct: Type.Number({ minimum: 1, maximum: 100, default: gpu.hot.utilizationPct }),
      hot_memory_pct: Type.Number({ minimum: 1, maximum: 100, default: gpu.hot.memoryPct }),
      hot_temperature_c: Type.Number({ minimum: 1, maximum: 150, default: gpu.hot.temperatureC }),
      trend_runs: Type.Integer({
        minimum: 0,
        maximum: 100,
        default: 5,
        description: 'earlier samples per GPU shown as trend',
      }),
    },
    { additionalProperties: false },
  );
}

interface GpuOptions {
  image: string;
  device_request: DeviceRequestMode;
  worker_timeout_ms: number;
  hot_utilization_pct: number;
  hot_memory_pct: number;
  hot_temperature_c: number;
  trend_runs: number;
}

/** Host PIDs of every running allowlisted container, from Docker's `top`. */
async function containerPids(ctx: TaskContext): Promise<ContainerPids[]> {
  const listed = new Set((await listAllowlist(ctx.db.sql)).filter((r) => r.enabled).map((r) => r.container_id));
  const running = (await ctx.docker.listContainers()).filter((c) => c.state === 'running' && listed.has(c.id));
  const out: ContainerPids[] = [];
  for (const c of running) {
    ctx.signal.throwIfAborted();
    try {
      out.push({ id: c.id, name: c.name, pids: pidsFromTop(await ctx.docker.top(c.id)) });
    } catch (err) {
      // removed meanwhile, or opted out by label: its processes stay unattributed
      if (!(err instanceof ContainerNotAllowedError) && !(err instanceof ContainerNotFoundError)) throw err;
    }
  }
  return out;
}

export function gpuReportTask(settings: GpuTaskSettings): TaskDefinition {
  return {
    key: 'gpu_report',
    title: 'GPU report',
    description:
      'GPU utilisation, memory, temperature and power; VRAM per container; hotspots and trend against earlier runs.',
    optionsSchema: optionsSchema(settings),
    timeoutMs: 5 * 60_000,
    async run(ctx) {
      const o = ctx.options as unknown as GpuOptions;
      const at = ctx.clock.now();
      const ref = parseImageRef(o.image);
      const listed = await findWorkerImage(ctx.db.sql, ref.image, ref.tag);
      const readout = await readGpus(ctx.docker, {
        localCommand: settings.localCommand ?? 'nvidia-smi',
        image: o.image,
        imageRequiresGpu: listed && listed.active ? listed.requires_gpu : null,
        deviceRequest: o.device_request,
        timeoutMs: o.worker_timeout_ms,
        jobId: ctx.jobId,
        signal: ctx.signal,
      });
      const thresholds: HotspotThresholds = {
        utilization_pct: o.hot_utilization_pct,
        memory_pct: o.hot_memory_pct,
        temperature_c: o.hot_temperature_c,
      };
      const pids = readout.source === 'none' ? [] : await containerPids(ctx);
      const base = buildGpuReport(readout, pids, thresholds, at);
      const keys = base.gpus.map(gpuKey);
      const earlier = await listGpuTrend(ctx.db.sql, keys, at, ctx.jobId, o.trend_runs);
      const report: GpuReport = {
        ...base,
        trend: earlier.map((s) => ({
          gpu_uuid: s.gpu_uuid,
          gpu_index: s.gpu_index,
          run_id: Number(s.run_id),
          taken_at: new Date(s.taken_at).toISOString(),
          utilization_gpu_pct: s.utilization_gpu_pct,
          memory_used_mib: s.memory_used_mib,
          temperature_c: s.temperature_c,
        })),
      };
      await insertGpuSamples(
        ctx.db.sql,
        ctx.runId,
        ctx.jobId,
        at,
        readout.source,
        base.gpus.map((g) => ({
          gpu_index: g.index,
          gpu_uuid: gpuKey(g),
          name: g.name,
          utilization_gpu_pct: g.utilization_gpu_pct,
          utilization_memory_pct: g.utilization_memory_pct,
          memory_total_mib: g.memory_total_mib,
          memory_used_mib: g.memory_used_mib,
          temperature_c: g.temperature_c,
          power_draw_w: g.power_draw_w,
          power_limit_w: g.power_limit_w,
        })),
      );
      await ctx.writeArtifact('gpu_report/gpu_report.json', JSON.stringify(report, null, 2), {
        kind: 'data',
        mimeType: 'application/json',
      });
      await ctx.writeArtifact('gpu_report/gpu_report.md', renderGpuMarkdown(report), {
        kind: 'report',
        mimeType: 'text/markdown',
      });
      ctx.logger.info('gpu report written', {
        source: report.source,
        gpus: report.gpus.length,
        hotspots: report.hotspots.length,
      });
      return {
        source: report.source,
        gpus: report.gpus.length,
        containers_with_gpu: report.attribution.containers.length,
        unattributed_processes: report.attribution.unattributed.processes.length,
        hotspots: report.hotspots.length,
      };
    },
  };
}
