// Every REST operation, listed from the OpenAPI document (so a route added later must be added here),
// called for real against real services, its 2xx answer checked against the body the document gives
// for it. The same schemas are the MCP tools' outputSchema.
import Ajv from 'ajv';
import { Elysia, t } from 'elysia';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import { errorHandling } from '../../src/http/error-handling.ts';
import { silentLogger } from '../../src/log.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { insertLlmCall } from '../../src/store/llm-calls.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { cannedTask } from '../support/canned-task.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { testTasks } from '../support/test-tasks.ts';

const ADMIN = 'responses-admin-token-0123456789abcdef';
const docker = hasDocker('container operations in the response check');
const dir = mkdtempSync(join(tmpdir(), 'cb-responses-'));
const events = new EventBus();
const gpuTask = cannedTask('gpu_report', 'gpu_report/gpu_report.json');
const mapTask = cannedTask('service_map', 'service_map/services.json');
const containers: string[] = [];
// a loopback receiver, so the destination test message is really delivered
const hook = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('ok') });
let db: TestDatabase;
let app: App;
let runner: Runner;
let doc: { paths: Record<string, Record<string, Op>>; components?: Record<string, unknown> };

type Op = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Call = { method: string; path: string; body?: unknown; headers?: Record<string, string> };

const auth = { authorization: `Bearer ${ADMIN}` };
const send = (c: Call) => app.handle(apiRequest(c.method, c.path, c.body, { ...auth, ...c.headers }));
async function json(method: string, path: string, body?: unknown) {
  const res = await send({ method, path, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

async function finishedRun(tasks: string[], options?: Record<string, unknown>): Promise<any> {
  const run = await json('POST', '/api/runs', { tasks, ...(options ? { options } : {}) });
  return waitFor(`run ${run.id}`, async () => {
    const r = await json('GET', `/api/runs/${run.id}`);
    return ['success', 'partial', 'failed'].includes(r.status) ? r : undefined;
  });
}

/** A real request for each operation, answering 2xx; state for it is made here, through the API. */
let calls: Record<string, () => Promise<Call>> = {};

beforeAll(async () => {
  db = await openTestDatabase();
  const tasks = testTasks().register(gpuTask.task).register(mapTask.task);
  app = buildTestApp(db, { tasks, events, config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir: dir } });
  runner = testRunner({ db, tasks, events, logsDir: dir });
  await runner.start();
  doc = (await (await send({ method: 'GET', path: '/api/openapi.json' })).json()) as typeof doc;

  gpuTask.next = {
    generated_at: '2026-03-01T10:00:00.000Z',
    source: 'none',
    none_reason: 'no GPU source',
    skipped_lines: 0,
    trend: [],
    attempts: [{ source: 'none', outcome: 'unavailable', detail: 'no GPU source' }],
    gpus: [],
    attribution: { containers: [], unattributed: { vram_mib: null, processes: [] } },
    thresholds: { utilization_pct: 80, memory_pct: 90, temperature_c: 85 },
    hotspots: [],
  };
  mapTask.next = {
    generated_at: '2026-03-01T10:00:00.000Z',
    docker_host: 'unix:///x',
    scope: 'allowlist',
    previous_map_job: null,
    nodes: [{ id: 'container:a', type: 'container', label: 'a' }],
    edges: [],
    exposures: [],
    findings: [],
  };
  const run = await finishedRun(['probe', 'gpu_report', 'service_map']);
  await insertLlmCall(db.sql, {
    runId: run.id,
    jobId: run.jobs[0].id,
    endpoint: 'http://127.0.0.1:1',
    model: 'm',
    promptTokens: 3,
    completionTokens: 2,
    totalTokens: 5,
    estimated: false,
    durationMs: 7,
    status: 'ok',
    errorKind: null,
    attempt: 1,
    createdAt: new Date(),
  });
  const artifact = run.artifacts[0];
  const cancellable = async () =>
    (await json('POST', '/api/runs', { tasks: ['probe'], options: { probe: { sleep_ms: 60_000 } } })).id as number;
  const gated = await json('POST', '/api/directives', {
    name: 'needs-a-person',
    level: 'D3',
    title: 'Plan',
    body: 'Plan changes.',
  });
  const awaiting = async () =>
    (await json('POST', '/api/runs', { tasks: ['probe'], directive_id: gated.id })).id as number;
  const directive = async () =>
    (
      await json('POST', '/api/directives', {
        name: uniqueName('d').toLowerCase(),
        level: 'D1',
        title: 'T',
        body: 'Be brief.',
      })
    ).id as number;
  const token = async () => (await json('POST', '/api/tokens', { name: uniqueName('t'), scope: 'read' })).id as number;

  let name = 'none';
  let id = '0';
  if (docker) {
    name = uniqueName('cb-responses');
    containers.push(
      runTestContainer({ name, cmd: ['sh', '-c', 'echo started; sleep 600'], env: { SECRET: 'hunter2' } }),
    );
    id = dockerCli(['inspect', '--format', '{{.Id}}', name]).stdout.trim();
    await json('POST', '/api/allowlist', { container: name });
  }
  await json('POST', '/api/inventory/snapshots');
  const later = await json('POST', '/api/inventory/snapshots');

  const get = (path: string) => async (): Promise<Call> => ({ method: 'GET', path });
  const schedule = async () =>
    (await json('POST', '/api/schedules', { name: uniqueName('s'), tasks: ['probe'], cron: '0 3 1 1 *' })).id as number;
  const destination = async () =>
    (
      await json('POST', '/api/notifications/destinations', {
        name: uniqueName('dest'),
        kind: 'webhook',
        url: `http://127.0.0.1:${hook.port}/hook/tok-1`,
      })
    ).id as number;
  const dest = await destination();
  const rule = async () =>
    (
      await json('POST', '/api/notifications/rules', {
        name: uniqueName('r'),
        destination_id: dest,
        events: ['container_died'],
      })
    ).id as number;
  const sched = await schedule();
  const aRule = await rule();
  await json('POST', `/api/notifications/destinations/${dest}/test`);
  calls = {
    'GET /api': get('/api'),
    'GET /api/session': get('/api/session'),
    'GET /api/tasks': get('/api/tasks'),
    'GET /api/directives': get('/api/directives?include_inactive=true'),
    'POST /api/directives': async () => ({
      method: 'POST',
      path: '/api/directives',
      body: { name: uniqueName('n').toLowerCase(), level: 'D2', title: 'T', body: 'B' },
    }),
    'GET /api/directives/{id}': get('/api/directives/1'),
    'PATCH /api/directives/{id}': async () => ({
      method: 'PATCH',
      path: `/api/directives/${await directive()}`,
      body: { body: 'Be very brief.' },
    }),
    'DELETE /api/directives/{id}': async () => ({ method: 'DELETE', path: `/api/directives/${await directive()}` }),
    'GET /api/directives/{id}/versions': get('/api/directives/1/versions'),
    'GET /api/containers': get('/api/containers'),
    'GET /api/containers/{ref}': get(`/api/containers/${name}`),
    'GET /api/containers/{ref}/logs': get(`/api/containers/${name}/logs?tail=5`),
    'GET /api/containers/{ref}/top': get(`/api/containers/${name}/top`),
    'GET /api/containers/{ref}/stats': get(`/api/containers/${name}/stats`),
    'GET /api/allowlist': get('/api/allowlist'),
    'POST /api/allowlist': async () => {
      const other = uniqueName('cb-responses-add');
      containers.push(runTestContainer({ name: other, cmd: ['sleep', '600'] }));
      return { method: 'POST', path: '/api/allowlist', body: { container: other } };
    },
    'GET /api/allowlist/{containerId}': get(`/api/allowlist/${id}`),
    'PATCH /api/allowlist/{containerId}': async () => ({
      method: 'PATCH',
      path: `/api/allowlist/${id}`,
      body: { description: 'checked' },
    }),
    'DELETE /api/allowlist/{containerId}': async () => {
      const other = uniqueName('cb-responses-del');
      containers.push(runTestContainer({ name: other, cmd: ['sleep', '600'] }));
      return {
        method: 'DELETE',
        path: `/api/allowlist/${(await json('POST', '/api/allowlist', { container: other })).container_id}`,
      };
    },
    'POST /api/inventory/snapshots': async () => ({ method: 'POST', path: '/api/inventory/snapshots' }),
    'GET /api/inventory/snapshots': get('/api/inventory/snapshots?limit=5'),
    'GET /api/inventory/snapshots/{id}': get(`/api/inventory/snapshots/${later.id}`),
    'GET /api/inventory/diff': get('/api/inventory/diff'),
    'GET /api/container-inventory': get('/api/container-inventory'),
    'GET /api/worker-images': get('/api/worker-images'),
    'PUT /api/worker-images': async () => ({
      method: 'PUT',
      path: '/api/worker-images',
      body: { image: 'example/smi', tag: '1', requires_gpu: false, active: true },
    }),
    'POST /api/runs': async () => ({ method: 'POST', path: '/api/runs', body: { tasks: ['echo'] } }),
    'POST /api/runs/launch': async () => ({ method: 'POST', path: '/api/runs/launch', body: { tasks: ['echo'] } }),
    'GET /api/runs': get('/api/runs?limit=3'),
    'GET /api/runs/since-last-success': get('/api/runs/since-last-success?task=probe'),
    'GET /api/runs/{id}': get(`/api/runs/${run.id}`),
    'GET /api/runs/{id}/report': get(`/api/runs/${run.id}/report`),
    'POST /api/runs/{id}/cancel': async () => ({ method: 'POST', path: `/api/runs/${await cancellable()}/cancel` }),
    'POST /api/runs/{id}/approve': async () => ({ method: 'POST', path: `/api/runs/${await awaiting()}/approve` }),
    'POST /api/runs/{id}/deny': async () => ({ method: 'POST', path: `/api/runs/${await awaiting()}/deny` }),
    'GET /api/runs/{id}/artifacts': get(`/api/runs/${run.id}/artifacts`),
    'GET /api/artifacts/{id}/content': get(`/api/artifacts/${artifact.id}/content`),
    'GET /api/log-triage/windows': get('/api/log-triage/windows'),
    'GET /api/log-triage/next-windows': get('/api/log-triage/next-windows'),
    'GET /api/gpu/latest': get('/api/gpu/latest'),
    'GET /api/gpu/trend': get('/api/gpu/trend?runs=3'),
    'GET /api/service-map/latest': get('/api/service-map/latest'),
    'GET /api/log-triage/patterns': get('/api/log-triage/patterns?state=new'),
    'GET /api/llm-calls': get('/api/llm-calls'),
    'GET /api/token-stats': get('/api/token-stats?group_by=task'),
    'GET /api/tokens': get('/api/tokens'),
    'POST /api/tokens': async () => ({
      method: 'POST',
      path: '/api/tokens',
      body: { name: uniqueName('t'), scope: 'read' },
    }),
    'DELETE /api/tokens/{id}': async () => ({ method: 'DELETE', path: `/api/tokens/${await token()}` }),
    'GET /api/events': get('/api/events'),
    'GET /api/schedules': get('/api/schedules'),
    'POST /api/schedules': async () => ({
      method: 'POST',
      path: '/api/schedules',
      body: { name: uniqueName('s'), tasks: ['probe'], every_seconds: 86_400, enabled: false },
    }),
    'POST /api/schedules/watch-preset': async () => ({ method: 'POST', path: '/api/schedules/watch-preset' }),
    'GET /api/schedules/{id}': get(`/api/schedules/${sched}`),
    'PATCH /api/schedules/{id}': async () => ({
      method: 'PATCH',
      path: `/api/schedules/${await schedule()}`,
      body: { enabled: false },
    }),
    'DELETE /api/schedules/{id}': async () => ({ method: 'DELETE', path: `/api/schedules/${await schedule()}` }),
    'GET /api/notifications/destinations': get('/api/notifications/destinations'),
    'POST /api/notifications/destinations': async () => ({
      method: 'POST',
      path: '/api/notifications/destinations',
      body: { name: uniqueName('dest'), kind: 'ntfy', url: `http://127.0.0.1:${hook.port}/lab`, token: 'tok-2' },
    }),
    'GET /api/notifications/destinations/{id}': get(`/api/notifications/destinations/${dest}`),
    'PATCH /api/notifications/destinations/{id}': async () => ({
      method: 'PATCH',
      path: `/api/notifications/destinations/${await destination()}`,
      body: { secret: 'hmac-1' },
    }),
    'DELETE /api/notifications/destinations/{id}': async () => ({
      method: 'DELETE',
      path: `/api/notifications/destinations/${await destination()}`,
    }),
    'POST /api/notifications/destinations/{id}/test': async () => ({
      method: 'POST',
      path: `/api/notifications/destinations/${dest}/test`,
    }),
    'GET /api/notifications/rules': get('/api/notifications/rules'),
    'POST /api/notifications/rules': async () => ({
      method: 'POST',
      path: '/api/notifications/rules',
      body: { name: uniqueName('r'), destination_id: dest, events: ['oom_killed'], containers: { projects: ['lab'] } },
    }),
    'GET /api/notifications/rules/{id}': get(`/api/notifications/rules/${aRule}`),
    'PATCH /api/notifications/rules/{id}': async () => ({
      method: 'PATCH',
      path: `/api/notifications/rules/${await rule()}`,
      body: { cooldown_seconds: 60 },
    }),
    'DELETE /api/notifications/rules/{id}': async () => ({
      method: 'DELETE',
      path: `/api/notifications/rules/${await rule()}`,
    }),
    'GET /api/notifications/deliveries': get(`/api/notifications/deliveries?destination=${dest}&limit=1`),
  };
}, 60_000);

afterAll(async () => {
  removeContainers(containers);
  hook.stop(true);
  await runner.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const CONTAINER_OPS = /\/api\/(containers\/\{ref\}|allowlist)/;

/** The schema with every object closed: a field the answer has but the document does not name fails too. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema))
    out[k] =
      k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v);
  if ('properties' in out && !('additionalProperties' in out) && !('patternProperties' in out))
    out.additionalProperties = false;
  return out;
}

describe('OpenAPI 2xx bodies', () => {
  test('every operation documents a 2xx answer, and each real answer matches it', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // the document's own components, so $refs resolve as a client would resolve them
    ajv.addSchema({ $id: 'openapi', components: closed(doc.components ?? {}) });
    const failures: string[] = [];
    let checked = 0;
    const validated: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api')) continue; // the REST API; pages, MCP and probes answer in their own formats
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        const make = calls[key];
        if (!make) {
          failures.push(`${key}: no call in this test (add one)`);
          continue;
        }
        const documented = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        if (documented.length === 0) {
          failures.push(`${key}: no 2xx answer documented`);
          continue;
        }
        if (!docker && CONTAINER_OPS.test(path)) continue;
        const res = await send(await make());
        const doc2xx = op.responses[String(res.status)];
        if (!doc2xx) {
          failures.push(
            `${key}: answered ${res.status}, documented ${documented.map(([s]) => s).join(', ')} (${(await res.text()).slice(0, 200)})`,
          );
          continue;
        }
        checked++;
        const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
        if (!doc2xx.content) {
          if ((await res.text()) !== '') failures.push(`${key}: documented without a body, answered one`);
          continue;
        }
        if (type === 'text/event-stream') {
          expect(Object.keys(doc2xx.content)).toContain('text/event-stream');
          await res.body?.cancel();
          continue;
        }
        const media = doc2xx.content['application/json'] ? 'application/json' : Object.keys(doc2xx.content)[0]!;
        if (media !== 'application/json') {
          expect(media === '*/*' || media === type).toBe(true);
          await res.arrayBuffer();
          continue;
        }
        expect(type).toBe('application/json');
        const schema = closed(
          JSON.parse(
            JSON.stringify(doc2xx.content[media]!.schema).replaceAll('"#/components/', '"openapi#/components/'),
          ),
        ) as object;
        const validate = ajv.compile(schema);
        const body = await res.json();
        validated.push(key);
        if (!validate(body)) failures.push(`${key}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(docker ? 45 : 30);
    // all but the event stream, the artifact download and the 204 deletes (one before, plus
    // schedules, destinations and rules) are JSON checked against a schema
    expect(validated.length).toBe(checked - 6);
  }, 60_000);

  test('an answer that breaks its response schema is a 500 with the one error shape (our bug), not a 422', async () => {
    const broken = new Elysia({ normalize: false })
      .use(errorHandling(silentLogger))
      .get('/x', () => ({ a: 1 }) as never, { response: { 200: t.Object({ b: t.String() }) } });
    const res = await broken.handle(new Request('http://localhost/x'));
    expect(res.status).toBe(500);
    expect((await res.json()).error.code).toBe('internal_error');
  });

  test('a report file off its read model schema is skipped: the answer stays on schema and shows the last good one', async () => {
    gpuTask.next = { generated_at: 42 };
    await finishedRun(['gpu_report']);
    const res = await send({ method: 'GET', path: '/api/gpu/latest' });
    expect(res.status).toBe(200);
    expect((await res.json()).report.source).toBe('none'); // the earlier good report
  }, 20_000);
});
