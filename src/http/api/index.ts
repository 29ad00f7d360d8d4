// The REST API under /api: one plugin per resource, each a thin adapter over src/service/.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app.ts';

export function apiRoutes(_deps: AppDeps) {
  return new Elysia({ name: 'api', prefix: '/api' });
}
