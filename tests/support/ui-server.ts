// The real app listening on loopback for a browser: auth on with an admin token, the product's tasks,
// the real Docker gateway, a fake model, and a runner the test starts when it wants runs to move.
import { FailureThrottle } from '../../src/auth/throttle.ts';
import { serveApp } from '../../src/http/serve.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import { createLlmClient } from '../../src/llm/client.ts';
import { silentLogger } from '../../src/log.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { productTasks } from '../../src/tasks/index.ts';
import { apiRequest, buildTestApp } from './app.ts';
import { openTestDatabase, type TestDatabase } from './db.ts';
import { testDockerGateway } from './docker-gateway.ts';
import { startFakeLlm, type FakeLlm } from './fake-llm.ts';
import { testRunner } from './runner.ts';

export const UI_ADMIN_TOKEN = 'ui-test-admin-token-0123456789';

export interface UiServer {
  url: string;
  db: TestDatabase;
  app: App;
  runner: Runner;
  fake: FakeLlm;
  logsDir: string;
  /** REST as the admin, for arranging and checking state. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export async function startUiServer(): Promise<UiServer> {
  const db = await openTestDatabase();
  const logsDir = mkdtempSync(join(tmpdir(), 'cb-ui-'));
  const fake = await startFakeLlm({ answer: () => 'Most errors follow the restart of the database container.' });
  const config = {
    ...loadConfig({ CYBER_BRAIN_TOKEN: UI_ADMIN_TOKEN, HOST: '127.0.0.1', LLM_BASE_URL: fake.url, LLM_MODEL: 'tiny' }),
    logsDir,
  };
  const events = new EventBus();
  const tasks = productTasks(config);
  const docker = testDockerGateway({ db, clock: systemClock, events });
  const throttle = new FailureThrottle(config.auth.maxFailures, config.auth.failureWindowMs);
  const app = buildTestApp(db, { events, tasks, docker, config, throttle });
  // through the front door, as the appliance listens
  serveApp(app, { config, db, clock: systemClock, throttle, logger: silentLogger }, { hostname: '127.0.0.1', port: 0 });
  const llm = createLlmClient({
    baseUrl: fake.url,
    model: 'tiny',
    timeoutMs: 5000,
    sql: db.sql,
    logger: silentLogger,
    retry: { baseDelayMs: 10 },
  });
  const runner = testRunner({ db, tasks, events, logsDir, llm, docker });
  const auth = { authorization: `Bearer ${UI_ADMIN_TOKEN}` };
  return {
    url: `http://127.0.0.1:${app.server!.port}`,
    db,
    app,
    runner,
    fake,
    logsDir,
    async api(method, path, body) {
      const res = await app.handle(apiRequest(method, path, body, auth));
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await runner.stop();
      await app.stop(true);
      await fake.stop();
      await db.close();
      rmSync(logsDir, { recursive: true, force: true });
    },
  };
}
