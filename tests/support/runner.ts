// A runner with short intervals for tests, and a poll-until helper.
import type { Clock } from '../../src/clock.ts';
import { systemClock } from '../../src/clock.ts';
import type { Database } from '../../src/db/database.ts';
import type { EventBus } from '../../src/events/bus.ts';
import { createLlmClient, type LlmClient } from '../../src/llm/client.ts';
import { silentLogger } from '../../src/log.ts';
import type { DockerGateway } from '../../src/docker/gateway.ts';
import { testDockerGateway } from './docker-gateway.ts';
import { Runner, type RunnerOptions } from '../../src/runner/runner.ts';
import type { TaskRegistry } from '../../src/tasks/registry.ts';

export function testRunner(
  deps: {
    db: Database;
    tasks: TaskRegistry;
    events: EventBus;
    logsDir: string;
    clock?: Clock;
    llm?: LlmClient;
    contextTokens?: number;
    docker?: DockerGateway;
  },
  options: Partial<RunnerOptions> = {},
): Runner {
  const clock = deps.clock ?? systemClock;
  // the Docker daemon of this test run, with the allowlist of this test's database
  const docker = deps.docker ?? testDockerGateway({ db: deps.db, clock, events: deps.events });
  const llm =
    deps.llm ??
    createLlmClient({ baseUrl: undefined, model: 'none', timeoutMs: 1000, sql: deps.db.sql, logger: silentLogger });
  return new Runner(
    {
      db: deps.db,
      tasks: deps.tasks,
      events: deps.events,
      logsDir: deps.logsDir,
      clock,
      logger: silentLogger,
      llm,
      contextTokens: deps.contextTokens ?? 4096,
      docker,
    },
    { concurrency: 2, leaseMs: 5000, heartbeatMs: 200, pollMs: 50, ...options },
  );
}

/** Polls until check() returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}
