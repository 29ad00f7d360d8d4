// The model client against the fake OpenAI-compatible server and a real database: token accounting
// per attempt, retries, timeout, cancellation, the redacted debug log and the privacy canary.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { manualClock } from '../../src/clock.ts';
import { createLlmClient, type ChatMessage, type LlmClientOptions } from '../../src/llm/client.ts';
import { llmProbe } from '../../src/llm/probe.ts';
import { estimateUsage } from '../../src/llm/usage.ts';
import { createLogger } from '../../src/log.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { fakeUsage, startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';

let db: TestDatabase;
let fake: FakeLlm;
let runId: number;
let jobId: number;
const logLines: string[] = [];
const logger = createLogger('debug', (l) => logLines.push(l));

const fastRetry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

function client(overrides: Partial<LlmClientOptions> = {}) {
  return createLlmClient({
    baseUrl: fake.url,
    model: 'tiny-model',
    apiKey: 'test-key-123',
    timeoutMs: 5000,
    sql: db.sql,
    logger,
    retry: fastRetry,
    ...overrides,
  });
}

interface Row {
  id: number;
  run_id: number | null;
  job_id: number | null;
  endpoint: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  estimated: boolean;
  duration_ms: number;
  status: string;
  error_kind: string | null;
  attempt: number;
  created_at: Date;
}
const rows = async () =>
  (await db.sql<Row[]>`select * from llm_calls order by id`).map((r) => ({
    ...r,
    id: Number(r.id),
    run_id: r.run_id === null ? null : Number(r.run_id),
    job_id: r.job_id === null ? null : Number(r.job_id),
  }));

const prompt: ChatMessage[] = [
  { role: 'system', content: 'You explain container logs in two sentences.' },
  { role: 'user', content: 'nginx restarted three times after an out of memory kill' },
];

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await startFakeLlm();
  const [run] = await db.sql<{ id: number }[]>`
    insert into runs (status, trigger, tasks, directive_text, directive_sha256)
    values ('running', 'api', array['log_triage'], 'test directive', 'x') returning id`;
  runId = Number(run!.id);
  const [job] = await db.sql<
    { id: number }[]
  >`insert into jobs (run_id, task, status) values (${runId}, 'log_triage', 'running') returning id`;
  jobId = Number(job!.id);
});
afterAll(async () => {
  await fake.stop();
  await db.close();
});
beforeEach(async () => {
  fake.reset();
  logLines.length = 0;
  await db.sql`delete from llm_calls`;
});

describe('token accounting', () => {
  test('with usage in the answer: the answer text comes back and the row holds the exact numbers', async () => {
    const result = await client().chat({ messages: prompt, runId, jobId, maxTokens: 200, temperature: 0.1 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text).toBe('fake answer 1');
    const sent = fake.chatBodies();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      model: 'tiny-model',
      messages: prompt,
      stream: false,
      max_tokens: 200,
      temperature: 0.1,
    });
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer test-key-123');
    const exact = fakeUsage(sent[0]!, 'fake answer 1');
    expect(result.usage).toEqual({
      promptTokens: exact.prompt_tokens,
      completionTokens: exact.completion_tokens,
      totalTokens: exact.total_tokens,
      estimated: false,
    });
    const [row] = await rows();
    expect(row).toMatchObject({
      run_id: runId,
      job_id: jobId,
      endpoint: fake.origin,
      model: 'tiny-model',
      prompt_tokens: exact.prompt_tokens,
      completion_tokens: exact.completion_tokens,
      total_tokens: exact.total_tokens,
      estimated: false,
      status: 'ok',
      error_kind: null,
      attempt: 1,
    });
  });

  test('a base URL without /v1 reaches the same endpoint', async () => {
    const result = await client({ baseUrl: fake.origin }).chat({ messages: prompt });
    expect(result.ok).toBe(true);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    expect((await rows())[0]).toMatchObject({ run_id: null, job_id: null, endpoint: fake.origin });
  });

  test('the server-reported numbers are stored as given, even odd ones', async () => {
    fake.setBehaviour({ usage: { prompt_tokens: 1234, completion_tokens: 56, total_tokens: 1300 } });
    const result = await client().chat({ messages: prompt, runId });
    expect(result.ok && result.usage).toEqual({
      promptTokens: 1234,
      completionTokens: 56,
      totalTokens: 1300,
      estimated: false,
    });
    expect((await rows())[0]).toMatchObject({
      prompt_tokens: 1234,
      completion_tokens: 56,
      total_tokens: 1300,
      estimated: false,
    });
  });

  test('without usage: the row is an estimate and says so', async () => {
    fake.setBehaviour({ usage: false, answer: () => 'The container ran out of memory; raise its limit.' });
    const result = await client().chat({ messages: prompt, runId, jobId });
    expect(result.ok).toBe(true);
    const estimate = estimateUsage(prompt, 'The container ran out of memory; raise its limit.');
    expect(result.ok && result.usage).toEqual(estimate);
    expect((await rows())[0]).toMatchObject({
      prompt_tokens: estimate.promptTokens,
      completion_tokens: estimate.completionTokens,
      total_tokens: estimate.totalTokens,
      estimated: true,
      status: 'ok',
    });
  });

  test('created_at comes from the injected clock', async () => {
    const clock = manualClock('2026-03-04T05:06:07Z');
    await client({ clock }).chat({ messages: prompt });
    expect((await rows())[0]!.created_at.toISOString()).toBe('2026-03-04T05:06:07.000Z');
  });
});

describe('failures', () => {
  test('a server failing with 5xx: retried a bounded number of times, one error row with 0 tokens per attempt', async () => {
    fake.setBehaviour({ failNext: Infinity, failWith: 503 });
    const result = await client().chat({ messages: prompt, runId, jobId });
    expect(result).toMatchObject({
      ok: false,
      error: 'http_503',
      attempts: 3,
      message: 'model server answered HTTP 503 (3 attempts)',
    });
    expect(fake.chatBodies()).toHaveLength(3);
    const all = await rows();
    expect(all.map((r) => r.attempt)).toEqual([1, 2, 3]);
    for (const r of all) {
      expect(r).toMatchObject({
        status: 'error',
        error_kind: 'http_503',
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        estimated: false,
        run_id: runId,
        job_id: jobId,
      });
    }
  });

  test('a server that recovers: error rows for the failed attempts, then an ok row', async () => {
    fake.setBehaviour({ failNext: 2, failWith: 500 });
    const result = await client().chat({ messages: prompt });
    expect(result.ok && result.attempts).toBe(3);
    expect((await rows()).map((r) => [r.attempt, r.status, r.error_kind])).toEqual([
      [1, 'error', 'http_500'],
      [2, 'error', 'http_500'],
      [3, 'ok', null],
    ]);
  });

  test('a 4xx is not retried', async () => {
    fake.setBehaviour({ failNext: Infinity, failWith: 400 });
    const result = await client().chat({ messages: prompt });
    expect(result).toMatchObject({ ok: false, error: 'http_400', attempts: 1 });
    expect(fake.chatBodies()).toHaveLength(1);
    expect(await rows()).toHaveLength(1);
  });

  test('a dropped connection is retried', async () => {
    fake.setBehaviour({ failNext: 1, failWith: 'drop' });
    const result = await client().chat({ messages: prompt });
    expect(result.ok).toBe(true);
    expect((await rows()).map((r) => [r.status, r.error_kind])).toEqual([
      ['error', 'connection_reset'],
      ['ok', null],
    ]);
  });

  test('nobody listening: connection_refused rows, bounded retries', async () => {
    const gone = await startFakeLlm();
    await gone.stop();
    const result = await client({ baseUrl: gone.url, retry: { ...fastRetry, maxAttempts: 2 } }).chat({
      messages: prompt,
    });
    expect(result).toMatchObject({ ok: false, error: 'connection_refused', attempts: 2 });
    expect((await rows()).map((r) => [r.endpoint, r.status, r.error_kind, r.total_tokens])).toEqual([
      [gone.origin, 'error', 'connection_refused', 0],
      [gone.origin, 'error', 'connection_refused', 0],
    ]);
  });

  test('an answer that is not a chat completion: bad_response, not retried', async () => {
    fake.setBehaviour({ failNext: 1, failWith: 200, errorBody: '<html>proxy page</html>' });
    const result = await client().chat({ messages: prompt });
    expect(result).toMatchObject({ ok: false, error: 'bad_response', attempts: 1 });
    expect((await rows())[0]).toMatchObject({ status: 'error', error_kind: 'bad_response', total_tokens: 0 });
  });

  test('timeout: the attempt ends at LLM_TIMEOUT_MS, is recorded as timeout with 0 tokens and is not retried', async () => {
    fake.setBehaviour({ delayMs: 1500 });
    const started = performance.now();
    const result = await client({ timeoutMs: 200 }).chat({ messages: prompt, runId });
    const took = performance.now() - started;
    expect(result).toMatchObject({
      ok: false,
      error: 'timeout',
      attempts: 1,
      message: 'model call timed out after 200 ms (1 attempt)',
    });
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1200);
    const [row] = await rows();
    expect(row).toMatchObject({
      status: 'timeout',
      error_kind: 'timeout',
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
    });
    expect(row!.duration_ms).toBeGreaterThanOrEqual(190);
    expect(fake.chatBodies()).toHaveLength(1);
  });

  test('abort during a call: it ends at once, recorded as error/aborted', async () => {
    fake.setBehaviour({ delayMs: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const result = await client().chat({ messages: prompt, signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, error: 'aborted', attempts: 1 });
    expect((await rows()).map((r) => [r.status, r.error_kind, r.total_tokens])).toEqual([['error', 'aborted', 0]]);
  });

  test('abort during the wait before a retry: no further attempt', async () => {
    fake.setBehaviour({ failNext: Infinity, failWith: 502 });
    const controller = new AbortController();
    const started = performance.now();
    const pending = client({ retry: { maxAttempts: 5, baseDelayMs: 5000, maxDelayMs: 5000 } }).chat({
      messages: prompt,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, error: 'aborted', attempts: 1 });
    expect(fake.chatBodies()).toHaveLength(1);
    expect(await rows()).toHaveLength(1);
  });

  test('already aborted: nothing is sent and nothing recorded', async () => {
    const result = await client().chat({ messages: prompt, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: false, error: 'aborted', attempts: 0 });
    expect(fake.requests).toHaveLength(0);
    expect(await rows()).toHaveLength(0);
  });

  test('no LLM_BASE_URL: "no model configured", nothing sent or recorded', async () => {
    const c = client({ baseUrl: undefined });
    expect(c.configured).toBe(false);
    expect(c.endpoint).toBeNull();
    const result = await c.chat({ messages: prompt, runId });
    expect(result).toMatchObject({
      ok: false,
      error: 'not_configured',
      attempts: 0,
      message: 'no model configured (LLM_BASE_URL is not set)',
    });
    expect(await rows()).toHaveLength(0);
  });
});

describe('the fake server', () => {
  test('serves /v1/models, so the health probe sees it; every request is recorded', async () => {
    const status = await llmProbe(fake.url, 'k')();
    expect(status).toMatchObject({ status: 'ok', endpoint: fake.origin });
    expect(fake.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v1/models', 'Bearer k'],
    ]);
  });
});

describe('DEBUG_REDACTED_MODE', () => {
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');

  test('each attempt is logged with metadata and content as length + sha256, never text', async () => {
    fake.setBehaviour({ failNext: 1, failWith: 500, answer: () => 'Memory limit too low for nginx.' });
    await client({ debugRedactedMode: true }).chat({ messages: prompt, runId, jobId });
    const calls = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'llm call');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      level: 'info',
      status: 'error',
      error_kind: 'http_500',
      attempt: 1,
      response: null,
      run_id: runId,
      job_id: jobId,
      endpoint: fake.origin,
      model: 'tiny-model',
    });
    expect(calls[1]).toMatchObject({
      level: 'info',
      status: 'ok',
      attempt: 2,
      response: { chars: 31, sha256: sha('Memory limit too low for nginx.') },
    });
    expect(calls[1].prompt).toEqual(
      prompt.map((m) => ({ role: m.role, chars: m.content.length, sha256: sha(m.content) })),
    );
    expect(typeof calls[1].total_tokens).toBe('number');
    const text = logLines.join('\n');
    for (const m of prompt) expect(text).not.toContain(m.content);
    expect(text).not.toContain('Memory limit too low');
  });

  test('off: no digests; failures are a warn line with codes only', async () => {
    fake.setBehaviour({ failNext: 1, failWith: 500 });
    await client().chat({ messages: prompt });
    const lines = logLines.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'llm call failed'],
      ['debug', 'llm call'],
    ]);
    expect(logLines.join('\n')).not.toContain('sha256');
  });
});

describe('privacy canary', () => {
  test('unique strings in the prompt, the answers and the error bodies reach no column, no log line and no error message', async () => {
    const canary = `CANARY${crypto.randomUUID().replaceAll('-', '')}`;
    const messages: ChatMessage[] = [
      { role: 'system', content: `system ${canary}-system` },
      { role: 'user', content: `logs ${canary}-prompt password=${canary}-secret` },
    ];
    fake.setBehaviour({
      answer: () => `answer ${canary}-answer`,
      errorBody: JSON.stringify({ error: { message: `echo of ${canary}-prompt` } }),
    });
    const failures: string[] = [];
    const loud = client({ debugRedactedMode: true });
    const plain = client();
    for (const c of [loud, plain]) {
      const ok = await c.chat({ messages, runId, jobId });
      expect(ok.ok && ok.text).toBe(`answer ${canary}-answer`); // the caller gets the text, in memory
      fake.setBehaviour({ usage: false });
      await c.chat({ messages, runId, jobId });
      fake.setBehaviour({ usage: true, failNext: 2, failWith: 500 });
      await c.chat({ messages, runId, jobId });
      fake.setBehaviour({ failNext: 1, failWith: 422 });
      const r422 = await c.chat({ messages, runId, jobId });
      fake.setBehaviour({ failNext: 1, failWith: 200, errorBody: `not json ${canary}-body` });
      const bad = await c.chat({ messages, runId, jobId });
      fake.setBehaviour({ failNext: 1, failWith: 'drop' });
      await c.chat({ messages, runId, jobId });
      for (const r of [r422, bad]) if (!r.ok) failures.push(r.message, r.error);
    }
    expect(fake.chatBodies().length).toBeGreaterThan(10);
    expect(JSON.stringify(fake.chatBodies())).toContain(`${canary}-prompt`); // the model did receive it

    const tables = await db.sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.table_name)).toContain('llm_calls');
    let dump = '';
    for (const { table_name } of tables) dump += JSON.stringify(await db.sql.unsafe(`select * from "${table_name}"`));
    expect(dump).toContain(fake.origin); // the dump does hold the call rows
    expect(logLines.length).toBeGreaterThan(10);
    for (const haystack of [dump, logLines.join('\n'), failures.join('\n')]) expect(haystack).not.toContain(canary);
  });
});
