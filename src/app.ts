// Builds the Elysia app from its parts, given the services. Tests build it the same way and call
// app.handle() without listening.
import { Elysia } from 'elysia';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { MigrationFile } from './db/migrate.ts';
import type { EventBus } from './events/bus.ts';
import type { Probe } from './health.ts';
import { apiRoutes } from './http/api/index.ts';
import { errorHandling } from './http/error-handling.ts';
import { healthRoutes } from './http/health-routes.ts';
import { requestLog } from './http/request-log.ts';
import type { Logger } from './log.ts';
import type { TaskRegistry } from './tasks/registry.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  migrations: MigrationFile[];
  probes: { docker: Probe; llm: Probe };
  clock: Clock;
  events: EventBus;
  tasks: TaskRegistry;
}

export function buildApp(deps: AppDeps) {
  return new Elysia()
    .use(errorHandling(deps.logger))
    .use(requestLog(deps.logger))
    .use(healthRoutes({ db: deps.db, migrations: deps.migrations, probes: deps.probes }))
    .use(apiRoutes(deps));
}

export type App = ReturnType<typeof buildApp>;
