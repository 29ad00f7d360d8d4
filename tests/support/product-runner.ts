// The product's GPU report and service map tasks behind the real app and runner, with every log line
// captured (tests assert what never reaches a log).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import type { DockerGateway } from '../../src/docker/gateway.ts';
import { EventBus } from '../../src/events/bus.ts';
import { createLlmClient } from '../../src/llm/client.ts';
import { createLogger } from '../../src/log.ts';
import { Runner } from '../../src/runner/runner.ts';
import type { TaskRegistry } from '../../src/tasks/registry.ts';
import { apiRequest, buildTestApp } from './app.ts';
import type { TestDatabase } from './db.ts';
import { testDockerGateway } from './docker-gateway.ts';
import { waitFor } from './runner.ts';

export interface ProductHarness {
  app: App;
  runner: Runner;
  logsDir: string;
  logLines: string[];
  events: EventBus;
  docker: DockerGateway;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** Launches one task through POST /api/runs and waits for the run to end; returns the run. */
  runTask(task: string, options?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

export async function startProductHarness(
  db: TestDatabase,
  tasks: TaskRegistry,
  wrap: (g: DockerGateway) => DockerGateway = (g) => g,
): Promise<ProductHarness> {
  const logsDir = mkdtempSync(join(tmpdir(), 'cb-product-'));
  const logLines: string[] = [];
  const logger = createLogger('debug', (l) => logLines.push(l));
  const events = new EventBus();
  const docker = wrap(testDockerGateway({ db, clock: systemClock, events }));
  const llm = createLlmClient({ baseUrl: undefined, model: 'none', timeoutMs: 1000, sql: db.sql, logger });
  const app = buildTestApp(db, { events, tasks, logger, docker, config: { ...loadConfig({}), logsDir } });
  const runner = new Runner(
    { db, tasks, events, logsDir, clock: systemClock, logger, llm, contextTokens: 4096, docker },
    { concurrency: 2, leaseMs: 5000, heartbeatMs: 200, pollMs: 50 },
  );
  await runner.start();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.handle(apiRequest(method, path, body));
    return { status: res.status, json: await res.json() };
  };
  return {
    app,
    runner,
    logsDir,
    logLines,
    events,
    docker,
    call,
    async runTask(task, options = {}) {
      const created = await call('POST', '/api/runs', { tasks: [task], options: { [task]: options } });
      if (created.status !== 201) throw new Error(`launch failed: ${created.status} ${JSON.stringify(created.json)}`);
      return waitFor(
        'run to end',
        async () => {
          const r = (await call('GET', `/api/runs/${created.json.id}`)).json;
          return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
        },
        45_000,
      );
    },
    stop: () => runner.stop(),
  };
}
