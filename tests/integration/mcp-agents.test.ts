// MCP as an LLM agent meets it, through the official SDK client over real HTTP: output schemas and
// complete text, cursors, one error prefix, enum and name errors that say what to do, an idempotent
// set_allowlist, the triage_container prompt, container_logs and inspect_container, a triage naming
// containers it cannot read, health from the readiness check, and the read models of task results
// answering the same through MCP, REST and the pages.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { loadMigrations } from '../../src/db/migrate.ts';
import { EventBus } from '../../src/events/bus.ts';
import { buildGpuReport } from '../../src/gpu/report.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { insertAllowlistEntry } from '../../src/store/allowlist.ts';
import { logTriageTask } from '../../src/tasks/log-triage.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { cannedGpuTask, cannedTask } from '../support/canned-task.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { testTasks } from '../support/test-tasks.ts';
import { getPage, signIn } from '../support/web.ts';

const ADMIN = 'mcp-agents-admin-token-0123456789abcdef';
const docker = hasDocker('MCP container tools for agents');
const dir = mkdtempSync(join(tmpdir(), 'cb-mcp-agents-'));
const events = new EventBus();
const gpuTask = cannedGpuTask();
const mapTask = cannedTask('service_map', 'service_map/services.json');
const containers: string[] = [];
const SECRET_ENV = `env-secret-${Math.random().toString(36).slice(2)}`;
let db: TestDatabase;
let app: App;
let runner: Runner;
let http: ReturnType<typeof Bun.serve>;
let base: string;
let client: Client;
let allowed = '';
let outside = '';

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, any>;
};
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as ToolResult;
const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');
const rest = async (path: string) =>
  (await app.handle(apiRequest('GET', path, undefined, { authorization: `Bearer ${ADMIN}` }))).json() as Promise<any>;

async function connect(url: string, token: string): Promise<Client> {
  const c = new Client({ name: 'agent-tests', version: '1.0.0' });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return c;
}

beforeAll(async () => {
  db = await openTestDatabase();
  const tasks = testTasks().register(logTriageTask()).register(gpuTask.task).register(mapTask.task);
  app = buildTestApp(db, { tasks, events, config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir: dir } });
  runner = testRunner({ db, tasks, events, logsDir: dir });
  await runner.start();
  http = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => app.handle(r) });
  base = `http://127.0.0.1:${http.port}`;
  client = await connect(base, ADMIN);
  if (docker) {
    allowed = uniqueName('cb-agent-allowed');
    outside = uniqueName('cb-agent-outside');
    const script =
      'for i in 1 2 3 4 5 6; do echo "line $i from 10.1.2.$i token=ab12CD34ef56GH78ij90KL12mn34OP56qr"; done; sleep 600';
    containers.push(runTestContainer({ name: allowed, cmd: ['sh', '-c', script], env: { API_KEY: SECRET_ENV } }));
    containers.push(runTestContainer({ name: outside, cmd: ['sleep', '600'] }));
    await waitFor('the test container to log', () => dockerCli(['logs', allowed]).stdout.includes('line 6'));
  }
}, 30_000);
afterAll(async () => {
  await client.close();
  removeContainers(containers);
  http.stop(true);
  await runner.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('results an agent can use', () => {
  test('every tool declares an object outputSchema; answers match it and their text is the whole result', async () => {
    const { tools } = await client.listTools();
    const ajv = new Ajv({ strict: false });
    const schemas = new Map(tools.map((t) => [t.name, t.outputSchema]));
    for (const t of tools) {
      expect(t.outputSchema?.type).toBe('object');
      expect(() => ajv.compile(t.outputSchema!)).not.toThrow();
    }
    await call('launch_run', { tasks: ['probe'], wait_seconds: 10 });
    for (const [name, args] of [
      ['list_runs', {}],
      ['list_tasks', {}],
      ['list_directives', {}],
      ['get_token_stats', { group_by: 'day' }],
      ['health', {}],
      ['get_gpu_trend', {}],
    ] as const) {
      const r = await call(name, args);
      expect(r.isError).toBeFalsy();
      const validate = ajv.compile(schemas.get(name)!);
      expect({ name, ok: validate(r.structuredContent) }).toEqual({ name, ok: true });
    }
    // names every item, never a count alone
    const directives = await call('list_directives');
    for (const d of directives.structuredContent!.items) expect(textOf(directives)).toContain(d.name);
    const runs = await call('list_runs');
    for (const r of runs.structuredContent!.runs) expect(textOf(runs)).toContain(`run ${r.id}:`);
    if (docker) {
      await call('take_inventory_snapshot');
      await call('take_inventory_snapshot');
      const diff = await call('get_inventory_diff');
      const text = textOf(diff);
      // the summary line, then the whole JSON: parseable, so never cut mid-structure
      expect(JSON.parse(text.slice(text.indexOf('\n') + 1))).toEqual(diff.structuredContent!);
    }
  }, 30_000);

  test('long lists page with a cursor; every entry is reached and named', async () => {
    for (let i = 0; i < 60; i++) {
      const id = (i.toString(16).padStart(4, '0') + 'f'.repeat(60)).slice(0, 64);
      await insertAllowlistEntry(db.sql, {
        containerId: id,
        name: `paged-${i}`,
        composeProject: null,
        composeService: null,
        enabled: true,
        description: '',
        tags: [],
        follow: false,
        source: 'api',
        at: new Date(),
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await call('get_allowlist', cursor ? { cursor } : {});
      expect(r.isError).toBeFalsy();
      for (const e of r.structuredContent!.items) {
        expect(textOf(r)).toContain(e.name);
        seen.push(e.name);
      }
      cursor = r.structuredContent!.next_cursor ?? undefined;
      if (cursor) expect(textOf(r)).toContain(`cursor "${cursor}"`);
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    for (let i = 0; i < 60; i++) expect(seen).toContain(`paged-${i}`);
    const past = await call('get_allowlist', { cursor: '9999' });
    expect(past.isError).toBe(true);
    expect(textOf(past)).toContain('invalid_cursor');
    await db.sql`delete from container_allowlist where name like 'paged-%'`;
  });
});

describe('errors an agent can act on', () => {
  test('protocol errors carry one prefix', async () => {
    const resource = await client.readResource({ uri: 'cyberbrain://nothing/here' }).catch((e: Error) => e);
    expect((resource as Error).message).toBe('MCP error -32602: no resource cyberbrain://nothing/here');
    const prompt = await client.getPrompt({ name: 'explain_run', arguments: { run_id: 'x' } }).catch((e: Error) => e);
    expect((prompt as Error).message).toBe('MCP error -32602: run_id: give a numeric run id');
  });

  test('a wrong enum value lists the allowed ones', async () => {
    const action = await call('set_allowlist', { action: 'explode', container: 'web' });
    expect(action.isError).toBe(true);
    expect(textOf(action)).toContain('action: must be one of: add, enable, disable, remove');
    const status = await call('list_runs', { status: 'sleeping' });
    expect(textOf(status)).toContain(
      'status: must be one of: awaiting_approval, queued, running, success, partial, failed, cancelled',
    );
    expect(textOf(status)).not.toContain('Expected union value');
  });

  test('set_allowlist with a name that is nowhere names it', async () => {
    const r = await call('set_allowlist', { action: 'disable', container: 'nope' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(
      'container_not_found: no container "nope": it is neither on the allowlist nor on the Docker host',
    );
  });
});

describe('honest annotations', () => {
  test('read tools say read-only; set_allowlist is idempotent for real', async () => {
    const { tools } = await client.listTools();
    const by = new Map(tools.map((t) => [t.name, t.annotations!]));
    for (const name of [
      'container_logs',
      'inspect_container',
      'get_gpu_report',
      'get_gpu_trend',
      'get_service_map',
      'health',
    ])
      expect(by.get(name)).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(by.get('launch_run')!.idempotentHint).toBe(false);
    expect(by.get('set_allowlist')!.idempotentHint).toBe(true);
    if (!docker) return;
    const first = await call('set_allowlist', { action: 'add', container: allowed });
    const second = await call('set_allowlist', { action: 'add', container: allowed });
    expect(first.structuredContent).toMatchObject({ changed: true, entry: { name: allowed, enabled: true } });
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent).toMatchObject({ changed: false, entry: { name: allowed, enabled: true } });
    expect((await call('set_allowlist', { action: 'disable', container: allowed })).structuredContent!.changed).toBe(
      true,
    );
    expect((await call('set_allowlist', { action: 'disable', container: allowed })).structuredContent!.changed).toBe(
      false,
    );
    expect((await call('set_allowlist', { action: 'remove', container: allowed })).structuredContent!.changed).toBe(
      true,
    );
    const again = await call('set_allowlist', { action: 'remove', container: allowed });
    expect(again.structuredContent).toEqual({ action: 'remove', container: allowed, changed: false, entry: null });
    await call('set_allowlist', { action: 'add', container: allowed });
  });
});

describe('prompts', () => {
  test('triage_container limits the run to its container and honours since', async () => {
    const p = await client.getPrompt({
      name: 'triage_container',
      arguments: { container: 'sonarr', since: '2026-11-26T00:00:00Z' },
    });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).not.toMatch(/^\s*(1\.\s*)?call get_allowlist/i);
    expect(text.split('\n')[0]).toContain('since 2026-11-26T00:00:00Z');
    expect(text).toContain('"options":{"log_triage":{"containers":["sonarr"]}}');
    expect(text).toContain('container_logs with {"container":"sonarr","since":"2026-11-26T00:00:00Z"');
    const plain = (await client.getPrompt({ name: 'triage_container', arguments: { container: 'sonarr' } }))
      .messages[0]!.content as { text: string };
    expect(plain.text).not.toContain('container_logs');
    await expect(
      client.getPrompt({ name: 'triage_container', arguments: { container: 'sonarr', since: 'yesterday' } }),
    ).rejects.toThrow('since: give an RFC 3339 time');
  });
});

describe.skipIf(!docker)('containers', () => {
  test('container_logs: the last N lines, or the first N since a time, masked like the triage; at most 1000', async () => {
    await call('set_allowlist', { action: 'add', container: allowed });
    const last = await call('container_logs', { container: allowed, lines: 2 });
    expect(last.isError).toBeFalsy();
    expect(last.structuredContent!.lines.map((l: { text: string }) => l.text.slice(0, 7))).toEqual([
      'line 5 ',
      'line 6 ',
    ]);
    expect(last.structuredContent!.masked).toBeGreaterThanOrEqual(4);
    const whole = JSON.stringify(last);
    expect(whole).not.toContain('10.1.2.5');
    expect(whole).not.toContain('ab12CD34ef56GH78ij90KL12mn34OP56qr');
    const first = await call('container_logs', { container: allowed, since: '2000-01-01T00:00:00Z', lines: 4 });
    expect(first.structuredContent!.lines).toHaveLength(4);
    expect(first.structuredContent!.more).toBe(true);
    const rest = await call('container_logs', {
      container: allowed,
      since: first.structuredContent!.next_since,
      lines: 10,
    });
    expect(rest.structuredContent!.lines.map((l: { text: string }) => l.text.slice(0, 6))).toEqual([
      'line 5',
      'line 6',
    ]);
    expect(textOf(rest)).toContain('line 6 from');
    expect((await call('container_logs', { container: allowed, lines: 1001 })).isError).toBe(true);
  });

  test('inspect_container: state, restarts, health, image, ports, labels; never an env value', async () => {
    const r = await call('inspect_container', { container: allowed });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      name: allowed,
      state: 'running',
      restart_count: 0,
      labels: { 'cyber-brain-test': '1' },
    });
    expect(r.structuredContent!.image).toContain('busybox');
    expect(JSON.stringify(r)).not.toContain(SECRET_ENV);
    expect(JSON.stringify(r)).not.toContain('API_KEY');
  });

  test('a triage naming containers it cannot read names them with the reason', async () => {
    const r = await call('launch_run', {
      tasks: ['log_triage'],
      options: { log_triage: { containers: [allowed, outside, 'no-such-box'] } },
      wait_seconds: 30,
    });
    expect(r.structuredContent!.status).toBe('success');
    const result = r.structuredContent!.jobs[0].result;
    expect(result.containers).toBe(1);
    expect(result.unreadable).toBe(
      `${outside}: it is not on the allowlist; no-such-box: no container of that name or id is on the Docker host`,
    );
    expect(textOf(r)).toContain('no-such-box: no container');
  }, 40_000);
});

describe('health', () => {
  test('is the readiness check: a database missing a migration is not ready', async () => {
    const ok = await call('health');
    expect(ok.structuredContent).toMatchObject({
      ready: true,
      database: { backend: db.backend },
      auth: { enabled: true },
    });
    const behind = buildTestApp(db, {
      config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir: dir },
      migrations: [...loadMigrations(), { version: 9999, name: '9999_later.sql', sql: 'select 1', checksum: 'x' }],
    });
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => behind.handle(r) });
    const c = await connect(`http://127.0.0.1:${server.port}`, ADMIN);
    try {
      const r = (await c.callTool({ name: 'health', arguments: {} })) as ToolResult;
      expect(r.structuredContent).toMatchObject({ ready: false, reason: 'migrations_pending' });
      expect(textOf(r)).toStartWith('not ready: migrations_pending');
    } finally {
      await c.close();
      server.stop(true);
    }
  });
});

describe('read models of task results through every door', () => {
  const fixture = (name: string) => readFileSync(join(import.meta.dir, '../fixtures/nvidia-smi', name), 'utf8');
  const report = (at: string) => ({
    ...buildGpuReport(
      {
        source: 'worker',
        attempts: [{ source: 'worker', outcome: 'used', detail: 'worker' }],
        gpuCsv: fixture('rtx3090-gpus.csv'),
        appsCsv: fixture('rtx3090-apps.csv'),
      },
      [{ id: 'a'.repeat(64), name: 'trainer', pids: [41873] }],
      { utilization_pct: 80, memory_pct: 90, temperature_c: 85 },
      new Date(at),
    ),
    trend: [],
  });
  async function run(task: string): Promise<number> {
    const r = await call('launch_run', { tasks: [task], wait_seconds: 20 });
    expect(r.structuredContent!.status).toBe('success');
    return r.structuredContent!.id;
  }

  test('GPU report and trend: MCP tool, MCP resource, REST and the page give the same data', async () => {
    gpuTask.next = report('2026-03-01T10:00:00Z');
    const first = await run('gpu_report');
    gpuTask.next = report('2026-03-02T10:00:00Z');
    const latest = await run('gpu_report');
    const tool = (await call('get_gpu_report')).structuredContent!;
    const viaRest = await rest('/api/gpu/latest');
    const resource = JSON.parse(
      ((await client.readResource({ uri: 'cyberbrain://gpu/latest' })).contents[0] as { text: string }).text,
    );
    expect(viaRest).toEqual(tool);
    expect(resource).toEqual(tool);
    expect(tool).toMatchObject({ run_id: latest, newest_run: { id: latest, status: 'success' } });
    expect(tool.report.attribution.containers[0]).toMatchObject({ container: 'trainer', vram_mib: 18432 });
    const trend = (await call('get_gpu_trend', { runs: 5 })).structuredContent!;
    expect(await rest('/api/gpu/trend?runs=5')).toEqual(trend);
    expect(trend.points.map((p: { run_id: number }) => p.run_id)).toEqual([latest, first]);
    expect(trend.points[0].peak.utilization_gpu_pct).toBe(87);
    const page = await getPage(app, '/gpu', await signIn(app, ADMIN));
    expect(page.html).toContain(`href="/runs/${latest}"`);
    expect(page.html).toContain('<td>trainer</td><td class="num">18432 MiB</td>');
    expect(page.html).toContain(`run #${first}: 87 %`);
  }, 30_000);

  test('service map: MCP tool, MCP resource, REST and the page give the same data', async () => {
    mapTask.next = {
      generated_at: '2026-03-01T10:00:00.000Z',
      docker_host: 'unix:///var/run/docker.sock',
      scope: 'allowlist',
      previous_map_job: null,
      nodes: [
        {
          id: 'container:web',
          type: 'container',
          label: 'web',
          allowlisted: true,
          state: 'running',
          health: null,
          restart_count: 0,
          compose_project: 'media',
          compose_service: 'web',
        },
      ],
      edges: [],
      exposures: [
        {
          container: 'web',
          host_ip: '0.0.0.0',
          host_port: 8080,
          container_port: 80,
          proto: 'tcp',
          binding: 'all_interfaces',
        },
      ],
      findings: [
        {
          kind: 'exposed_all_interfaces',
          severity: 'high',
          subject: 'web',
          message: 'web publishes 8080 on every interface',
        },
      ],
    };
    const id = await run('service_map');
    const tool = (await call('get_service_map')).structuredContent!;
    expect(await rest('/api/service-map/latest')).toEqual(tool);
    const resource = JSON.parse(
      ((await client.readResource({ uri: 'cyberbrain://service-map/latest' })).contents[0] as { text: string }).text,
    );
    expect(resource).toEqual(tool);
    expect(tool).toMatchObject({
      run_id: id,
      map: { scope: 'allowlist', exposures: [{ container: 'web', host_port: 8080 }] },
    });
    expect(textOf(await call('get_service_map'))).toContain(
      'finding [high] exposed_all_interfaces web: web publishes 8080 on every interface',
    );
    const page = await getPage(app, '/service-map', await signIn(app, ADMIN));
    expect(page.html).toContain(`href="/runs/${id}"`);
    expect(page.html).toContain('web publishes 8080 on every interface');
  }, 30_000);

  test.skipIf(!docker)(
    'error patterns of the latest triage: MCP tool, MCP resource, REST and the dashboard give the same data',
    async () => {
      const noisy = uniqueName('cb-agent-errors');
      const script = 'for i in 1 2 3 4 5; do echo "ERROR upstream db-$i refused the connection"; done; sleep 600';
      containers.push(runTestContainer({ name: noisy, cmd: ['sh', '-c', script] }));
      await waitFor('the error lines', () => dockerCli(['logs', noisy]).stdout.includes('db-5'));
      expect((await call('set_allowlist', { action: 'add', container: noisy })).isError).toBeFalsy();
      const r = await call('launch_run', {
        tasks: ['log_triage'],
        options: { log_triage: { containers: [noisy] } },
        wait_seconds: 30,
      });
      expect(r.structuredContent!.status).toBe('success');
      const tool = (await call('get_error_patterns', { state: 'new' })).structuredContent!;
      expect(await rest('/api/log-triage/patterns?state=new')).toEqual(tool);
      const resource = JSON.parse(
        ((await client.readResource({ uri: 'cyberbrain://log-triage/patterns' })).contents[0] as { text: string }).text,
      );
      expect(resource).toEqual(await rest('/api/log-triage/patterns'));
      const mine = tool.containers.find((c: { container: string }) => c.container === noisy);
      expect(mine).toMatchObject({ errors: 5, crash_loop: false });
      expect(mine.patterns[0]).toMatchObject({ status: 'new', level: 'error', count: 5 });
      expect(textOf(await call('get_error_patterns'))).toContain(mine.patterns[0].template);
      const page = await getPage(app, '/', await signIn(app, ADMIN));
      expect(page.html).toContain(`href="/runs/${r.structuredContent!.id}"`);
      expect(page.html).toContain(Bun.escapeHTML(mine.patterns[0].template));
    },
    60_000,
  );
});
