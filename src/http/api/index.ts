// The REST API under /api: one plugin per resource, each a thin adapter over src/service/.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app.ts';
import { directiveRoutes } from './directives.ts';
import { runRoutes } from './runs.ts';
import { tokenRoutes } from './tokens.ts';

export function apiRoutes(deps: AppDeps) {
  return new Elysia({ name: 'api', prefix: '/api' })
    .use(directiveRoutes(deps))
    .use(runRoutes(deps))
    .use(tokenRoutes(deps));
}
