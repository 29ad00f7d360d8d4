// The REST API under /api: one plugin per resource, each a thin adapter over src/service/.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import { apiTokenRoutes } from './api-tokens.ts';
import { directiveRoutes } from './directives.ts';
import { dockerRoutes } from './docker.ts';
import { eventRoutes } from './events.ts';
import { logTriageRoutes } from './log-triage.ts';
import { sessionRoutes } from './session.ts';
import { notificationRoutes } from './notifications.ts';
import { runRoutes } from './runs.ts';
import { scheduleRoutes } from './schedules.ts';
import { taskResultRoutes } from './task-results.ts';
import { tokenRoutes } from './tokens.ts';

export function apiRoutes(deps: AppDeps) {
  return new Elysia({ name: 'api', prefix: '/api' })
    .use(directiveRoutes(deps))
    .use(dockerRoutes(deps))
    .use(runRoutes(deps))
    .use(scheduleRoutes(deps))
    .use(notificationRoutes(deps))
    .use(logTriageRoutes(deps))
    .use(taskResultRoutes(deps))
    .use(tokenRoutes(deps))
    .use(apiTokenRoutes(deps))
    .use(eventRoutes(deps))
    .use(sessionRoutes(deps));
}
