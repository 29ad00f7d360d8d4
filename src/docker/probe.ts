import type { DependencyStatus, Probe } from '../health.ts';
import { createDockerClient, type DockerEndpoint } from './client.ts';

/** Health probe: pings the daemon and reports its version. */
export function dockerProbe(endpoint: DockerEndpoint): Probe {
  const docker = createDockerClient(endpoint);
  return async (): Promise<DependencyStatus> => {
    const started = performance.now();
    try {
      const v = await docker.version();
      return {
        status: 'ok',
        endpoint: endpoint.display,
        detail: `Docker ${v.Version}`,
        ms: Math.round(performance.now() - started),
      };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { status: 'unreachable', endpoint: endpoint.display, detail: e.code ?? e.message };
    }
  };
}
