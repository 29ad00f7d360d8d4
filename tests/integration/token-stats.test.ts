// GET /api/llm-calls and GET /api/token-stats over rows inserted with plain SQL (runs, jobs, calls).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

let db: TestDatabase;
let app: App;
const ids = { triageRun: 0, triageJob: 0, gpuJob: 0, customRun: 0, customJob: 0 };

interface Call {
  run: number | null;
  job: number | null;
  model: string;
  p: number;
  c: number;
  estimated?: boolean;
  status?: 'ok' | 'error' | 'timeout';
  at: string;
  attempt?: number;
}

async function insertCall(x: Call) {
  const status = x.status ?? 'ok';
  const failed = status !== 'ok';
  await db.sql`
    insert into llm_calls (run_id, job_id, endpoint, model, prompt_tokens, completion_tokens, total_tokens, estimated,
                           duration_ms, status, error_kind, attempt, created_at)
    values (${x.run}, ${x.job}, 'http://127.0.0.1:11434', ${x.model}, ${failed ? 0 : x.p}, ${failed ? 0 : x.c},
            ${failed ? 0 : x.p + x.c}, ${x.estimated ?? false}, 120, ${status},
            ${status === 'ok' ? null : status === 'timeout' ? 'timeout' : 'http_500'}, ${x.attempt ?? 1}, ${x.at})`;
}

async function get(path: string) {
  const res = await app.handle(apiRequest('GET', path));
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db);
  const [d1] = await db.sql<{ id: number; name: string }[]>`select id, name from directives where level = 'D1'`;
  const [r1] = await db.sql<{ id: number }[]>`
    insert into runs (status, trigger, tasks, directive_id, directive_name, directive_version, directive_level, directive_text, directive_sha256)
    values ('success', 'api', array['log_triage', 'gpu_report'], ${d1!.id}, ${d1!.name}, 1, 'D1', 'text', 'x') returning id`;
  ids.triageRun = Number(r1!.id);
  const [j1] = await db.sql<
    { id: number }[]
  >`insert into jobs (run_id, task, status) values (${ids.triageRun}, 'log_triage', 'success') returning id`;
  const [j2] = await db.sql<
    { id: number }[]
  >`insert into jobs (run_id, task, status) values (${ids.triageRun}, 'gpu_report', 'success') returning id`;
  ids.triageJob = Number(j1!.id);
  ids.gpuJob = Number(j2!.id);
  const [r2] = await db.sql<{ id: number }[]>`
    insert into runs (status, trigger, tasks, directive_text, directive_sha256)
    values ('success', 'mcp', array['service_map'], 'custom words', 'y') returning id`;
  ids.customRun = Number(r2!.id);
  const [j3] = await db.sql<
    { id: number }[]
  >`insert into jobs (run_id, task, status) values (${ids.customRun}, 'service_map', 'success') returning id`;
  ids.customJob = Number(j3!.id);

  await insertCall({
    run: ids.triageRun,
    job: ids.triageJob,
    model: 'llama3.2',
    p: 100,
    c: 20,
    at: '2026-01-10T08:00:00Z',
  });
  await insertCall({
    run: ids.triageRun,
    job: ids.triageJob,
    model: 'llama3.2',
    p: 0,
    c: 0,
    status: 'error',
    at: '2026-01-10T09:00:00Z',
  });
  await insertCall({
    run: ids.triageRun,
    job: ids.triageJob,
    model: 'llama3.2',
    p: 50,
    c: 10,
    at: '2026-01-10T09:00:01Z',
    attempt: 2,
  });
  await insertCall({
    run: ids.triageRun,
    job: ids.gpuJob,
    model: 'qwen2.5',
    p: 300,
    c: 40,
    estimated: true,
    at: '2026-01-11T23:59:59Z',
  });
  await insertCall({
    run: ids.customRun,
    job: ids.customJob,
    model: 'qwen2.5',
    p: 7,
    c: 3,
    at: '2026-01-12T00:00:00Z',
  });
  await insertCall({
    run: ids.customRun,
    job: ids.customJob,
    model: 'qwen2.5',
    p: 0,
    c: 0,
    status: 'timeout',
    at: '2026-01-12T00:30:00Z',
  });
  await insertCall({ run: null, job: null, model: 'llama3.2', p: 1, c: 1, at: '2026-01-13T00:00:00Z' });
});
afterAll(async () => {
  await db.close();
});

const sums = (calls: number, prompt: number, completion: number, estimated = 0, errors = 0) => ({
  calls,
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  estimated_calls: estimated,
  error_calls: errors,
});

describe('GET /api/token-stats', () => {
  test('group_by=model (the default): sums, counts, estimated and error calls; totals', async () => {
    const { status, body } = await get('/api/token-stats');
    expect(status).toBe(200);
    expect(body.group_by).toBe('model');
    expect(body.since).toBeNull();
    expect(body.groups).toEqual([
      { key: 'qwen2.5', ...sums(3, 307, 43, 1, 1) },
      { key: 'llama3.2', ...sums(4, 151, 31, 0, 1) },
    ]);
    expect(body.totals).toEqual(sums(7, 458, 74, 1, 2));
  });

  test('group_by=task: by the job task; calls outside a job under null', async () => {
    const { body } = await get('/api/token-stats?group_by=task');
    expect(body.groups).toEqual([
      { key: 'gpu_report', ...sums(1, 300, 40, 1, 0) },
      { key: 'log_triage', ...sums(3, 150, 30, 0, 1) },
      { key: 'service_map', ...sums(2, 7, 3, 0, 1) },
      { key: null, ...sums(1, 1, 1) },
    ]);
  });

  test('group_by=directive: by the snapshot name; custom text and no run told apart', async () => {
    const { body } = await get('/api/token-stats?group_by=directive');
    expect(body.groups).toEqual([
      { key: 'read-only-diagnostics', ...sums(4, 450, 70, 1, 1) },
      { key: '(custom)', ...sums(2, 7, 3, 0, 1) },
      { key: null, ...sums(1, 1, 1) },
    ]);
  });

  test('group_by=day: UTC days, oldest first', async () => {
    const { body } = await get('/api/token-stats?group_by=day');
    expect(
      body.groups.map((g: { key: string; total_tokens: number; calls: number }) => [g.key, g.calls, g.total_tokens]),
    ).toEqual([
      ['2026-01-10', 3, 180],
      ['2026-01-11', 1, 340],
      ['2026-01-12', 2, 10],
      ['2026-01-13', 1, 2],
    ]);
  });

  test('since is inclusive, until exclusive; offsets are honoured; the range is echoed in UTC', async () => {
    const { body } = await get(
      `/api/token-stats?group_by=day&since=2026-01-11&until=${encodeURIComponent('2026-01-12T01:00:00+01:00')}`,
    );
    expect(body.since).toBe('2026-01-11T00:00:00.000Z');
    expect(body.until).toBe('2026-01-12T00:00:00.000Z');
    expect(body.groups.map((g: { key: string }) => g.key)).toEqual(['2026-01-11']);
    const later = await get('/api/token-stats?since=2026-01-12T00:00:00Z');
    expect(later.body.totals).toEqual(sums(3, 8, 4, 0, 1));
    const none = await get('/api/token-stats?since=2030-01-01');
    expect(none.body).toMatchObject({ groups: [], totals: sums(0, 0, 0) });
  });

  test('trailing slash accepted', async () => {
    const { status, body } = await get('/api/token-stats/?group_by=task');
    expect(status).toBe(200);
    expect(body.group_by).toBe('task');
  });

  const bad = [
    'group_by=week',
    'group_by=',
    'since=yesterday',
    'since=2026-02-30',
    'until=2026-01-01T25:00:00Z',
    'since=2026-01-02&until=2026-01-01',
    'since=2026-01-01&until=2026-01-01',
    'since=99999-01-01',
    `since=${'9'.repeat(60)}`,
    "since=2026-01-01'%20or%201=1--",
  ];
  for (const q of bad) {
    test(`bad query ${q}: 400 with the error shape`, async () => {
      const { status, body } = await get(`/api/token-stats?${q}`);
      expect(status).toBe(400);
      expect(typeof body.error.code).toBe('string');
      expect(typeof body.error.message).toBe('string');
    });
  }
});

describe('GET /api/llm-calls', () => {
  test("?run= lists that run's calls oldest first, metadata only", async () => {
    const { status, body } = await get(`/api/llm-calls?run=${ids.triageRun}`);
    expect(status).toBe(200);
    expect(body.calls).toHaveLength(4);
    expect(body.calls.map((c: { attempt: number; status: string }) => [c.status, c.attempt])).toEqual([
      ['ok', 1],
      ['error', 1],
      ['ok', 2],
      ['ok', 1],
    ]);
    expect(Object.keys(body.calls[0]).sort()).toEqual(
      [
        'attempt',
        'completion_tokens',
        'created_at',
        'duration_ms',
        'endpoint',
        'error_kind',
        'estimated',
        'id',
        'job_id',
        'model',
        'prompt_tokens',
        'run_id',
        'status',
        'total_tokens',
      ].sort(),
    );
    expect(body.calls[0]).toMatchObject({
      run_id: ids.triageRun,
      job_id: ids.triageJob,
      prompt_tokens: 100,
      completion_tokens: 20,
      total_tokens: 120,
      created_at: '2026-01-10T08:00:00.000Z',
    });
    expect(body.calls[1]).toMatchObject({ status: 'error', error_kind: 'http_500', total_tokens: 0 });
  });

  test('without run: the latest calls first, bounded by limit; trailing slash accepted', async () => {
    const { status, body } = await get('/api/llm-calls/?limit=2');
    expect(status).toBe(200);
    expect(body.calls.map((c: { created_at: string }) => c.created_at)).toEqual([
      '2026-01-13T00:00:00.000Z',
      '2026-01-12T00:30:00.000Z',
    ]);
  });

  test('a run without calls (or unknown): an empty list', async () => {
    expect((await get('/api/llm-calls?run=999999')).body).toEqual({ calls: [] });
  });

  for (const q of [
    'run=abc',
    'run=0',
    'run=-1',
    'run=1.5',
    'run=99999999999999999999',
    'limit=0',
    'limit=1001',
    'limit=x',
  ]) {
    test(`bad query ${q}: 400 with the error shape`, async () => {
      const { status, body } = await get(`/api/llm-calls?${q}`);
      expect(status).toBe(400);
      expect(typeof body.error.code).toBe('string');
    });
  }
});
