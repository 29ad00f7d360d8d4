// The API's self-description and live events: the OpenAPI document, the docs page, SSE with resume,
// metrics after a run; and the start-up rule for binding beyond loopback.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { runAppCommand, startAppProcess } from '../support/app-process.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { seedDataFolder } from '../support/embedded-template.ts';
import { testRunner } from '../support/runner.ts';
import { testTasks } from '../support/test-tasks.ts';

let db: TestDatabase;
let app: App;
let runner: Runner;
let server: ReturnType<typeof Bun.serve>;
const events = new EventBus();
const dir = mkdtempSync(join(tmpdir(), 'cb-platform-'));

beforeAll(async () => {
  db = await openTestDatabase();
  const tasks = testTasks();
  app = buildTestApp(db, { events, tasks, config: { ...loadConfig({}), logsDir: dir } });
  runner = testRunner({ db, tasks, events, logsDir: dir });
  await runner.start();
  server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => app.handle(r) });
});
afterAll(async () => {
  server.stop(true);
  await runner.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OpenAPI', () => {
  test('validates as OpenAPI 3 and lists every route with its scope and error responses', async () => {
    const doc = await (await app.handle(apiRequest('GET', '/api/openapi.json'))).json();
    expect(doc.openapi).toStartWith('3.');
    await SwaggerParser.validate(structuredClone(doc));
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(ops)) {
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
        expect(op.summary).toBeTruthy();
        expect(['public', 'read', 'operate', 'admin']).toContain(String(op['x-required-scope']));
        expect((op.responses as Record<string, unknown>)['400']).toBeDefined();
      }
    }
    const hidden = new Set(['GET /api/openapi.json', 'GET /api/docs']);
    for (const r of app.routes) {
      const key = `${r.method} ${r.path.length > 1 ? r.path.replace(/\/+$/, '') : r.path}`;
      if (!hidden.has(key)) expect(documented.has(key) ? key : `missing: ${key}`).toBe(key);
    }
    expect(doc.paths['/api/runs'].post.requestBody.content['application/json'].schema.properties.tasks).toBeDefined();
  });

  test('the docs page renders the operations without loading anything from elsewhere', async () => {
    const res = await app.handle(apiRequest('GET', '/api/docs'));
    const html = await res.text();
    expect(res.headers.get('content-type')).toStartWith('text/html');
    expect(html).toContain('POST /api/runs');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });
});

/** Reads SSE frames from a real HTTP stream until `done` says stop. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  done: (frames: { id?: string; event?: string; data?: string }[]) => boolean,
) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  expect(res.headers.get('content-type')).toStartWith('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: { id?: string; event?: string; data?: string }[] = [];
  const deadline = Date.now() + 10_000;
  while (!done(frames) && Date.now() < deadline) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const f: { id?: string; event?: string; data?: string } = {};
      for (const line of block.split('\n')) {
        const m = /^(id|event|data): (.*)$/.exec(line);
        if (m) f[m[1] as 'id' | 'event' | 'data'] = m[2];
      }
      if (f.event) frames.push(f);
    }
  }
  controller.abort();
  return frames;
}

describe('live events', () => {
  test('an SSE client sees a run go queued -> running -> success, and resumes with Last-Event-ID', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const statusesOf = (frames: { event?: string; data?: string }[], runId: number) =>
      frames
        .filter((f) => f.event === 'run.status')
        .map((f) => JSON.parse(f.data!))
        .filter((d) => d.run_id === runId)
        .map((d) => d.status);
    let runId = 0;
    const reading = readEvents(
      `${base}/api/events`,
      {},
      (frames) => runId > 0 && statusesOf(frames, runId).includes('success'),
    );
    await Bun.sleep(100);
    const launched = await (
      await fetch(`${base}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tasks: ['probe'] }),
      })
    ).json();
    runId = launched.id;
    const frames = await reading;
    expect(statusesOf(frames, runId)).toEqual(['queued', 'running', 'success']);
    expect(frames.some((f) => f.event === 'artifact.written')).toBe(true);
    expect(frames.some((f) => f.event === 'jobs.queued')).toBe(false);

    // Resume after the first event: everything after it is replayed, nothing before.
    const first = frames.find((f) => f.event === 'run.status')!;
    const resumed = await readEvents(`${base}/api/events`, { 'last-event-id': first.id! }, (fs) =>
      statusesOf(fs, runId).includes('success'),
    );
    expect(statusesOf(resumed, runId)).toEqual(['running', 'success']);
    expect(Number(resumed[0]!.id)).toBeGreaterThan(Number(first.id));
    // An id from before this process started cannot be replayed: the client is told to reload.
    const stale = await readEvents(`${base}/api/events`, { 'last-event-id': '5' }, (fs) => fs.length > 0);
    expect(stale[0]!.event).toBe('reset');
  });

  test('metrics count the requests and the finished job', async () => {
    const text = await (await app.handle(apiRequest('GET', '/metrics'))).text();
    expect(text).toMatch(/cyberbrain_http_requests_total\{method="POST",route="\/api\/runs",status="201"\} \d+/);
    expect(text).toMatch(/cyberbrain_job_duration_seconds_count\{task="probe",status="success"\} [1-9]/);
    expect(text).toMatch(/cyberbrain_jobs\{task="probe",status="success"\} [1-9]/);
    const json = await (await app.handle(apiRequest('GET', '/metrics/json'))).json();
    expect(json.map((m: { name: string }) => m.name)).toContain('cyberbrain_queue_depth');
  });
});

describe('binding beyond loopback', () => {
  test('0.0.0.0 without a token: the start is refused with one clear line', async () => {
    const r = await runAppCommand({ HOST: '0.0.0.0', CYBER_BRAIN_DATA: join(dir, 'unused') });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'cyber-brain: HOST=0.0.0.0 is reachable beyond this machine and CYBER_BRAIN_TOKEN is not set: set a token, or set CYBER_BRAIN_AUTH=off to run without authentication',
    );
  });

  test('with CYBER_BRAIN_AUTH=off it starts, warns, and says so', async () => {
    const data = join(dir, 'auth-off');
    await seedDataFolder(data);
    const proc = await startAppProcess({ HOST: '0.0.0.0', CYBER_BRAIN_AUTH: 'off', CYBER_BRAIN_DATA: data });
    try {
      expect(proc.output()).toMatch(
        /"level":"warn","msg":"authentication is off: CYBER_BRAIN_AUTH=off while bound to 0.0.0.0/,
      );
      const port = new URL(proc.url).port;
      const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
      expect(ready.auth).toMatchObject({ enabled: false });
    } finally {
      await proc.stop();
    }
  }, 60_000);
});
