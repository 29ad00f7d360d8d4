// The Docker part of the REST API: containers, the allowlist and inventory snapshots.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import { allowlistRoutes } from './allowlist.ts';
import { workerImageRoutes } from './worker-images.ts';
import { containerRoutes } from './containers.ts';
import { inventoryRoutes } from './inventory.ts';

export function dockerRoutes(deps: AppDeps) {
  return new Elysia()
    .use(containerRoutes(deps))
    .use(allowlistRoutes(deps))
    .use(inventoryRoutes(deps))
    .use(workerImageRoutes(deps));
}
