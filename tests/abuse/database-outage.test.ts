// PostgreSQL going away under a running process: the API and MCP answer 503 with Retry-After (not a
// 500), the pages show a clear page; once it is back everything answers again by itself and a run
// launched before the outage still finishes.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { abuseEnabled, ADMIN_TOKEN, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: database outage');
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe.skipIf(!enabled)('the database stopped under the running process', () => {
  let a: AbuseApp;
  beforeAll(async () => {
    a = await startAbuseApp({ CYBER_BRAIN_TOKEN: ADMIN_TOKEN, RUNNER_LEASE_MS: '3000' }, { proxy: true });
  });
  afterAll(async () => {
    // a process that died under the outage: its own words say why
    if (a && (a.app.proc.exitCode !== null || a.app.proc.signalCode !== null))
      console.error(a.app.output().slice(-6000));
    await a?.proxy?.start().catch(() => {});
    await a?.close();
  });

  test('API and MCP: 503 with Retry-After while it is down; they recover and no run is lost', async () => {
    const reader = await (
      await fetch(`${a.url}/api/tokens`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'reader', scope: 'read' }),
      })
    ).json();
    const launched = await (
      await fetch(`${a.url}/api/runs`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ tasks: ['probe'], options: { probe: { sleep_ms: 1500, report: false } } }),
      })
    ).json();
    expect(launched.id).toBeGreaterThan(0);
    const client = new Client({ name: 'abuse-outage', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${a.url}/mcp`), { requestInit: { headers: admin } });
    await client.connect(transport);
    try {
      a.proxy!.stop();
      const api = await fetch(`${a.url}/api/runs`, { headers: admin });
      expect(api.status).toBe(503);
      expect(Number(api.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await api.json()).error.code).toBe('database_unavailable');
      // a token that must be looked up in the database: the same 503, not a 401 or a 500
      const byToken = await fetch(`${a.url}/api/runs`, { headers: { authorization: `Bearer ${reader.token}` } });
      expect(byToken.status).toBe(503);
      expect(byToken.headers.get('retry-after')).not.toBeNull();
      const write = await fetch(`${a.url}/api/directives`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', level: 'D1', title: 't', body: 'b' }),
      });
      expect(write.status).toBe(503);
      const page = await fetch(`${a.url}/runs`, { headers: { ...admin, accept: 'text/html' } });
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).not.toBeNull();
      expect(await page.text()).toContain('database cannot be reached');
      const mcp = await fetch(`${a.url}/mcp`, {
        method: 'POST',
        headers: {
          ...admin,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': transport.sessionId!,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 77,
          method: 'tools/call',
          params: { name: 'list_runs', arguments: {} },
        }),
      });
      expect(mcp.status).toBe(503);
      expect(Number(mcp.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await mcp.json()).error.message).toContain('database_unavailable');
    } finally {
      await a.proxy!.start();
    }
    // back: answers recover by themselves, the session is still there, the run finishes
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${a.url}/api/runs`, { headers: admin })).status;
      if (status !== 200) await Bun.sleep(100);
    }
    expect(status).toBe(200);
    const listed = await client.callTool({ name: 'list_runs', arguments: {} });
    expect(listed.isError).toBeFalsy();
    let run = { status: '' };
    for (let i = 0; i < 150 && !['success', 'partial', 'failed', 'cancelled'].includes(run.status); i++) {
      run = await (await fetch(`${a.url}/api/runs/${launched.id}`, { headers: admin })).json();
      await Bun.sleep(100);
    }
    expect(run.status).toBe('success');
    await client.close();
  }, 60_000);
});
