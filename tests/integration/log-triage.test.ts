// log_triage end to end: real dockerd, real database, the real runner and REST. Two containers whose
// logs the test writes line by line (each line carries a seq id); runs in a row must cover exactly
// the lines written since the previous run, tell new error patterns from recurring ones, say when
// nothing is new, and put a restart next to the errors that followed it. A fake model server records
// what it was sent: no planted secret reaches it and the prompt fits LLM_CONTEXT_TOKENS.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import type { DockerGateway } from '../../src/docker/gateway.ts';
import { EventBus } from '../../src/events/bus.ts';
import { createLlmClient } from '../../src/llm/client.ts';
import { silentLogger } from '../../src/log.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { windowsOfJob, type WindowRow } from '../../src/store/triage.ts';
import { productTasks } from '../../src/tasks/index.ts';
import { estimateTokens } from '../../src/triage/token-estimate.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { testRunner, waitFor } from '../support/runner.ts';

const docker = hasDocker('log triage');
const CONTEXT_TOKENS = 1024;
const SECRETS = [
  'hunter2-s3cret-pw',
  'AKIAIOSFODNN7EXAMPLE',
  '192.168.77.12',
  'alice@example.org',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
];

describe.skipIf(!docker)('log_triage (real dockerd, database and runner)', () => {
  let db: TestDatabase;
  let app: App;
  let runner: Runner;
  let fake: FakeLlm;
  let gateway: DockerGateway;
  const dir = mkdtempSync(join(tmpdir(), 'cb-triage-'));
  const created: string[] = [];
  const web = { name: uniqueName('cb-triage-web'), id: '' };
  const dbc = { name: uniqueName('cb-triage-db'), id: '' };
  let seq = 0;
  /** seq ids written per container, in order */
  const written = new Map<string, number[]>();

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.handle(apiRequest(method, path, body));
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) };
  };

  /** Writes lines to the container's log (PID 1's stdout) and waits until Docker has stored the last. */
  async function emit(c: { id: string }, make: (n: number) => string, count = 1): Promise<number[]> {
    const ids: number[] = [];
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = ++seq;
      ids.push(n);
      lines.push(`${make(n)} seq=${n}`);
    }
    const r = dockerCli(['exec', '-i', c.id, 'sh', '-c', 'cat > /proc/1/fd/1'], lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    written.set(c.id, [...(written.get(c.id) ?? []), ...ids]);
    const last = `seq=${ids[ids.length - 1]}`;
    await waitFor('the line in the log', () => dockerCli(['logs', '--tail', '3', c.id]).stdout.includes(last), 5000);
    return ids;
  }

  async function triage(
    extra: Record<string, unknown> = {},
  ): Promise<{ run: any; report: any; markdown: string; windows: WindowRow[] }> {
    const options = { log_triage: { containers: [web.name, dbc.name], ...extra } };
    const launched = await call('POST', '/api/runs', { tasks: ['log_triage'], options });
    expect(launched.status).toBe(201);
    const run = await waitFor(
      'the run to end',
      async () => {
        const r = (await call('GET', `/api/runs/${launched.json.id}`)).json;
        return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
      },
      30_000,
    );
    expect(run.status).toBe('success');
    const rep = await call('GET', `/api/runs/${run.id}/report`);
    expect(rep.status).toBe(200);
    const windows = await windowsOfJob(db.sql, run.jobs[0].id);
    return { run, report: rep.json.json.reports['log_triage.json'], markdown: rep.json.markdown, windows };
  }

  /** The seq ids Docker holds for the container in [since, until), read through the gateway. */
  async function idsIn(c: { id: string }, w: WindowRow): Promise<number[]> {
    const out: number[] = [];
    for await (const l of gateway.logs(c.id, { since: w.since, until: w.until })) {
      const m = /seq=(\d+)/.exec(l.text);
      if (m) out.push(Number(m[1]));
    }
    return out;
  }

  const windowOf = (windows: WindowRow[], c: { name: string }) => windows.find((w) => w.container_name === c.name)!;
  const containerOf = (report: any, c: { name: string }) => report.containers.find((x: any) => x.name === c.name);

  beforeAll(async () => {
    db = await openTestDatabase();
    fake = await startFakeLlm({
      answer: () => 'The web container lost its database connection; check the db container first.',
    });
    const events = new EventBus();
    const tasks = productTasks(loadConfig({}));
    gateway = testDockerGateway({ db, clock: systemClock, events });
    app = buildTestApp(db, { events, tasks, docker: gateway, config: { ...loadConfig({}), logsDir: dir } });
    const llm = createLlmClient({
      baseUrl: fake.url,
      model: 'tiny',
      timeoutMs: 5000,
      sql: db.sql,
      logger: silentLogger,
      retry: { baseDelayMs: 10 },
    });
    runner = testRunner({ db, tasks, events, logsDir: dir, llm, contextTokens: CONTEXT_TOKENS, docker: gateway });
    await runner.start();
    const cmd = ['sh', '-c', 'echo "INFO service starting"; while true; do sleep 1; done'];
    web.id = runTestContainer({ name: web.name, cmd });
    dbc.id = runTestContainer({ name: dbc.name, cmd });
    created.push(web.id, dbc.id);
    for (const c of [web, dbc]) expect((await call('POST', '/api/allowlist', { container: c.name })).status).toBe(201);
  });

  afterAll(async () => {
    await runner?.stop();
    await fake?.stop();
    removeContainers(created);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let first: Awaited<ReturnType<typeof triage>>;

  test('run 1 reports the errors of both containers; no planted secret reaches the model; the prompt fits', async () => {
    await emit(web, (n) => `INFO GET /api/items/${n} 200 in ${n % 50}ms`, 20);
    await emit(web, (n) => `ERROR db query failed: connection refused to ${SECRETS[2]}:5432 (attempt ${n})`, 3);
    await emit(web, () => `WARN login failed for ${SECRETS[3]} with password=${SECRETS[0]}`, 2);
    await emit(dbc, (n) => `INFO checkpoint complete: wrote ${n} buffers`, 10);
    await emit(
      dbc,
      () => `ERROR could not open relation: permission denied (key ${SECRETS[1]}, token ${SECRETS[4]})`,
      2,
    );
    first = await triage();
    const { report, markdown, run } = first;

    expect(report.schema).toBe('cyber-brain.log_triage');
    expect(report.version).toBe(1);
    expect(report.nothing_new).toBe(false);
    expect(containerOf(report, web)).toMatchObject({
      status: 'ok',
      window: { first_window: true, lines: 26, truncated: false },
      counts: { errors: 3, warnings: 2 },
    });
    expect(containerOf(report, dbc)).toMatchObject({ status: 'ok', window: { lines: 13 }, counts: { errors: 2 } });
    const errors = report.findings.filter((f: any) => f.level === 'error');
    expect(errors.map((f: any) => f.container).sort()).toEqual([dbc.name, web.name].sort());
    expect(errors.every((f: any) => f.status === 'new')).toBe(true);
    expect(errors.find((f: any) => f.container === web.name).template).toContain('connection refused');
    expect(markdown).toContain('## Findings');
    expect(markdown).toContain('connection refused');

    // one model call, redacted, within the context window
    const bodies = fake.chatBodies();
    expect(bodies).toHaveLength(1);
    const sent = JSON.stringify(bodies[0]);
    for (const s of SECRETS) expect(sent).not.toContain(s);
    expect(sent).toContain('connection refused');
    const messages = bodies[0]!.messages!;
    const promptTokens = messages.reduce((n, m) => n + estimateTokens(m.content) + 8, 0);
    expect(promptTokens + (bodies[0]!.max_tokens ?? 0)).toBeLessThanOrEqual(CONTEXT_TOKENS);
    expect(report.analysis.status).toBe('ok');
    expect(markdown).toContain('check the db container first');
    expect(report.digest.context_tokens).toBe(CONTEXT_TOKENS);

    // secrets stay out of the report too; the job's result holds counts only
    const whole = JSON.stringify(report) + markdown;
    for (const s of SECRETS) expect(whole).not.toContain(s);
    const result = run.jobs[0].result;
    for (const v of Object.values(result))
      expect(['number', 'boolean'].includes(typeof v) || /^[a-z_]{1,20}$/.test(String(v))).toBe(true);
    expect(result).toMatchObject({ containers: 2, lines: 39, errors: 5, new_templates: expect.any(Number) });
  });

  test('run 2 covers exactly the lines written since run 1 (no gap, no overlap, by line ids)', async () => {
    const webIds = [
      ...(await emit(web, (n) => `INFO GET /api/items/${n} 200 in 3ms`, 5)),
      ...(await emit(web, (n) => `ERROR db query failed: connection refused to 10.1.2.3:5432 (attempt ${n})`, 2)),
    ];
    const dbIds = await emit(dbc, (n) => `INFO checkpoint complete: wrote ${n} buffers`, 4);
    const second = await triage();
    for (const [c, ids] of [
      [web, webIds],
      [dbc, dbIds],
    ] as const) {
      const w1 = windowOf(first.windows, c);
      const w2 = windowOf(second.windows, c);
      expect(w2.since.getTime()).toBe(w1.until.getTime());
      expect(w2.lines).toBe(ids.length);
      expect(await idsIn(c, w2)).toEqual(ids);
      // window 1 held every line written before it, and the two together hold each line once
      const before = written.get(c.id)!.filter((n) => !ids.includes(n));
      expect(await idsIn(c, w1)).toEqual(before);
    }
    const r = second.report;
    expect(containerOf(r, web).window.first_window).toBe(false);
    const refused = r.findings.find((f: any) => f.container === web.name && f.template.includes('connection refused'));
    expect(refused).toMatchObject({ status: 'recurring', count: 2 });
    // the db errors of run 1 did not come back: resolved
    expect(containerOf(r, dbc).counts.resolved_templates).toBe(1);
    expect(second.markdown).toContain('resolved');
  });

  test('a new error template in run 3 is marked new and ranked first', async () => {
    await emit(web, (n) => `ERROR db query failed: connection refused to 10.1.2.3:5432 (attempt ${n})`, 6);
    await emit(web, (n) => `WARN login failed for bob@example.org with password=x${n}`, 3);
    await emit(dbc, (n) => `ERROR could not write block ${n}: No space left on device`, 2);
    const third = await triage();
    const top = third.report.findings[0];
    expect(top).toMatchObject({
      rank: 1,
      container: dbc.name,
      status: 'new',
      level: expect.stringMatching(/error|critical/),
    });
    expect(top.template).toContain('No space left on device');
    const rest = third.report.findings.slice(1);
    expect(rest.find((f: any) => f.template.includes('connection refused'))).toMatchObject({ status: 'recurring' });
    expect(third.markdown).toMatch(/1\. \*\*NEW error\*\*/);
  });

  test('a run with nothing new says so', async () => {
    const quiet = await triage();
    expect(quiet.report.nothing_new).toBe(true);
    expect(quiet.report.findings).toEqual([]);
    for (const w of quiet.windows) expect(w.lines).toBe(0);
    expect(quiet.markdown).toContain('Nothing new since the last run');
    expect(quiet.run.jobs[0].result).toMatchObject({ lines: 0, nothing_new: true });
  });

  test('a container restarted between runs shows the restart next to the errors that followed it', async () => {
    expect(dockerCli(['restart', '-t', '0', web.id]).code).toBe(0);
    await waitFor(
      'the container to run again',
      () => dockerCli(['inspect', '-f', '{{.State.Running}}', web.id]).stdout.trim() === 'true',
    );
    await emit(web, (n) => `ERROR upstream payments timed out after ${n}s`, 4);
    const after = await triage();
    const c = containerOf(after.report, web);
    const restart = c.events.find((e: any) => e.kind === 'restart');
    expect(restart).toBeDefined();
    const followed = after.report.findings.find(
      (f: any) => f.container === web.name && f.template.includes('timed out'),
    );
    expect(followed.after_event).toMatchObject({ kind: 'restart', at: restart.at });
    expect(followed.reasons.join(' ')).toContain('restart');
    expect(after.markdown).toMatch(new RegExp(`${web.name} restarted at [^\\n]*followed by finding #${followed.rank}`));
    // the other container did not restart
    expect(containerOf(after.report, dbc).events).toEqual([]);
  });

  test('a job cancelled during its model call stops at once and records no window', async () => {
    await emit(web, (n) => `ERROR upstream payments timed out after ${n}s`, 2);
    fake.setBehaviour({ delayMs: 20_000 });
    const asked = fake.chatBodies().length;
    const launched = await call('POST', '/api/runs', {
      tasks: ['log_triage'],
      options: { log_triage: { containers: [web.name, dbc.name] } },
    });
    await waitFor('the model call', () => fake.chatBodies().length > asked);
    const t0 = Date.now();
    expect((await call('POST', `/api/runs/${launched.json.id}/cancel`)).status).toBeLessThan(300);
    const run = await waitFor('the run to be cancelled', async () => {
      const r = (await call('GET', `/api/runs/${launched.json.id}`)).json;
      return r.jobs[0].status === 'cancelled' ? r : undefined;
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await windowsOfJob(db.sql, run.jobs[0].id)).toEqual([]);
    expect(run.artifacts).toEqual([]);
    fake.setBehaviour({ delayMs: 0 });
  });

  test('without a model the report is complete and says why there is no analysis', async () => {
    await runner.stop();
    const plain = testRunner({
      db,
      tasks: productTasks(loadConfig({})),
      events: new EventBus(),
      logsDir: dir,
      docker: gateway,
    });
    runner = plain;
    await plain.start();
    await emit(dbc, (n) => `ERROR could not write block ${n}: No space left on device`, 1);
    const r = await triage();
    expect(r.report.analysis).toMatchObject({ status: 'not_configured', text: null });
    expect(r.report.tokens.total).toBe(0);
    expect(r.markdown).toContain('No analysis: no model is configured');
    expect(r.report.findings.length).toBeGreaterThan(0);
  });

  test('past max_lines a window is counted whole, triaged in part, and the truncation reported', async () => {
    const ids = await emit(web, (n) => `ERROR worker ${n} crashed: segmentation fault`, 5);
    const r = await triage({ max_lines: 2 });
    expect(containerOf(r.report, web).window).toMatchObject({ lines: ids.length, triaged_lines: 2, truncated: true });
    expect(windowOf(r.windows, web)).toMatchObject({ lines: 5, triaged_lines: 2, truncated: true });
    expect(r.markdown).toContain(`**Truncated**: ${web.name} logged 5 lines; only the first 2 were triaged`);
    expect(r.run.jobs[0].result).toMatchObject({ truncated_containers: 1, lines: 5 });
    expect(
      (await call('POST', '/api/runs', { tasks: ['log_triage'], options: { log_triage: { max_lines: 0 } } })).status,
    ).toBe(400);
    expect(
      (await call('POST', '/api/runs', { tasks: ['log_triage'], options: { log_triage: { bogus: 1 } } })).status,
    ).toBe(400);
  });

  test("REST: the windows per job and container, and where each container's next window starts", async () => {
    const page = await call('GET', `/api/log-triage/windows?container=${web.name}&limit=3`);
    expect(page.status).toBe(200);
    expect(page.json.items).toHaveLength(3);
    const [newest, middle] = page.json.items;
    expect(newest).toMatchObject({
      container: web.name,
      container_id: web.id,
      status: 'ok',
      successful: true,
      truncated: true,
    });
    expect(newest.since).toBe(middle.until);
    const rest = await call(
      'GET',
      `/api/log-triage/windows?container=${web.name}&before=${page.json.next_before}&limit=200`,
    );
    expect(rest.json.items.length).toBeGreaterThan(0);
    expect(rest.json.next_before).toBeNull();
    expect(rest.json.items[0].until).toBe(page.json.items[2].since);
    const next = await call('GET', '/api/log-triage/next-windows');
    expect(next.status).toBe(200);
    expect(next.json.find((n: any) => n.container === web.name)).toMatchObject({
      since: newest.until,
      after_job_id: newest.job_id,
    });
    for (const bad of ['limit=0', 'limit=x', 'bogus=1', 'container=a%2Fb', 'before=-1'])
      expect((await call('GET', `/api/log-triage/windows?${bad}`)).status).toBe(400);
  });

  test('a job that did not succeed does not move the window: the next one starts where the last successful one ended', async () => {
    const ids = await emit(dbc, (n) => `INFO checkpoint complete: wrote ${n} buffers`, 3);
    const lost = await triage();
    const w = windowOf(lost.windows, dbc);
    expect(await idsIn(dbc, w)).toEqual(ids);
    // as if its lease had been lost after the windows were written
    await db.sql`update jobs set status = 'failed' where id = ${lost.run.jobs[0].id}`;
    const again = await triage();
    const w2 = windowOf(again.windows, dbc);
    expect(w2.since.getTime()).toBe(w.since.getTime());
    expect(await idsIn(dbc, w2)).toEqual(ids);
    expect(containerOf(again.report, dbc).window.lines).toBe(3);
  });

  test('the database holds fingerprints and counts, never log text', async () => {
    const dump = JSON.stringify([
      await db.sql`select * from triage_windows`,
      await db.sql`select * from triage_templates`,
      await db.sql`select result, error from jobs`,
    ]);
    for (const word of ['connection refused', 'No space left', 'timed out', 'checkpoint', ...SECRETS])
      expect(dump).not.toContain(word);
    const fps = await db.sql<{ fingerprint: string }[]>`select fingerprint from triage_templates`;
    expect(fps.length).toBeGreaterThan(3);
    for (const f of fps) expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});
