// Web UI: Directives (to be filled in).
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import { htmlResponse, Layout } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

export function directivesPages(deps: AppDeps) {
  return new Elysia().get(
    '/directives',
    (c) =>
      htmlResponse(
        <Layout title="Directives" active="/directives" viewer={viewerOf(c, deps.config)}>
          <h1>Directives</h1>
        </Layout>,
      ),
    { detail: { summary: 'Web UI: Directives', tags: ['web'] } },
  );
}
