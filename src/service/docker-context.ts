// What the Docker use cases need from the app: the gateway, the database, the clock and the event bus.
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { DockerGateway } from '../docker/gateway.ts';
import type { EventBus } from '../events/bus.ts';

export interface AllowlistContext {
  db: Database;
  clock: Clock;
  events: EventBus;
}

export interface DockerContext extends AllowlistContext {
  docker: DockerGateway;
}
