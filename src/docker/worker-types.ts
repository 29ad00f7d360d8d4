// Short-lived worker containers: what a caller asks for, what it gets back, and the policy the gateway
// consults before any start (the worker-image allowlist) and tells about every start (the record).

export interface WorkerImageRef {
  image: string;
  tag: string;
}

/** "repo/name:tag" -> {image, tag}; a missing tag is "latest"; a digest stays in the tag ("sha256:..."). */
export function parseImageRef(ref: string): WorkerImageRef {
  const at = ref.indexOf('@');
  if (at > 0) return { image: ref.slice(0, at), tag: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { image: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { image: ref, tag: 'latest' };
}

export function imageRefString(r: WorkerImageRef): string {
  return r.tag.startsWith('sha256:') ? `${r.image}@${r.tag}` : `${r.image}:${r.tag}`;
}

export type WorkerImageDecision =
  | { allowed: true; requiresGpu: boolean }
  | { allowed: false; reason: 'not_listed' | 'inactive' };

export interface WorkerStartRecord {
  jobId: number | null;
  ref: WorkerImageRef;
  deviceRequest: boolean;
}

export interface WorkerFinishRecord {
  exitCode: number | null;
  durationMs: number;
  outcome: 'exited' | 'timeout' | 'start_failed';
  reason: string;
}

/** The worker-image allowlist as the gateway sees it, and where every start is written down. */
export interface WorkerImagePolicy {
  decide(ref: WorkerImageRef): Promise<WorkerImageDecision>;
  /** Called just before the container is created; returns the record's id. */
  recordStart(start: WorkerStartRecord): Promise<number>;
  recordFinish(id: number, finish: WorkerFinishRecord): Promise<void>;
}

/** Without a policy nothing may be started. */
export const refuseAllWorkerImages: WorkerImagePolicy = {
  async decide() {
    return { allowed: false, reason: 'not_listed' };
  },
  async recordStart() {
    return 0;
  },
  async recordFinish() {},
};

export interface WorkerRequest {
  /** "image:tag" (must be an active row of the worker-image allowlist). */
  image: string;
  /** Replaces the image's entrypoint when given. */
  entrypoint?: string[];
  args: string[];
  /** Ask the daemon for all NVIDIA GPUs (DeviceRequests). Only when the host has the runtime. */
  deviceRequest: boolean;
  timeoutMs: number;
  /** Output beyond this many bytes per stream is dropped (default 1 MiB). */
  maxOutputBytes?: number;
  jobId?: number | null;
  signal?: AbortSignal;
}

export interface WorkerResult {
  startId: number;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
}

/** What the daemon offers for GPUs: runtimes by name (an "nvidia" runtime means device requests work). */
export interface GpuRuntimeInfo {
  runtimes: string[];
  nvidia: boolean;
}
