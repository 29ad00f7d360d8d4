// Where nvidia-smi answers come from, tried in order and each attempt reported: the appliance's own
// nvidia-smi (the image run with the NVIDIA runtime), else a short-lived worker container from the
// worker-image allowlist, else none (the report says how to enable one).
import { WorkerImageNotAllowedError, WorkerStartError } from '../docker/worker-errors.ts';
import type { DockerGateway } from '../docker/gateway.ts';
import { shouldRequestGpu, type DeviceRequestMode } from './device-request.ts';
import { APP_FIELDS } from './parse-apps.ts';
import { GPU_FIELDS } from './parse-gpus.ts';

export const GPU_QUERY = [`--query-gpu=${GPU_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
export const APPS_QUERY = [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];

export type SourceName = 'appliance' | 'worker' | 'none';

export interface SourceAttempt {
  source: SourceName;
  outcome: 'used' | 'unavailable' | 'refused' | 'failed';
  detail: string;
  /** Worker attempts: whether the start carried an NVIDIA device request. */
  device_request?: boolean;
  worker_start_ids?: number[];
}

export interface GpuReadout {
  source: SourceName;
  attempts: SourceAttempt[];
  gpuCsv: string;
  appsCsv: string;
}

export interface SourceSettings {
  /** The appliance's nvidia-smi (a name looked up in PATH, or a path). */
  localCommand: string;
  image: string;
  imageRequiresGpu: boolean | null;
  deviceRequest: DeviceRequestMode;
  timeoutMs: number;
  jobId: number;
  signal: AbortSignal;
}

const HOW_TO_ENABLE =
  'enable one: run the appliance with the NVIDIA runtime (--gpus all), or put an image with nvidia-smi on the worker-image allowlist (GPU_REPORT_IMAGE names it) on a host with the NVIDIA Container Toolkit';
export { HOW_TO_ENABLE };

// nvidia-smi exits 6 when it finds no device: still an answer ("No devices were found")
const ANSWERED = new Set([0, 6]);

async function runLocal(
  cmd: string,
  args: string[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ code: number | null; stdout: string }> {
  const proc = Bun.spawn([cmd, ...args], {
    stdout: 'pipe',
    stderr: 'ignore',
    stdin: 'ignore',
    signal,
    timeout: timeoutMs,
  });
  const stdout = await new Response(proc.stdout).text();
  const code = await proc.exited;
  return { code, stdout: stdout.slice(0, 1 << 20) };
}

async function fromAppliance(
  s: SourceSettings,
): Promise<{ attempt: SourceAttempt; gpuCsv?: string; appsCsv?: string }> {
  const path = Bun.which(s.localCommand);
  if (!path)
    return {
      attempt: {
        source: 'appliance',
        outcome: 'unavailable',
        detail: `${s.localCommand} is not available to the appliance`,
      },
    };
  const gpu = await runLocal(path, GPU_QUERY, s.timeoutMs, s.signal);
  if (gpu.code === null || !ANSWERED.has(gpu.code))
    return {
      attempt: {
        source: 'appliance',
        outcome: 'failed',
        detail: `${s.localCommand} exited with ${gpu.code ?? 'a signal'}`,
      },
    };
  const apps = await runLocal(path, APPS_QUERY, s.timeoutMs, s.signal);
  return {
    attempt: { source: 'appliance', outcome: 'used', detail: `${s.localCommand} on the appliance` },
    gpuCsv: gpu.stdout,
    appsCsv: ANSWERED.has(apps.code ?? -1) ? apps.stdout : '',
  };
}

async function fromWorker(
  docker: DockerGateway,
  s: SourceSettings,
): Promise<{ attempt: SourceAttempt; gpuCsv?: string; appsCsv?: string }> {
  const base = { source: 'worker' as const };
  const runtime = await docker.gpuRuntime();
  // an unlisted image (null) goes to the gateway anyway: the gateway is where it is refused
  const decision = shouldRequestGpu(s.deviceRequest, s.imageRequiresGpu ?? false, runtime);
  const ids: number[] = [];
  const attemptOf = (outcome: SourceAttempt['outcome'], detail: string): SourceAttempt => ({
    ...base,
    outcome,
    detail,
    device_request: decision.request,
    worker_start_ids: ids,
  });
  try {
    const run = async (args: string[]) => {
      const r = await docker.runWorker({
        image: s.image,
        entrypoint: ['nvidia-smi'],
        args,
        deviceRequest: decision.request,
        timeoutMs: s.timeoutMs,
        jobId: s.jobId,
        signal: s.signal,
      });
      ids.push(r.startId);
      return r;
    };
    const gpu = await run(GPU_QUERY);
    if (gpu.timedOut) return { attempt: attemptOf('failed', `worker ${s.image} timed out after ${s.timeoutMs} ms`) };
    if (gpu.exitCode === null || !ANSWERED.has(gpu.exitCode))
      return { attempt: attemptOf('failed', `nvidia-smi in worker ${s.image} exited with ${gpu.exitCode}`) };
    const apps = await run(APPS_QUERY);
    const detail = `worker container from ${s.image} (${decision.request ? 'with' : 'without'} a GPU device request: ${decision.why})`;
    return {
      attempt: attemptOf('used', detail),
      gpuCsv: gpu.stdout,
      appsCsv: !apps.timedOut && ANSWERED.has(apps.exitCode ?? -1) ? apps.stdout : '',
    };
  } catch (err) {
    if (err instanceof WorkerImageNotAllowedError) return { attempt: attemptOf('refused', err.message) };
    if (err instanceof WorkerStartError) return { attempt: attemptOf('failed', err.message) };
    throw err;
  }
}

export async function readGpus(docker: DockerGateway, s: SourceSettings): Promise<GpuReadout> {
  const attempts: SourceAttempt[] = [];
  const local = await fromAppliance(s);
  attempts.push(local.attempt);
  if (local.gpuCsv !== undefined)
    return { source: 'appliance', attempts, gpuCsv: local.gpuCsv, appsCsv: local.appsCsv ?? '' };
  s.signal.throwIfAborted();
  const worker = await fromWorker(docker, s);
  attempts.push(worker.attempt);
  if (worker.gpuCsv !== undefined)
    return { source: 'worker', attempts, gpuCsv: worker.gpuCsv, appsCsv: worker.appsCsv ?? '' };
  attempts.push({ source: 'none', outcome: 'unavailable', detail: `no GPU source; ${HOW_TO_ENABLE}` });
  return { source: 'none', attempts, gpuCsv: '', appsCsv: '' };
}
