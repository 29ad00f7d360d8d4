// REST adapter for the worker-image allowlist: the images Cyber-Brain may start as short-lived
// workers (the GPU report's nvidia-smi). Changing it needs the admin scope (src/auth/scope.ts).
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as workerImages from '../../service/worker-images.ts';
import * as v from '../../service/view-schemas.ts';

export function workerImageRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/worker-images' })
    .get('/', () => workerImages.listWorkerImages(deps.db), {
      response: { 200: t.Array(v.WorkerImageView) },
      detail: { summary: 'The worker-image allowlist: images Cyber-Brain may start', tags: ['docker'] },
    })
    .put('/', ({ body }) => workerImages.putWorkerImage(deps, body), {
      body: workerImages.PutWorkerImageInput,
      response: { 200: v.WorkerImageView },
      parse: 'application/json',
      detail: {
        summary: 'Add an image (image + tag) to the worker-image allowlist, or change its entry (admin)',
        tags: ['docker'],
      },
    });
}
