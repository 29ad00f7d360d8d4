// Runs one short-lived worker container: allowlisted image only (checked before anything is created),
// no network, read-only root, no capabilities, bounded memory and time, output read in memory and
// capped. Every start is recorded with its exit code and duration. The container is removed by us in
// a finally (not by Docker's AutoRemove: that races the read of its output after it exits), and is
// labelled so a leftover from a crash can be found.
import type Docker from 'dockerode';
import { FrameDemuxer } from './frame-demux.ts';
import { WorkerImageNotAllowedError, WorkerStartError, workerStartProblem } from './worker-errors.ts';
import {
  imageRefString,
  parseImageRef,
  type WorkerImagePolicy,
  type WorkerRequest,
  type WorkerResult,
} from './worker-types.ts';

export const WORKER_LABEL = 'cyberbrain.worker';
const DEFAULT_MAX_OUTPUT = 1 << 20;
const WORKER_MEMORY_BYTES = 256 * 1024 * 1024;

/** The HostConfig of a worker; the device request only when asked for (hosts without the runtime fail it). */
export function workerHostConfig(deviceRequest: boolean): Docker.HostConfig {
  return {
    NetworkMode: 'none',
    ReadonlyRootfs: true,
    AutoRemove: false,
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    Memory: WORKER_MEMORY_BYTES,
    PidsLimit: 64,
    Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
    ...(deviceRequest ? { DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] } : {}),
  };
}

function collect(buf: Buffer, max: number): { stdout: string; stderr: string } {
  const parts = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
  const sizes = { stdout: 0, stderr: 0 };
  new FrameDemuxer().push(buf, {
    frameStart() {},
    frameData(stream, bytes) {
      const room = max - sizes[stream];
      if (room <= 0) return;
      const piece = bytes.subarray(0, room);
      parts[stream].push(piece);
      sizes[stream] += piece.length;
    },
  });
  const dec = (p: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(p));
  return { stdout: dec(parts.stdout), stderr: dec(parts.stderr) };
}

export async function runWorkerContainer(
  client: Docker,
  policy: WorkerImagePolicy,
  req: WorkerRequest,
): Promise<WorkerResult> {
  req.signal?.throwIfAborted();
  const ref = parseImageRef(req.image);
  const shown = imageRefString(ref);
  const decision = await policy.decide(ref);
  if (!decision.allowed) throw new WorkerImageNotAllowedError(shown, decision.reason);

  const startedAt = performance.now();
  const startId = await policy.recordStart({ jobId: req.jobId ?? null, ref, deviceRequest: req.deviceRequest });
  const elapsed = () => Math.round(performance.now() - startedAt);
  let container: Docker.Container | undefined;
  try {
    try {
      container = await client.createContainer({
        Image: shown,
        ...(req.entrypoint ? { Entrypoint: req.entrypoint } : {}),
        Cmd: req.args,
        Labels: { [WORKER_LABEL]: '1' },
        NetworkDisabled: true,
        AttachStdin: false,
        Tty: false,
        HostConfig: workerHostConfig(req.deviceRequest),
      });
      await container.start();
    } catch (err) {
      const problem = workerStartProblem(err);
      await policy.recordFinish(startId, {
        exitCode: null,
        durationMs: elapsed(),
        outcome: 'start_failed',
        reason: problem,
      });
      throw new WorkerStartError(shown, problem);
    }
    const c = container;
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => void c.kill().catch(() => {});
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const waited = await Promise.race([
      c.wait() as Promise<{ StatusCode?: number }>,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), req.timeoutMs);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    });
    if (waited === null) {
      timedOut = true;
      await c.kill().catch(() => {});
    }
    const raw = (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const out = collect(Buffer.isBuffer(raw) ? raw : Buffer.from(raw), req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT);
    const exitCode = waited?.StatusCode ?? null;
    const durationMs = elapsed();
    await policy.recordFinish(startId, {
      exitCode,
      durationMs,
      outcome: timedOut ? 'timeout' : 'exited',
      reason: timedOut ? `killed after ${req.timeoutMs} ms` : '',
    });
    req.signal?.throwIfAborted();
    return { startId, exitCode, timedOut, durationMs, ...out };
  } finally {
    if (container) await container.remove({ force: true }).catch(() => {});
  }
}
