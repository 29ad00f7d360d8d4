// MCP sessions are capped per caller and in all; a full cap refuses the NEW session (429 per caller,
// 503 for the server, both with Retry-After and the error shape) and never closes someone else's.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { abuseEnabled, ADMIN_TOKEN, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: MCP sessions');
const MAX = 12;
const PER_CALLER = 8; // the default

const initialize = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'abuse', version: '1' } },
});

async function openRaw(a: AbuseApp, token: string, id: number) {
  const res = await fetch(`${a.url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(initialize(id)),
  });
  const text = await res.text();
  return {
    status: res.status,
    session: res.headers.get('mcp-session-id'),
    retryAfter: res.headers.get('retry-after'),
    text,
  };
}

async function sdkClient(a: AbuseApp, token: string) {
  const client = new Client({ name: 'abuse-admin', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

/** Ends the session on the server (DELETE), then closes the client. */
async function endSession(client: Client) {
  await (client.transport as StreamableHTTPClientTransport).terminateSession().catch(() => {});
  await client.close();
}

async function createToken(a: AbuseApp, name: string): Promise<string> {
  const res = await fetch(`${a.url}/api/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scope: 'read' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()).token;
}

describe.skipIf(!enabled)('MCP sessions per caller', () => {
  let a: AbuseApp;
  beforeAll(async () => {
    a = await startAbuseApp({ CYBER_BRAIN_TOKEN: ADMIN_TOKEN, MCP_MAX_SESSIONS: String(MAX) });
  });
  afterAll(async () => {
    await a?.close();
  });

  test('a read token opens 100 sessions: 8 open, the rest get 429; the admin session opened before still answers', async () => {
    const admin = await sdkClient(a, ADMIN_TOKEN);
    try {
      const reader = await createToken(a, 'greedy');
      const answers = [];
      for (let i = 0; i < 100; i++) answers.push(await openRaw(a, reader, i + 1));
      expect(answers.filter((r) => r.status === 200).length).toBe(PER_CALLER);
      const refused = answers.filter((r) => r.status !== 200);
      expect(new Set(refused.map((r) => r.status))).toEqual(new Set([429]));
      expect(Number(refused[0]!.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(refused[0]!.text).error.code).toBe('too_many_sessions');
      const tools = await admin.listTools();
      expect(tools.tools.length).toBeGreaterThan(0);
    } finally {
      await endSession(admin);
    }
  }, 60_000);

  test('a full server refuses the new session with 503 and Retry-After; nobody is disconnected', async () => {
    const admin = await sdkClient(a, ADMIN_TOKEN);
    try {
      // the reader's 8 stay open; the admin holds 1 (the first test's was ended)
      const second = await createToken(a, 'second');
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await openRaw(a, second, i + 1));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBe(MAX - PER_CALLER - 1);
      const full = answers.find((r) => r.status === 503)!;
      expect(full).toBeDefined();
      expect(Number(full.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(full.text).error.code).toBe('sessions_full');
      expect((await admin.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await endSession(admin);
    }
  }, 60_000);

  test("a caller cannot use or end another caller's session", async () => {
    const owner = await createToken(a, 'owner');
    const other = await createToken(a, 'other');
    const admin = await sdkClient(a, ADMIN_TOKEN);
    const session = (admin.transport as StreamableHTTPClientTransport).sessionId!;
    try {
      const del = await fetch(`${a.url}/mcp`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${other}`, 'mcp-session-id': session },
      });
      expect(del.status).toBe(404);
      const use = await fetch(`${a.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${owner}`,
          'mcp-session-id': session,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      expect(use.status).toBe(404);
      expect((await admin.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await endSession(admin);
    }
  }, 30_000);
});
