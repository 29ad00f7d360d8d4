// Web UI: GPU (to be filled in).
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import { htmlResponse, Layout } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

export function gpuPages(deps: AppDeps) {
  return new Elysia().get(
    '/gpu',
    (c) =>
      htmlResponse(
        <Layout title="GPU" active="/gpu" viewer={viewerOf(c, deps.config)}>
          <h1>GPU</h1>
        </Layout>,
      ),
    { detail: { summary: 'Web UI: GPU', tags: ['web'] } },
  );
}
