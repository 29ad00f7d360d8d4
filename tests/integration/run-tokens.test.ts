// Token accounting and privacy through a whole run: the runner, the task's model access, llm_calls and
// the run report, against the fake model server that records what it received.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import { createLlmClient } from '../../src/llm/client.ts';
import { createLogger } from '../../src/log.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { fakeUsage, startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { testTasks } from '../support/test-tasks.ts';

const CANARY_PROMPT = 'canary-prompt-7f3a9c';
const CANARY_ANSWER = 'canary-answer-b51e02';
const SECRETS = ['hunter2-s3cret-pw', 'AKIAIOSFODNN7EXAMPLE', '192.168.77.12', 'alice@example.org'];

let db: TestDatabase;
let app: App;
let runner: Runner;
let fake: FakeLlm;
const logLines: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'cb-tokens-'));
const promptFile = join(dir, 'container.log');

async function call(method: string, path: string, body?: unknown) {
  const res = await app.handle(apiRequest(method, path, body));
  return { status: res.status, json: await res.json() };
}

async function runAsk(calls = 1) {
  const created = await call('POST', '/api/runs', {
    tasks: ['ask'],
    options: { ask: { prompt_file: promptFile, calls } },
  });
  expect(created.status).toBe(201);
  return waitFor('run to end', async () => {
    const r = (await call('GET', `/api/runs/${created.json.id}`)).json;
    return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
  });
}

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await startFakeLlm({ answer: (_b, n) => `The database restarted (${CANARY_ANSWER} #${n}).` });
  writeFileSync(
    promptFile,
    [
      `2026-11-26T03:00:01Z ERROR db: connection refused ${CANARY_PROMPT}`,
      `2026-11-26T03:00:02Z WARN auth: login with password=${SECRETS[0]} failed for ${SECRETS[3]}`,
      `2026-11-26T03:00:03Z INFO s3: using key ${SECRETS[1]} from ${SECRETS[2]}`,
    ].join('\n'),
  );
  const logger = createLogger('debug', (l) => logLines.push(l));
  const events = new EventBus();
  const tasks = testTasks();
  const llm = createLlmClient({
    baseUrl: fake.url,
    model: 'tiny',
    timeoutMs: 2000,
    sql: db.sql,
    logger,
    retry: { baseDelayMs: 10 },
    debugRedactedMode: true,
  });
  app = buildTestApp(db, { events, tasks, logger, config: { ...loadConfig({}), logsDir: dir } });
  runner = testRunner({ db, tasks, events, logsDir: dir, llm });
  await runner.start();
});

afterAll(async () => {
  await runner.stop();
  await fake.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tokens of a run', () => {
  test('with usage in the answers the totals are exact, per job and per run', async () => {
    fake.reset();
    const run = await runAsk(2);
    expect(run.status).toBe('success');
    const bodies = fake.chatBodies();
    expect(bodies).toHaveLength(2);
    const expected = bodies.map((b, i) => fakeUsage(b, `The database restarted (${CANARY_ANSWER} #${i + 1}).`));
    const sum = (k: 'prompt_tokens' | 'completion_tokens' | 'total_tokens') => expected.reduce((n, u) => n + u[k], 0);
    expect(run.tokens).toEqual({
      prompt: sum('prompt_tokens'),
      completion: sum('completion_tokens'),
      total: sum('total_tokens'),
      calls: 2,
    });
    expect(run.jobs[0].tokens).toEqual(run.tokens);
    const calls = (await call('GET', `/api/llm-calls?run=${run.id}`)).json;
    const rows = Array.isArray(calls) ? calls : calls.calls;
    expect(rows.every((c: { estimated: boolean; status: string }) => !c.estimated && c.status === 'ok')).toBe(true);
    const report = (await call('GET', `/api/runs/${run.id}/report`)).json;
    expect(report.tokens).toEqual(run.tokens);
  });

  test('without usage the rows are flagged estimated and still counted', async () => {
    fake.reset();
    fake.setBehaviour({ usage: false });
    const run = await runAsk();
    expect(run.status).toBe('success');
    const rows = await db.sql<
      { estimated: boolean; total_tokens: number }[]
    >`select estimated, total_tokens from llm_calls where run_id = ${run.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.estimated).toBe(true);
    expect(rows[0]!.total_tokens).toBeGreaterThan(0);
    expect(run.tokens.total).toBe(rows[0]!.total_tokens);
  });

  test('a failing server gives error rows with 0 tokens, and the run still finishes', async () => {
    fake.reset();
    fake.setBehaviour({ failNext: Infinity, failWith: 503, errorBody: `oops ${CANARY_ANSWER}` });
    const run = await runAsk();
    expect(run.status).toBe('success');
    expect(run.jobs[0].result).toMatchObject({ answered: 0, failed: 1 });
    const rows = await db.sql<{ status: string; total_tokens: number; prompt_tokens: number; estimated: boolean }[]>`
      select status, total_tokens, prompt_tokens, estimated from llm_calls where run_id = ${run.id}`;
    expect(rows.length).toBeGreaterThan(1);
    expect(
      rows.every((r) => r.status === 'error' && r.total_tokens === 0 && r.prompt_tokens === 0 && !r.estimated),
    ).toBe(true);
    expect(run.tokens.total).toBe(0);
    const report = (await call('GET', `/api/runs/${run.id}/report`)).json;
    expect(report.markdown).toContain('No explanation');
  });
});

describe('privacy canary', () => {
  test('secrets never reach the model; prompt and answer text appear in no table and no log line', async () => {
    fake.reset();
    const run = await runAsk();
    expect(run.status).toBe('success');
    // The model got the prompt (the canary proves it) but none of the secrets.
    const sent = JSON.stringify(fake.chatBodies());
    expect(sent).toContain(CANARY_PROMPT);
    for (const secret of SECRETS) expect(sent).not.toContain(secret);
    expect(Object.keys(run.jobs[0].result).some((k) => k.startsWith('redacted_'))).toBe(true);
    // The answer reached the report file on purpose...
    const md = await app.handle(
      apiRequest('GET', `/api/runs/${run.id}/report`, undefined, { accept: 'text/markdown' }),
    );
    expect(await md.text()).toContain(CANARY_ANSWER);
    // ...and nowhere else: every column of every table, and every log line.
    const tables = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    expect(tables.length).toBeGreaterThan(5);
    for (const { table_name } of tables) {
      const rows = await db.sql.unsafe(`select t::text as row from "${table_name}" t`);
      const dump = rows.map((r) => r.row as string).join('\n');
      for (const needle of [CANARY_PROMPT, CANARY_ANSWER, ...SECRETS])
        expect(`${table_name}: ${dump.includes(needle)}`).toBe(`${table_name}: false`);
    }
    const logs = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const needle of [CANARY_PROMPT, CANARY_ANSWER, ...SECRETS]) expect(logs).not.toContain(needle);
  });
});
