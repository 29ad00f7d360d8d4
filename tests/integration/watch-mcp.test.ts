// The watching tools over MCP with the official SDK client: a read token lists schedules, destinations,
// rules and deliveries but cannot change them; an operate token creates a schedule, a destination
// (secrets masked in the answer), a rule, and sends a test message to a receiver on loopback.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../../src/config.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { testTasks } from '../support/test-tasks.ts';

const ADMIN = 'watch-mcp-admin-token-0123456789abcdef';
let db: TestDatabase;
let server: ReturnType<typeof Bun.serve>;
let receiver: HttpReceiver;
let base = '';
const tokens = { read: '', operate: '' };

type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, any>;
};

beforeAll(async () => {
  db = await openTestDatabase();
  receiver = startHttpReceiver();
  const app = buildTestApp(db, { tasks: testTasks(), config: loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }) });
  server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => app.handle(r) });
  base = `http://127.0.0.1:${server.port}`;
  for (const scope of ['read', 'operate'] as const) {
    const res = await app.handle(
      apiRequest('POST', '/api/tokens', { name: `watch ${scope}`, scope }, { authorization: `Bearer ${ADMIN}` }),
    );
    tokens[scope] = (await res.json()).token;
  }
});
afterAll(async () => {
  await server.stop(true);
  await receiver.close();
  await db.close();
});

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'watch-tests', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}
const call = async (c: Client, name: string, args: Record<string, unknown> = {}) =>
  (await c.callTool({ name, arguments: args })) as ToolResult;

describe('watch tools over MCP', () => {
  test('read lists, operate changes; secrets never come back; send-test reaches the receiver', async () => {
    const op = await connect(tokens.operate);
    const reader = await connect(tokens.read);
    try {
      const sched = await call(op, 'create_schedule', { name: 'hourly probe', tasks: ['probe'], cron: '0 * * * *' });
      expect(sched.isError).toBeFalsy();
      expect(sched.structuredContent).toMatchObject({ name: 'hourly probe', enabled: true });
      const paused = await call(op, 'update_schedule', { id: sched.structuredContent!.id, enabled: false });
      expect(paused.structuredContent).toMatchObject({ enabled: false, next_runs: [] });
      expect(
        (await call(op, 'create_schedule', { name: 'too fast', tasks: ['probe'], every_seconds: 1 })).isError,
      ).toBe(true);

      const dest = await call(op, 'create_notification_destination', {
        name: 'hook',
        kind: 'webhook',
        url: `${receiver.url}/hook/SECRET-PATH`,
        secret: 'SECRET-HMAC',
      });
      expect(dest.isError).toBeFalsy();
      expect(JSON.stringify(dest)).not.toContain('SECRET');
      const rule = await call(op, 'create_notification_rule', {
        name: 'exits',
        destination_id: dest.structuredContent!.id,
        events: ['container_died'],
      });
      expect(rule.structuredContent).toMatchObject({ group_seconds: 10, containers: null });
      const tested = await call(op, 'test_notification_destination', { id: dest.structuredContent!.id });
      expect(tested.structuredContent).toMatchObject({ ok: true, status: 'delivered' });
      expect(receiver.requests.map((r) => r.path)).toEqual(['/hook/SECRET-PATH']);

      const { tools } = await reader.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toContain('list_schedules');
      expect(names).not.toContain('create_schedule');
      for (const [name, args] of [
        ['list_schedules', {}],
        ['list_notification_destinations', {}],
        ['list_notification_rules', {}],
        ['list_notification_deliveries', {}],
      ] as const) {
        const r = await call(reader, name, args);
        expect(r.isError).toBeFalsy();
        expect(JSON.stringify(r)).not.toContain('SECRET');
      }
      expect((await call(reader, 'list_notification_deliveries')).structuredContent!.deliveries).toHaveLength(1);
      // every tool declares an object outputSchema, and each text names every item of the structured answer
      for (const t of tools.filter((x) => /schedule|notification/.test(x.name)))
        expect(t.outputSchema?.type).toBe('object');
      const text = async (name: string) => (await call(reader, name)).content.map((c) => c.text ?? '').join('\n');
      expect(await text('list_schedules')).toContain(`schedule ${sched.structuredContent!.id} "hourly probe"`);
      expect(await text('list_notification_destinations')).toMatch(
        new RegExp(
          `destination ${dest.structuredContent!.id} "hook" \\(webhook\\): url=http://127\\.0\\.0\\.1:\\d+/\\*\\*\\*\\*`,
        ),
      );
      expect(await text('list_notification_rules')).toContain(
        `rule ${rule.structuredContent!.id} "exits": container_died from every allowlisted container`,
      );
      expect(await text('list_notification_deliveries')).toMatch(
        /delivery \d+ to destination \d+ "hook" \(test\): .*delivered after 1\/1 attempt\(s\)[\s\S]*attempt 1 at .*: ok \(HTTP 200\)/,
      );
      const refused = await call(reader, 'delete_notification_destination', { id: dest.structuredContent!.id });
      expect(refused.isError).toBe(true);
      expect(refused.content[0]!.text).toContain('insufficient_scope');
      expect((await call(op, 'delete_schedule', { id: sched.structuredContent!.id })).isError).toBeFalsy();
    } finally {
      await op.close();
      await reader.close();
    }
  });
});
