// Builds the dockerode client from the standard Docker variables. Only src/docker/ imports dockerode.
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerEndpoint {
  /** What to show in health output and errors: never credentials. */
  display: string;
  options: Docker.DockerOptions;
}

/** Parses DOCKER_HOST (unix://, tcp://, ssh://); TLS files come from DOCKER_TLS_VERIFY + DOCKER_CERT_PATH. */
export function dockerEndpoint(
  dockerHost: string | undefined,
  env: Record<string, string | undefined> = process.env,
): DockerEndpoint {
  if (!dockerHost)
    return { display: `unix://${DEFAULT_DOCKER_SOCKET}`, options: { socketPath: DEFAULT_DOCKER_SOCKET } };
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') {
    const path = decodeURIComponent(url.pathname || url.host);
    return { display: `unix://${path}`, options: { socketPath: path } };
  }
  if (url.protocol === 'ssh:') {
    return {
      display: `ssh://${url.hostname}${url.port ? `:${url.port}` : ''}`,
      options: { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined },
    };
  }
  const tls = ['1', 'true', 'yes'].includes((env.DOCKER_TLS_VERIFY ?? '').toLowerCase());
  const options: Docker.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (tls ? 2376 : 2375),
  };
  if (tls) {
    const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? '/root', '.docker');
    options.ca = readFileSync(join(dir, 'ca.pem'));
    options.cert = readFileSync(join(dir, 'cert.pem'));
    options.key = readFileSync(join(dir, 'key.pem'));
  }
  return { display: `${options.protocol}://${url.hostname}:${options.port}`, options };
}

export function createDockerClient(endpoint: DockerEndpoint): Docker {
  return new Docker({ ...endpoint.options, timeout: 30_000 });
}
