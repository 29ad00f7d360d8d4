// Builds the real Elysia app around a test database, for app.handle() tests without a listening port.
import type { AppDeps } from '../../src/app-deps.ts';
import { buildApp } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { loadMigrations } from '../../src/db/migrate.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { Probe } from '../../src/health.ts';
import { silentLogger } from '../../src/log.ts';
import { TaskRegistry } from '../../src/tasks/registry.ts';
import type { TestDatabase } from './db.ts';
import { testDockerGateway } from './docker-gateway.ts';

const up: Probe = async () => ({ status: 'ok' });

export function testAppDeps(db: TestDatabase, overrides: Partial<AppDeps> = {}): AppDeps {
  const deps = {
    config: loadConfig({}),
    db,
    logger: silentLogger,
    migrations: loadMigrations(),
    probes: { docker: up, llm: up },
    clock: systemClock,
    events: new EventBus(),
    tasks: new TaskRegistry(),
    ...overrides,
  };
  // the Docker daemon of this test run, with the allowlist of this test's database
  return { ...deps, docker: overrides.docker ?? testDockerGateway(deps) };
}

export function buildTestApp(db: TestDatabase, overrides: Partial<AppDeps> = {}) {
  return buildApp(testAppDeps(db, overrides));
}

/** A Request for app.handle(): bun needs a full http://localhost URL. */
export function apiRequest(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Request {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  return new Request(`http://localhost${path}`, init);
}

/** Test answers are JSON of many shapes; tests assert on them field by field. */
type AnyJson = any;

/** Sends a request to the app and reads the answer as JSON when it is JSON (event streams are not read). */
export async function callJson(
  app: { handle(r: Request): Promise<Response> },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app.handle(apiRequest(method, path, body, headers));
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, json: undefined as AnyJson, text: '', headers: res.headers };
  }
  const text = await res.text();
  let json: AnyJson;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}
