// Web UI: Settings (to be filled in).
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import { htmlResponse, Layout } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

export function settingsPages(deps: AppDeps) {
  return new Elysia().get(
    '/settings',
    (c) =>
      htmlResponse(
        <Layout title="Settings" active="/settings" viewer={viewerOf(c, deps.config)}>
          <h1>Settings</h1>
        </Layout>,
      ),
    { detail: { summary: 'Web UI: Settings', tags: ['web'] } },
  );
}
