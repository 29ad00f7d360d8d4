// What the app is built from: the configuration, the database, the clock, the event bus, the Docker
// gateway, the task registry and the shared state of the doors. A module of its own so that the route
// files can name the type without importing app.ts, which imports them.
import type { FailureThrottle } from './auth/throttle.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { MigrationFile } from './db/migrate.ts';
import type { DockerGateway } from './docker/gateway.ts';
import type { EventBus } from './events/bus.ts';
import type { Probe } from './health.ts';
import type { McpSessions } from './http/mcp/sessions.ts';
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
  /** The one way into Docker: enforces the container allowlist for every inside-read. */
  docker: DockerGateway;
  tasks: TaskRegistry;
  /** Open MCP sessions; main.ts closes them at shutdown. Created here when not given (tests). */
  mcpSessions?: McpSessions;
  /** Failed sign-ins and token guesses per client address; shared with the front door. Created here when not given (tests). */
  throttle?: FailureThrottle;
}
