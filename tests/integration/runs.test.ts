// The runs engine through the REST API with a real runner: launch, snapshots, approval, cancel,
// timeouts, failures, reports, artifacts, pagination.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus, type AppEvent } from '../../src/events/bus.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { apiRequest, buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { executions, testTasks } from '../support/test-tasks.ts';

let db: TestDatabase;
let app: App;
let runner: Runner;
const events = new EventBus();
const seen: AppEvent[] = [];
const logsDir = mkdtempSync(join(tmpdir(), 'cb-runs-'));
const tasks = testTasks();

const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  callJson(app, method, path, body, headers);

const launch = (body: unknown) => call('POST', '/api/runs', body);
const getRun = async (id: number) => (await call('GET', `/api/runs/${id}`)).json;
const runEnds = (id: number, timeoutMs = 10_000) =>
  waitFor(
    `run ${id} to end`,
    async () => {
      const r = await getRun(id);
      return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    },
    timeoutMs,
  );

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, { events, tasks, config: { ...loadConfig({}), logsDir } });
  events.subscribe((e) => seen.push(e));
  runner = testRunner({ db, tasks, events, logsDir });
  await runner.start();
});

afterAll(async () => {
  await runner.stop();
  await db.close();
  rmSync(logsDir, { recursive: true, force: true });
});

describe('launch to success', () => {
  test('queued -> running -> success, with the directive snapshot kept when the directive is edited later', async () => {
    const directive = (
      await call('POST', '/api/directives', {
        name: 'ignore-429',
        level: 'D1',
        title: 'Ignore 429s',
        body: 'Ignore 429 from sonarr.',
      })
    ).json;
    expect(directive.version).toBe(1);
    seen.length = 0;
    const created = await launch({
      tasks: ['probe'],
      directive_id: directive.id,
      options: { probe: { sleep_ms: 100 } },
    });
    expect(created.status).toBe(201);
    expect(created.json.status).toBe('queued');
    expect(created.json.trigger).toBe('api');
    expect(created.json.directive).toMatchObject({
      id: directive.id,
      name: 'ignore-429',
      version: 1,
      text: 'Ignore 429 from sonarr.',
      sha256: directive.sha256,
    });
    const id = created.json.id;

    const done = await runEnds(id);
    expect(done.status).toBe('success');
    expect(done.jobs).toHaveLength(1);
    expect(done.jobs[0]).toMatchObject({
      task: 'probe',
      status: 'success',
      attempt: 1,
      result: { slept_ms: 100, artifacts: 2 },
    });
    expect(done.jobs[0].duration_ms).toBeGreaterThanOrEqual(100);
    const statuses = seen.filter((e) => e.type === 'run.status' && e.data.run_id === id).map((e) => e.data.status);
    expect(statuses).toEqual(['queued', 'running', 'success']);

    const edited = await call('PATCH', `/api/directives/${directive.id}`, { body: 'Ignore nothing.' });
    expect(edited.json.version).toBe(2);
    const after = await getRun(id);
    expect(after.directive).toMatchObject({ version: 1, text: 'Ignore 429 from sonarr.', sha256: directive.sha256 });
    const versions = (await call('GET', `/api/directives/${directive.id}/versions`)).json;
    expect(versions.map((v: { version: number; body: string }) => [v.version, v.body])).toEqual([
      [2, 'Ignore nothing.'],
      [1, 'Ignore 429 from sonarr.'],
    ]);
  });

  test('without tasks or directive: every task under the default read-only directive', async () => {
    const created = await launch({});
    expect(created.status).toBe(201);
    expect(created.json.tasks.sort()).toEqual(tasks.keys().sort());
    expect(created.json.directive.name).toBe('read-only-diagnostics');
    expect(created.json.directive.level).toBe('D1');
    await call('POST', `/api/runs/${created.json.id}/cancel`);
  });

  test('a custom directive text is snapshotted with its hash', async () => {
    const created = await launch({ tasks: ['echo'], directive_text: 'Only look at the database containers.' });
    expect(created.json.directive).toMatchObject({
      id: null,
      name: null,
      text: 'Only look at the database containers.',
    });
    expect(created.json.directive.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await runEnds(created.json.id)).status).toBe('success');
  });

  test('the alias POST /api/runs/launch and trailing slashes work', async () => {
    const created = await call('POST', '/api/runs/launch/', { tasks: ['echo'] });
    expect(created.status).toBe(201);
    expect((await call('GET', `/api/runs/${created.json.id}/`)).status).toBe(200);
  });
});

describe('approval', () => {
  const d3 = async () => (await call('GET', '/api/directives')).json.find((d: { level: string }) => d.level === 'D3');

  test('a D3 run waits; no job runs before approval; approve starts it', async () => {
    const before = executions.length;
    const created = await launch({ tasks: ['probe'], directive_id: (await d3()).id });
    expect(created.json.status).toBe('awaiting_approval');
    expect(created.json.jobs[0].status).toBe('waiting');
    await Bun.sleep(300);
    expect(executions.length).toBe(before);
    expect((await getRun(created.json.id)).status).toBe('awaiting_approval');
    const approved = await call('POST', `/api/runs/${created.json.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json.decided_by).toBe('local-operator');
    expect((await runEnds(created.json.id)).status).toBe('success');
    expect(executions.length).toBe(before + 1);
    expect((await call('POST', `/api/runs/${created.json.id}/approve`)).status).toBe(409);
  });

  test('deny ends it cancelled and nothing ran', async () => {
    const before = executions.length;
    const created = await launch({ tasks: ['probe'], directive_id: (await d3()).id });
    const denied = await call('POST', `/api/runs/${created.json.id}/deny`);
    expect(denied.json.status).toBe('cancelled');
    expect(denied.json.error_summary).toContain('denied');
    expect(denied.json.jobs[0].status).toBe('cancelled');
    await Bun.sleep(200);
    expect(executions.length).toBe(before);
  });
});

describe('cancel, timeout, failure', () => {
  test('cancel stops a running job within 1 s and the run ends cancelled', async () => {
    const created = await launch({ tasks: ['probe'], options: { probe: { sleep_ms: 60_000 } } });
    const id = created.json.id;
    await waitFor('job running', async () => (await getRun(id)).jobs[0].status === 'running');
    const t0 = performance.now();
    const res = await call('POST', `/api/runs/${id}/cancel`);
    expect(res.status).toBe(200);
    const done = await runEnds(id, 1000);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(done.status).toBe('cancelled');
    expect(done.jobs[0]).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    expect((await call('POST', `/api/runs/${id}/cancel`)).status).toBe(409);
  });

  test('a queued run cancelled before it starts never runs', async () => {
    await runner.stop();
    try {
      const before = executions.length;
      const created = await launch({ tasks: ['probe'] });
      const res = await call('POST', `/api/runs/${created.json.id}/cancel`);
      expect(res.json.status).toBe('cancelled');
      await runner.start();
      await Bun.sleep(200);
      expect(executions.length).toBe(before);
    } finally {
      await runner.start();
    }
  });

  test('a job over its task timeout fails as timeout', async () => {
    const created = await launch({ tasks: ['stuck'] });
    const done = await runEnds(created.json.id);
    expect(done.status).toBe('failed');
    expect(done.jobs[0].error_code).toBe('timeout');
    expect(done.error_summary).toBe('stuck: timeout');
  });

  test('one failing task of two: the run is partial and names the failure', async () => {
    const created = await launch({ tasks: ['probe', 'echo'], options: { probe: { fail: true } } });
    const done = await runEnds(created.json.id);
    expect(done.status).toBe('partial');
    const probe = done.jobs.find((j: { task: string }) => j.task === 'probe');
    expect(probe).toMatchObject({ status: 'failed', error_code: 'task_error', error: 'Error: probe asked to fail' });
  });
});

describe('reports and artifacts', () => {
  let runId: number;
  beforeAll(async () => {
    runId = (await launch({ tasks: ['probe', 'echo'] })).json.id;
    await runEnds(runId);
  });

  test('artifacts are listed with size and sha256 and download intact', async () => {
    const list = (await call('GET', `/api/runs/${runId}/artifacts`)).json;
    expect(list.map((a: { path: string }) => a.path).sort()).toEqual(['probe/report.md', 'probe/result.json']);
    for (const a of list) {
      const res = await app.handle(apiRequest('GET', `/api/artifacts/${a.id}/content`));
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(bytes.length).toBe(a.bytes);
      expect(new Bun.CryptoHasher('sha256').update(bytes).digest('hex')).toBe(a.sha256);
      expect(res.headers.get('content-type')).toStartWith(a.mime_type);
    }
  });

  test('the report: markdown, json and tokens; Accept: text/markdown gives the markdown alone', async () => {
    const report = (await call('GET', `/api/runs/${runId}/report`)).json;
    expect(report.markdown).toStartWith(`# Run ${runId}: success`);
    expect(report.markdown).toContain('## probe: success');
    expect(report.markdown).toContain('### Probe');
    expect(report.json.run.id).toBe(runId);
    expect(report.json.reports['probe/result.json']).toMatchObject({ ok: true });
    expect(report.tokens).toEqual({ prompt: 0, completion: 0, total: 0, calls: 0 });
    const md = await call('GET', `/api/runs/${runId}/report`, undefined, { accept: 'text/markdown' });
    expect(md.headers.get('content-type')).toStartWith('text/markdown');
    expect(md.text).toBe(report.markdown);
  });

  test('since-last-success points at the end of the last successful job of the task', async () => {
    const r = (await call('GET', '/api/runs/since-last-success?task=probe')).json;
    expect(r.task).toBe('probe');
    expect(Date.parse(r.since)).toBeGreaterThan(0);
    expect((await call('GET', '/api/runs/since-last-success?task=nope')).status).toBe(400);
  });
});

describe('listing', () => {
  test('filters and keyset pagination walk every run exactly once, newest first', async () => {
    const all: number[] = [];
    let before: number | null = null;
    do {
      const page: { runs: { id: number }[]; next_before: number | null } = (
        await call('GET', `/api/runs?limit=3${before ? `&before=${before}` : ''}`)
      ).json;
      all.push(...page.runs.map((r) => r.id));
      before = page.next_before;
    } while (before);
    const [{ n }] = await db.sql<[{ n: number }]>`select count(*) as n from runs`;
    expect(all.length).toBe(n);
    expect([...all].sort((a, b) => b - a)).toEqual(all);
    const cancelled = (await call('GET', '/api/runs?status=cancelled&task=probe&trigger=api')).json.runs;
    expect(cancelled.length).toBeGreaterThan(0);
    for (const r of cancelled) {
      expect(r.status).toBe('cancelled');
      expect(r.tasks).toContain('probe');
    }
  });
});

describe('directives', () => {
  test('the built-in library is seeded; D3 and D4 need approval; built-ins cannot be deleted', async () => {
    const list = (await call('GET', '/api/directives')).json;
    const builtins = list.filter((d: { is_builtin: boolean }) => d.is_builtin);
    expect(builtins.map((d: { level: string; approval_required: boolean }) => [d.level, d.approval_required])).toEqual([
      ['D1', false],
      ['D2', false],
      ['D3', true],
      ['D4', true],
    ]);
    const res = await call('DELETE', `/api/directives/${builtins[0].id}`);
    expect(res.status).toBe(409);
    const edited = await call('PATCH', `/api/directives/${builtins[0].id}`, { title: 'Diagnostics only' });
    expect(edited.json.version).toBe(2);
  });

  test('a custom directive at D3 is forced to need approval; it can be deleted; names are unique', async () => {
    const created = (
      await call('POST', '/api/directives', {
        name: 'plan-upgrades',
        level: 'D3',
        title: 'Plan',
        body: 'Plan upgrades.',
        approval_required: false,
      })
    ).json;
    expect(created.approval_required).toBe(true);
    expect(
      (await call('POST', '/api/directives', { name: 'plan-upgrades', level: 'D1', title: 'x', body: 'y' })).status,
    ).toBe(409);
    const deactivated = await call('PATCH', `/api/directives/${created.id}`, { active: false });
    expect(deactivated.json.version).toBe(1);
    expect((await launch({ tasks: ['echo'], directive_id: created.id })).status).toBe(409);
    expect((await call('DELETE', `/api/directives/${created.id}`)).status).toBe(204);
    expect((await call('GET', `/api/directives/${created.id}`)).status).toBe(404);
  });
});
