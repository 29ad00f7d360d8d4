// Typed Docker errors. Each entry point (REST, MCP, tasks) maps them through the one error shape, so a
// refusal looks the same whichever door was used.
import { AppError } from '../errors.ts';
import type { RefusalReason } from './types.ts';

const REASONS: Record<RefusalReason, string> = {
  not_allowlisted: 'is not on the allowlist',
  disabled: 'is on the allowlist but disabled',
  opted_out: 'is labelled cyberbrain.allow=false',
};

/** An inside-read (inspect, logs, top, stats) of a container the allowlist does not allow. */
export class ContainerNotAllowedError extends AppError {
  override name = 'ContainerNotAllowedError';
  constructor(
    readonly containerId: string,
    readonly containerName: string,
    readonly reason: RefusalReason,
  ) {
    super(403, 'container_not_allowed', `container "${containerName}" ${REASONS[reason]}`, {
      container_id: containerId,
      name: containerName,
      reason,
    });
  }
}

export class ContainerNotFoundError extends AppError {
  override name = 'ContainerNotFoundError';
  constructor(ref: string) {
    super(404, 'container_not_found', `no container "${ref}" on the Docker host`);
  }
}

/** The daemon cannot be reached: a 503 that names where we looked and the variable to change. */
export class DockerUnavailableError extends AppError {
  override name = 'DockerUnavailableError';
  constructor(endpoint: string, cause: string) {
    super(503, 'docker_unavailable', `the Docker daemon at ${endpoint} is unreachable (${cause}); check DOCKER_HOST`, {
      docker_host: endpoint,
    });
  }
}

/** Any other daemon failure, without the daemon's text (it can quote container output). */
export class DockerError extends AppError {
  override name = 'DockerError';
  constructor(what: string, status: number | undefined) {
    super(502, 'docker_error', `the Docker daemon failed to ${what}${status ? ` (HTTP ${status})` : ''}`);
  }
}

// FailedToOpenSocket: Bun's node:http for a unix socket that is missing or refuses
const UNREACHABLE = new Set([
  'FailedToOpenSocket',
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Turns a dockerode failure into one of the typed errors above. */
export function mapDockerError(err: unknown, endpoint: string, what: string, ref?: string): Error {
  if (err instanceof AppError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.statusCode === 404 && ref !== undefined) return new ContainerNotFoundError(ref);
  if (e.code && UNREACHABLE.has(e.code)) return new DockerUnavailableError(endpoint, e.code);
  if (e.statusCode === undefined && /socket|connect|timeout/i.test(e.message ?? ''))
    return new DockerUnavailableError(endpoint, 'no answer');
  return new DockerError(what, e.statusCode);
}
