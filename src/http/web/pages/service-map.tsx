// Web UI: Service map (to be filled in).
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import { htmlResponse, Layout } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

export function serviceMapPages(deps: AppDeps) {
  return new Elysia().get(
    '/service-map',
    (c) =>
      htmlResponse(
        <Layout title="Service map" active="/service-map" viewer={viewerOf(c, deps.config)}>
          <h1>Service map</h1>
        </Layout>,
      ),
    { detail: { summary: 'Web UI: Service map', tags: ['web'] } },
  );
}
