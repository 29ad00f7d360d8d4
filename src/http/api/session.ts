// GET /api/session: who the caller is, with the CSRF token a browser page must send on changes.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import { CSRF_HEADER } from '../auth-guard.ts';
import { principalOf } from '../principal.ts';
import * as v from '../../service/view-schemas.ts';

export function sessionRoutes(deps: AppDeps) {
  return new Elysia().get(
    '/session',
    (ctx) => {
      const p = principalOf(ctx);
      return {
        auth_enabled: deps.config.auth.enabled,
        name: p?.name ?? null,
        scope: p?.scope ?? null,
        kind: p?.kind ?? null,
        csrf_header: CSRF_HEADER,
        csrf_token: p?.session?.csrf ?? null,
      };
    },
    {
      response: { 200: v.SessionView },
      detail: {
        summary: 'The caller: name, scope, and for a browser session the CSRF token to send as X-CSRF-Token',
        tags: ['auth'],
      },
    },
  );
}
