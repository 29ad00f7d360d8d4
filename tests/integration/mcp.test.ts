// MCP through the SDK's own Client over real HTTP: both transports, every tool, resources with
// subscriptions, prompts, bad arguments, scopes, sessions.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer } from '../support/docker.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { testTasks } from '../support/test-tasks.ts';
import { logTriageTask } from '../../src/tasks/log-triage.ts';

/** The watching tools (schedules, notifications); tests/integration/watch-mcp.test.ts covers them. */
const WATCH_TOOL_NAMES = [
  'list_schedules',
  'create_schedule',
  'update_schedule',
  'delete_schedule',
  'watch_my_containers',
  'list_notification_destinations',
  'create_notification_destination',
  'update_notification_destination',
  'delete_notification_destination',
  'test_notification_destination',
  'list_notification_rules',
  'create_notification_rule',
  'update_notification_rule',
  'delete_notification_rule',
  'list_notification_deliveries',
];

const ADMIN = 'mcp-admin-token-0123456789abcdef';
let db: TestDatabase;
let app: App;
let runner: Runner;
let http: ReturnType<typeof Bun.serve>;
let base: string;
let readToken = '';
const events = new EventBus();
const dir = mkdtempSync(join(tmpdir(), 'cb-mcp-'));
const docker = hasDocker('MCP container tools');
const containers: string[] = [];
const CANARY = `mcp-log-canary-${Math.random().toString(36).slice(2)}`;

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, any>;
};

async function connect(
  token: string,
  kind: 'http' | 'sse' = 'http',
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'cyber-brain-tests', version: '1.0.0' });
  const auth = { authorization: `Bearer ${token}`, ...headers };
  const transport =
    kind === 'http'
      ? new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: auth } })
      : new SSEClientTransport(new URL(`${base}/sse`), {
          requestInit: { headers: auth },
          eventSourceInit: {
            fetch: (url, init) =>
              fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...auth } }),
          },
        });
  await client.connect(transport);
  if (transport instanceof StreamableHTTPClientTransport) {
    // end the session on close as a well-behaved client does (DELETE /mcp), so the per-caller session
    // cap does not depend on how fast the tests run against the idle time
    const close = client.close.bind(client);
    client.close = async () => {
      await transport.terminateSession().catch(() => undefined);
      await close();
    };
  }
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as ToolResult;

async function rowCounts(): Promise<string> {
  const [r] = await db.sql<Record<string, number>[]>`
    select (select count(*) from runs) as runs, (select count(*) from jobs) as jobs, (select count(*) from directives) as directives,
           (select count(*) from directive_versions) as versions, (select count(*) from container_allowlist) as allowlist,
           (select count(*) from inventory_snapshots) as snapshots`;
  return JSON.stringify(r);
}

beforeAll(async () => {
  db = await openTestDatabase();
  const tasks = testTasks().register(logTriageTask());
  // Short enough to test expiry, long enough for a client's own pauses: the SDK client compiles every
  // tool's outputSchema after tools/list, which takes over a second on a busy machine.
  app = buildTestApp(db, {
    events,
    tasks,
    config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN, MCP_SESSION_IDLE_MS: '5000' }), logsDir: dir },
  });
  runner = testRunner({ db, tasks, events, logsDir: dir });
  await runner.start();
  http = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => app.handle(r) });
  base = `http://127.0.0.1:${http.port}`;
  const created = await app.handle(
    apiRequest('POST', '/api/tokens', { name: 'mcp reader', scope: 'read' }, { authorization: `Bearer ${ADMIN}` }),
  );
  readToken = (await created.json()).token;
  if (docker) {
    const suffix = Math.random().toString(36).slice(2, 8);
    containers.push(
      runTestContainer({ name: `cb-mcp-allowed-${suffix}`, cmd: ['sh', '-c', `echo ${CANARY}-allowed; sleep 600`] }),
    );
    containers.push(
      runTestContainer({ name: `cb-mcp-outside-${suffix}`, cmd: ['sh', '-c', `echo ${CANARY}-outside; sleep 600`] }),
    );
  }
});
afterAll(async () => {
  removeContainers(containers);
  http.stop(true);
  await runner.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Streamable HTTP', () => {
  test('initialize, list tools with valid input schemas and honest annotations', async () => {
    const client = await connect(ADMIN);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name).sort();
      expect(names).toEqual(
        [
          'cancel_run',
          'container_logs',
          'create_directive',
          'get_allowlist',
          'get_directive',
          'get_error_patterns',
          'get_gpu_report',
          'get_gpu_trend',
          'get_inventory_diff',
          'get_run',
          'get_run_report',
          'get_service_map',
          'get_token_stats',
          'health',
          'inspect_container',
          'launch_run',
          'list_containers',
          'list_directives',
          'list_runs',
          'list_tasks',
          'set_allowlist',
          'take_inventory_snapshot',
          'update_directive',
          ...WATCH_TOOL_NAMES,
        ].sort(),
      );
      expect(names).not.toContain('approve_run');
      const ajv = new Ajv({ strict: false });
      for (const t of tools) {
        expect(() => ajv.compile(t.inputSchema)).not.toThrow();
        expect(t.inputSchema.type).toBe('object');
        expect(typeof t.annotations?.readOnlyHint).toBe('boolean');
      }
      expect(tools.find((t) => t.name === 'get_run')!.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
      });
      expect(tools.find((t) => t.name === 'cancel_run')!.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
      });
    } finally {
      await client.close();
    }
  });

  test("every tool's happy path", async () => {
    const client = await connect(ADMIN);
    try {
      const launched = await call(client, 'launch_run', { tasks: ['probe'], wait_seconds: 10 });
      expect(launched.isError).toBeFalsy();
      expect(launched.structuredContent!.status).toBe('success');
      const id = launched.structuredContent!.id as number;
      expect(launched.content[0]!.text).toContain(`run ${id}: success`);
      expect((await call(client, 'list_runs', { limit: 5 })).structuredContent!.runs[0].id).toBe(id);
      expect((await call(client, 'get_run', { id })).structuredContent!.jobs).toHaveLength(1);
      expect((await call(client, 'get_run_report', { id })).content[0]!.text).toContain(`# Run ${id}: success`);
      const slow = await call(client, 'launch_run', { tasks: ['probe'], options: { probe: { sleep_ms: 60_000 } } });
      await waitFor(
        'slow run running',
        async () =>
          (await call(client, 'get_run', { id: slow.structuredContent!.id })).structuredContent!.status === 'running',
      );
      const cancelled = await call(client, 'cancel_run', { id: slow.structuredContent!.id });
      expect(cancelled.isError).toBeFalsy();
      expect((await call(client, 'list_tasks')).structuredContent!.items.map((t: { key: string }) => t.key)).toContain(
        'probe',
      );
      const directives = (await call(client, 'list_directives')).structuredContent!.items;
      expect(directives.length).toBeGreaterThanOrEqual(4);
      expect((await call(client, 'get_directive', { id: directives[0].id })).structuredContent!.name).toBe(
        directives[0].name,
      );
      const created = await call(client, 'create_directive', {
        name: 'mcp-made',
        level: 'D1',
        title: 'From MCP',
        body: 'Be brief.',
      });
      const updated = await call(client, 'update_directive', {
        id: created.structuredContent!.id,
        body: 'Be very brief.',
      });
      expect(updated.structuredContent!.version).toBe(2);
      expect((await call(client, 'get_token_stats', { group_by: 'model' })).isError).toBeFalsy();
      const health = await call(client, 'health');
      expect(health.structuredContent!.ready).toBe(true);
      expect(health.structuredContent!.database.backend).toBe(db.backend);
      if (docker) {
        const listed = await call(client, 'list_containers');
        expect(listed.isError).toBeFalsy();
        const name = dockerCli(['inspect', '--format', '{{.Name}}', containers[0]!]).stdout.trim().replace(/^\//, '');
        const added = await call(client, 'set_allowlist', { action: 'add', container: name });
        expect(added.isError).toBeFalsy();
        expect(
          (await call(client, 'set_allowlist', { action: 'disable', container: name })).structuredContent!.entry
            .enabled,
        ).toBe(false);
        expect(
          (await call(client, 'set_allowlist', { action: 'enable', container: name })).structuredContent!.entry.enabled,
        ).toBe(true);
        expect(
          (await call(client, 'get_allowlist')).structuredContent!.items.map((e: { name: string }) => e.name),
        ).toContain(name);
        expect((await call(client, 'take_inventory_snapshot')).isError).toBeFalsy();
        expect((await call(client, 'take_inventory_snapshot')).isError).toBeFalsy();
        expect((await call(client, 'get_inventory_diff')).isError).toBeFalsy();
      }
    } finally {
      await client.close();
    }
  }, 60_000);

  test('resources: list, templates, every kind read; a subscribed run report is announced when it finishes', async () => {
    const client = await connect(ADMIN);
    try {
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
        'cyberbrain://directives/{id}',
        'cyberbrain://runs/{id}',
        'cyberbrain://runs/{id}/report.md',
      ]);
      const launched = await call(client, 'launch_run', { tasks: ['probe'], options: { probe: { sleep_ms: 500 } } });
      const id = launched.structuredContent!.id as number;
      const uri = `cyberbrain://runs/${id}/report.md`;
      const updated: string[] = [];
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        updated.push(n.params.uri);
      });
      await client.subscribeResource({ uri });
      await waitFor('resources/updated', () => updated.includes(uri));
      const report = await client.readResource({ uri });
      expect(report.contents[0]!.mimeType).toBe('text/markdown');
      expect((report.contents[0] as { text: string }).text).toContain(`# Run ${id}: success`);
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toContain(uri);
      const run = await client.readResource({ uri: `cyberbrain://runs/${id}` });
      expect(JSON.parse((run.contents[0] as { text: string }).text).id).toBe(id);
      const d = await client.readResource({ uri: 'cyberbrain://directives/1' });
      expect(JSON.parse((d.contents[0] as { text: string }).text).id).toBe(1);
      if (docker) {
        await call(client, 'take_inventory_snapshot');
        const inv = await client.readResource({ uri: 'cyberbrain://inventory/latest' });
        expect(JSON.parse((inv.contents[0] as { text: string }).text).containers.length).toBeGreaterThan(0);
      }
      await expect(client.readResource({ uri: 'cyberbrain://runs/999999' })).rejects.toThrow();
    } finally {
      await client.close();
    }
  }, 30_000);

  test.skipIf(!docker)(
    'launch_run of log triage, subscribe to its report, get resources/updated, read the markdown',
    async () => {
      const client = await connect(ADMIN);
      try {
        const name = dockerCli(['inspect', '--format', '{{.Name}}', containers[0]!]).stdout.trim().replace(/^\//, '');
        await call(client, 'set_allowlist', { action: 'add', container: name });
        const launched = await call(client, 'launch_run', { tasks: ['log_triage'] });
        expect(launched.isError).toBeFalsy();
        const uri = `cyberbrain://runs/${launched.structuredContent!.id}/report.md`;
        const updated: string[] = [];
        client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
          updated.push(n.params.uri);
        });
        await client.subscribeResource({ uri });
        await waitFor('resources/updated for the triage report', () => updated.includes(uri), 30_000);
        const md = (await client.readResource({ uri })).contents[0] as { text: string };
        expect(md.text).toContain('## log_triage: success');
        expect(md.text).toContain(name);
      } finally {
        await client.close();
      }
    },
    60_000,
  );

  test('prompts', async () => {
    const client = await connect(ADMIN);
    try {
      expect((await client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual([
        'explain_run',
        'triage_container',
      ]);
      const p = await client.getPrompt({
        name: 'triage_container',
        arguments: { container: 'sonarr', since: '2026-11-26T00:00:00Z' },
      });
      expect((p.messages[0]!.content as { text: string }).text).toContain('launch_run');
      const e = await client.getPrompt({ name: 'explain_run', arguments: { run_id: '1' } });
      expect((e.messages[0]!.content as { text: string }).text).toContain('cyberbrain://runs/1/report.md');
      await expect(client.getPrompt({ name: 'explain_run', arguments: { run_id: 'x' } })).rejects.toThrow();
    } finally {
      await client.close();
    }
  });

  test('launch_run with wait_seconds and a progress token reports progress as jobs end', async () => {
    const client = await connect(ADMIN);
    try {
      const progress: { progress: number; total?: number; at: number }[] = [];
      const r = (await client.callTool(
        {
          name: 'launch_run',
          arguments: { tasks: ['probe', 'echo'], options: { probe: { sleep_ms: 600 } }, wait_seconds: 10 },
        },
        undefined,
        {
          onprogress: (p) => progress.push({ ...p, at: performance.now() }),
        },
      )) as ToolResult;
      const answeredAt = performance.now();
      expect(r.structuredContent!.status).toBe('success');
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect(progress[0]!.progress).toBeLessThan(2);
      expect(progress.at(-1)).toMatchObject({ progress: 2, total: 2 });
      // Streamed as they happen, not handed over with the result: the first came while the probe slept.
      expect(answeredAt - progress[0]!.at).toBeGreaterThan(300);
    } finally {
      await client.close();
    }
  }, 20_000);

  test('calls answer as JSON, progress token or not; launch_run answers as an event stream with its progress', async () => {
    const client = await connect(ADMIN);
    try {
      const session = (client.transport as StreamableHTTPClientTransport).sessionId!;
      const post = (body: object) =>
        fetch(`${base}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${ADMIN}`,
            'mcp-session-id': session,
            'mcp-protocol-version': '2025-06-18',
          },
          body: JSON.stringify(body),
        });
      const plain = await post({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_tasks', arguments: {}, _meta: { progressToken: 'p0' } },
      });
      expect(plain.headers.get('content-type')).toBe('application/json');
      expect(plain.headers.get('mcp-session-id')).toBe(session);
      const answer = await plain.json();
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: 1 });
      expect(answer.result.structuredContent.items.map((t: { key: string }) => t.key)).toContain('probe');
      // Errors keep the protocol's shape; notifications are still accepted with 202.
      expect((await (await post({ jsonrpc: '2.0', id: 2, method: 'no/such/method' })).json()).error.code).toBe(-32601);
      expect(
        (await post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } })).status,
      ).toBe(202);

      const streamed = await post({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: {
          name: 'launch_run',
          arguments: { tasks: ['probe'], options: { probe: { sleep_ms: 200 } }, wait_seconds: 10 },
          _meta: { progressToken: 'p1' },
        },
      });
      expect(streamed.headers.get('content-type')).toBe('text/event-stream');
      const events = (await streamed.text()).split('\n\n').filter((e) => e.startsWith('event: message'));
      const messages = events.map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)));
      expect(messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress)).toEqual([
        0, 1,
      ]);
      expect(messages.at(-1)).toMatchObject({ id: 3, result: { structuredContent: { status: 'success' } } });
    } finally {
      await client.close();
    }
  }, 20_000);

  test('bad arguments to every tool: isError results, the session stays usable, nothing written', async () => {
    const client = await connect(ADMIN);
    try {
      const { tools } = await client.listTools();
      const before = await rowCounts();
      const bad: Record<string, unknown>[] = [
        { unknown_field: 1 },
        { id: 'one' },
        { id: -5 },
        { tasks: 'probe' },
        { action: 'explode', container: '../x' },
        { name: 'Bad Name', level: 'D9' },
        { group_by: 'colour' },
        { scope: 42 },
      ];
      for (const t of tools) {
        for (const args of bad) {
          const r = await call(client, t.name, args);
          if (!r.isError) {
            // A few tools take no required input and ignore nothing: they must then have refused the unknown field.
            throw new Error(`${t.name}(${JSON.stringify(args)}) was accepted`);
          }
          expect(r.content[0]!.text!.length).toBeGreaterThan(0);
        }
      }
      expect(await rowCounts()).toBe(before);
      expect((await call(client, 'list_tasks')).isError).toBeFalsy();
      expect((await call(client, 'no_such_tool')).isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  test.skipIf(!docker)(
    'the allowlist holds: nothing read from inside a container off the allowlist reaches any tool result',
    async () => {
      const client = await connect(ADMIN);
      try {
        const outside = dockerCli(['inspect', '--format', '{{.Name}}', containers[1]!])
          .stdout.trim()
          .replace(/^\//, '');
        const texts: string[] = [];
        for (const name of [
          'list_containers',
          'get_allowlist',
          'take_inventory_snapshot',
          'get_inventory_diff',
          'health',
        ])
          texts.push(JSON.stringify(await call(client, name)));
        for (const action of ['enable', 'disable', 'remove'])
          texts.push(JSON.stringify(await call(client, 'set_allowlist', { action, container: outside })));
        for (const name of ['container_logs', 'inspect_container']) {
          const refused = await call(client, name, { container: outside });
          expect(refused.isError).toBe(true);
          expect(refused.content[0]!.text).toContain(`container "${outside}" is not on the allowlist`);
          texts.push(JSON.stringify(refused));
        }
        const all = texts.join('\n');
        expect(all).toContain(outside); // metadata is allowed
        expect(all).not.toContain(`${CANARY}-outside`);
      } finally {
        await client.close();
      }
    },
  );
});

describe('access', () => {
  test('without a token: 401; with a foreign Origin: 403', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(init),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${ADMIN}`, origin: 'https://evil.example' })).status).toBe(403);
    expect((await fetch(`${base}/sse`)).status).toBe(401);
  });

  test('a read token sees only read-only tools and cannot call launch_run', async () => {
    const client = await connect(readToken);
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(5);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const r = await call(client, 'launch_run', { tasks: ['probe'] });
      expect(r.isError).toBe(true);
      expect(r.content[0]!.text).toContain('insufficient_scope');
    } finally {
      await client.close();
    }
  });

  test('two clients keep their sessions apart; DELETE ends a session; an expired session gets 404', async () => {
    const a = await connect(ADMIN);
    const b = await connect(readToken);
    const ta = a.transport as StreamableHTTPClientTransport;
    const tb = b.transport as StreamableHTTPClientTransport;
    expect(ta.sessionId).toBeDefined();
    expect(ta.sessionId).not.toBe(tb.sessionId);
    const [ra, rb] = await Promise.all([a.listTools(), b.listTools()]);
    expect(ra.tools.length).toBeGreaterThan(rb.tools.length);
    // B's token cannot use A's session.
    const hijack = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${readToken}`,
        'mcp-session-id': ta.sessionId!,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(hijack.status).toBe(404);
    const id = ta.sessionId!;
    await ta.terminateSession();
    const after = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${ADMIN}`,
        'mcp-session-id': id,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
    await a.close();
    // B idles past MCP_SESSION_IDLE_MS (5 s here): its session is gone.
    await Bun.sleep(5300);
    await expect(b.listTools()).rejects.toThrow(/404|not found/i);
    await b.close();
  }, 20_000);
});

describe('the older HTTP+SSE transport', () => {
  test('initialize, tools, a call, a resource and a prompt', async () => {
    const client = await connect(ADMIN, 'sse');
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(10);
      const launched = await call(client, 'launch_run', { tasks: ['echo'], wait_seconds: 10 });
      expect(launched.structuredContent!.status).toBe('success');
      const report = await client.readResource({
        uri: `cyberbrain://runs/${launched.structuredContent!.id}/report.md`,
      });
      expect((report.contents[0] as { text: string }).text).toContain('## echo: success');
      expect((await client.getPrompt({ name: 'explain_run', arguments: { run_id: '1' } })).messages).toHaveLength(1);
    } finally {
      await client.close();
    }
  }, 30_000);
});

describe('the README', () => {
  const readme = Bun.file(join(import.meta.dir, '..', '..', 'README.md'));
  const block = async (heading: string, lang: string) => {
    const text = await readme.text();
    const at = text.indexOf(heading);
    const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text.slice(at));
    return m![1]!;
  };
  /** The README's host and port stand for this test server; <token> for a real token. */
  const local = (s: string, token: string) => s.replaceAll('http://127.0.0.1:9595', base).replaceAll('<token>', token);

  test('the VS Code snippet connects with exactly its URL and headers', async () => {
    const server = JSON.parse(await block('### VS Code', 'json')).servers['cyber-brain'];
    expect(server.type).toBe('http');
    const client = new Client({ name: 'readme', version: '1' });
    const headers = Object.fromEntries(
      Object.entries(server.headers as Record<string, string>).map(([k, v]) => [k, local(v, readToken)]),
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(local(server.url, readToken)), { requestInit: { headers } }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('get_run');
    await client.close();
  });

  test('the Claude Code and Claude Desktop snippets name the same URL and header', async () => {
    const cmd = await block('### Claude Code', 'sh');
    const url = /(http:\/\/\S+\/mcp)/.exec(cmd)![1]!;
    const header = /--header "([^"]+)"/.exec(cmd)![1]!;
    const desktop = JSON.parse(await block('### Claude Desktop', 'json')).mcpServers['cyber-brain'].args as string[];
    expect(desktop).toContain(url);
    expect(desktop).toContain(header);
    const [name, value] = header.split(/:\s*/);
    const client = new Client({ name: 'readme', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(local(url, readToken)), {
        requestInit: { headers: { [name!]: local(value!, readToken) } },
      }),
    );
    expect((await client.listTools()).tools.length).toBeGreaterThan(5);
    await client.close();
  });
});
