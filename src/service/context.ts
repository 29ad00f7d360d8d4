// What the use cases are given: one context type for every service. Each function asks for the part
// it needs (a Pick of it), so tests pass only that; the doors build the whole once from the app's
// dependencies with serviceContext().
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { DockerGateway } from '../docker/gateway.ts';
import type { EventBus } from '../events/bus.ts';
import type { TaskRegistry } from '../tasks/registry.ts';

export interface ServiceContext {
  db: Database;
  clock: Clock;
  events: EventBus;
  tasks: TaskRegistry;
  /** The one way into Docker: enforces the container allowlist for every inside-read. */
  docker: DockerGateway;
  /** Where runs write their artifacts (CYBER_BRAIN_LOGS). */
  logsDir: string;
  config: Config;
}

export type AllowlistContext = Pick<ServiceContext, 'db' | 'clock' | 'events'>;
export type DockerContext = Pick<ServiceContext, 'db' | 'clock' | 'events' | 'docker'>;
export type RunsCtx = Pick<ServiceContext, 'db' | 'clock' | 'events' | 'tasks' | 'logsDir'>;
export type ResultsCtx = Pick<ServiceContext, 'db' | 'logsDir'>;

export function serviceContext(deps: Omit<ServiceContext, 'logsDir'>): ServiceContext {
  return {
    db: deps.db,
    clock: deps.clock,
    events: deps.events,
    tasks: deps.tasks,
    docker: deps.docker,
    config: deps.config,
    logsDir: deps.config.logsDir,
  };
}
