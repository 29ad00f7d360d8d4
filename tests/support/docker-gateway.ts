// The real Docker gateway for tests: the daemon in DOCKER_HOST, the allowlist in the test's database.
import { dockerEndpoint } from '../../src/docker/client.ts';
import { createDockerGateway, type DockerGateway } from '../../src/docker/gateway.ts';
import { allowlistPolicy } from '../../src/service/allowlist-policy.ts';
import { workerImagePolicy } from '../../src/service/worker-images.ts';
import type { AllowlistContext } from '../../src/service/context.ts';
import { dockerHost } from './docker.ts';

export function testDockerGateway(ctx: AllowlistContext, host: string = dockerHost()): DockerGateway {
  return createDockerGateway(dockerEndpoint(host), allowlistPolicy(ctx), undefined, workerImagePolicy(ctx));
}
