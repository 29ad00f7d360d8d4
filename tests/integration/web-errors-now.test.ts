// "Errors now" and the warnings of a triage that had nothing to read, end to end (real dockerd,
// database, runner; pages through app.handle(); MCP through the SDK's client over HTTP): an empty
// allowlist gives a warning on the run page, the dashboard, the JSON report and MCP, never an
// all-clear; a container with ongoing errors and a crash-looping one show on the dashboard with
// rates, restarts and a crash-loop badge, the containers page shows restart counts, the service map
// names the restarting container, and the run page draws the service map instead of its mermaid source.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { errorPatternsNow } from '../../src/service/error-patterns.ts';
import { productTasks } from '../../src/tasks/index.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { getPage, signIn, type BrowserSession } from '../support/web.ts';

const docker = hasDocker('errors now');
const ADMIN = 'errors-now-admin-token-0123456789';

describe.skipIf(!docker)('errors now, restarts and nothing-to-read warnings', () => {
  let db: TestDatabase;
  let app: App;
  let runner: Runner;
  let session: BrowserSession;
  let http: ReturnType<typeof Bun.serve>;
  const dir = mkdtempSync(join(tmpdir(), 'cb-errors-now-'));
  const ids: string[] = [];
  const noisy = uniqueName('cb-now-noisy');
  const looping = uniqueName('cb-now-loop');

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await app.handle(apiRequest(method, path, body, { authorization: `Bearer ${ADMIN}` }));
    return { status: res.status, json: (await res.json()) as any };
  };

  async function run(task: string, options: Record<string, unknown> = {}): Promise<any> {
    const launched = await api('POST', '/api/runs', { tasks: [task], options: { [task]: options } });
    expect(launched.status).toBe(201);
    return waitFor(
      'the run to end',
      async () => {
        const r = (await api('GET', `/api/runs/${launched.json.id}`)).json;
        return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
      },
      30_000,
    );
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    const events = new EventBus();
    const tasks = productTasks(loadConfig({}));
    const gateway = testDockerGateway({ db, clock: systemClock, events });
    app = buildTestApp(db, {
      events,
      tasks,
      docker: gateway,
      config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir: dir },
    });
    runner = testRunner({ db, tasks, events, logsDir: dir, docker: gateway });
    await runner.start();
    session = await signIn(app, ADMIN);
    http = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => app.handle(r) });
  });

  afterAll(async () => {
    http?.stop(true);
    await runner?.stop();
    removeContainers(ids);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('before any triage there is nothing to show, and it says so', async () => {
    expect(await errorPatternsNow({ db, logsDir: dir })).toMatchObject({
      status: 'none',
      run_id: null,
      containers: [],
    });
  });

  test('a triage with nothing on the allowlist is a warning on the run page, the dashboard, the JSON report and MCP', async () => {
    const r = await run('log_triage');
    expect(r.status).toBe('success');
    expect(r.jobs[0].result).toMatchObject({ status: 'warning' });
    const report = (await api('GET', `/api/runs/${r.id}/report`)).json;
    const json = report.json.reports['log_triage.json'];
    expect(json).toMatchObject({ status: 'warning', containers: [] });
    expect(json.status_reason).toContain('nothing to read');
    expect(report.markdown).toContain('not an all-clear');
    expect(report.markdown).not.toContain('No errors, warnings or spikes');

    const page = await getPage(app, `/runs/${r.id}`, session);
    expect(page.html).toContain('Warning: nothing to read');
    const dash = await getPage(app, '/', session);
    expect(dash.html).toContain('Errors now');
    expect(dash.html).toContain('not an all-clear');
    expect(await errorPatternsNow({ db, logsDir: dir })).toMatchObject({ status: 'warning', run_id: r.id });

    const client = new Client({ name: 'cyber-brain-tests', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${http.port}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${ADMIN}` } },
      }),
    );
    try {
      const got = (await client.callTool({ name: 'get_run_report', arguments: { id: r.id } })) as {
        content: { text?: string }[];
        structuredContent?: any;
      };
      const text = got.content.map((c) => c.text ?? '').join('\n');
      expect(text).toContain('not an all-clear');
      // the JSON report rides along as structured content
      expect(JSON.stringify(got.structuredContent ?? {})).toContain('"status_reason":"nothing to read');
    } finally {
      await client.close();
    }
  });

  test('ongoing errors and a crash loop: the dashboard shows them with rates, restarts and a badge', async () => {
    ids.push(
      runTestContainer({
        name: noisy,
        cmd: [
          'sh',
          '-c',
          'i=0; while true; do i=$((i+1)); echo "ERROR payment gateway timed out for order $i"; usleep 200000; done',
        ],
      }),
    );
    ids.push(
      runTestContainer({
        name: looping,
        cmd: ['sh', '-c', 'echo "FATAL config file /etc/app.yml missing"; exit 2'],
        restart: 'always',
      }),
    );
    for (const name of [noisy, looping])
      expect((await api('POST', '/api/allowlist', { container: name })).status).toBe(201);
    // a few seconds: Docker's restart back-off is short at first
    await Bun.sleep(5_000);
    const r = await run('log_triage');
    expect(r.status).toBe('success');

    const now = await errorPatternsNow({ db, logsDir: dir });
    expect(now).toMatchObject({ status: 'ok', run_id: r.id });
    const loop = now.containers.find((c) => c.container === looping)!;
    expect(loop.crash_loop).toBe(true);
    expect(loop.restarts!.total).toBeGreaterThanOrEqual(3);
    expect(now.containers[0]!.container).toBe(looping); // crash loops first
    const errs = now.containers.find((c) => c.container === noisy)!;
    const p = errs.patterns.find((x) => x.template.includes('payment gateway timed out'))!;
    expect(p).toMatchObject({ level: 'error', status: 'new' });
    expect(p.per_hour!).toBeGreaterThan(3600); // about 5 a second

    const dash = await getPage(app, '/', session);
    expect(dash.html).toContain('crash loop');
    expect(dash.html).toContain(noisy);
    expect(dash.html).toContain('payment gateway timed out');
    expect(dash.html).toMatch(/\d+\/min/);

    const containers = await getPage(app, '/containers', session);
    expect(containers.html).toMatch(new RegExp(`\\d+ restarts at the last triage`));
  });

  test('the service map names the restarting container, and its run page draws the map instead of mermaid source', async () => {
    const r = await run('service_map');
    expect(r.status).toBe('success');
    const report = (await api('GET', `/api/runs/${r.id}/report`)).json;
    const map = Object.values(report.json.reports).find((x: any) => x && Array.isArray(x.findings)) as any;
    expect(map.findings.some((f: any) => f.kind === 'restarting' && f.subject === looping)).toBe(true);
    const page = await getPage(app, `/runs/${r.id}`, session);
    expect(page.html).toContain('<svg');
    expect(page.html).not.toContain('flowchart LR');
    expect(page.html).not.toContain('language-mermaid');
  });
});
