// Refusals and failures of worker-container starts, in our own words (never the daemon's text, which
// can quote image content).
import { AppError } from '../errors.ts';

export class WorkerImageNotAllowedError extends AppError {
  override name = 'WorkerImageNotAllowedError';
  constructor(
    readonly image: string,
    readonly reason: 'not_listed' | 'inactive',
  ) {
    super(
      403,
      'worker_image_not_allowed',
      `image "${image}" ${reason === 'inactive' ? 'is on the worker-image allowlist but inactive' : 'is not on the worker-image allowlist'}`,
      {
        image,
        reason,
      },
    );
  }
}

export type WorkerStartProblem = 'image_missing' | 'no_gpu_runtime' | 'daemon_refused';

const PROBLEMS: Record<WorkerStartProblem, string> = {
  image_missing: 'is not present on the Docker host (pull it there first)',
  no_gpu_runtime: 'needs a GPU but the daemon has no NVIDIA runtime for the device request',
  daemon_refused: 'could not be started by the daemon',
};

export class WorkerStartError extends AppError {
  override name = 'WorkerStartError';
  constructor(
    readonly image: string,
    readonly problem: WorkerStartProblem,
  ) {
    super(502, 'worker_start_failed', `worker image "${image}" ${PROBLEMS[problem]}`, { image, problem });
  }
}

/** Classifies a create/start failure by status and well-known daemon phrases. */
export function workerStartProblem(err: unknown): WorkerStartProblem {
  const e = err as { statusCode?: number; message?: string; json?: { message?: string } };
  const text = `${e.json?.message ?? ''} ${e.message ?? ''}`;
  if (/could not select device driver|nvidia-container-cli|unknown or invalid runtime/i.test(text))
    return 'no_gpu_runtime';
  if (e.statusCode === 404 || /No such image/i.test(text)) return 'image_missing';
  return 'daemon_refused';
}
