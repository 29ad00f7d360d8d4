// Web UI: Containers (to be filled in).
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import { htmlResponse, Layout } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

export function containersPages(deps: AppDeps) {
  return new Elysia().get(
    '/containers',
    (c) =>
      htmlResponse(
        <Layout title="Containers" active="/containers" viewer={viewerOf(c, deps.config)}>
          <h1>Containers</h1>
        </Layout>,
      ),
    { detail: { summary: 'Web UI: Containers', tags: ['web'] } },
  );
}
