// DNS rebinding with authentication off (the loopback default): every GET route of the app's route
// table, addressed to a foreign host name or called from a foreign origin, is refused; only /healthz
// answers any Host (container health checks). The routes come from the app itself, so a route added
// later is covered without editing this file.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { abuseEnabled, startAbuseApp, type AbuseApp } from './support.ts';

const enabled = abuseEnabled('abuse: host and origin checks');

/** A concrete path for a route pattern: parameters and wildcards filled with harmless values. */
const concrete = (pattern: string) => pattern.replace(/:[A-Za-z_]+/g, '1').replace(/\*/g, 'x');

describe.skipIf(!enabled)('host and origin checks with authentication off', () => {
  let a: AbuseApp;
  let db: TestDatabase;
  let getRoutes: string[] = [];
  beforeAll(async () => {
    db = await openTestDatabase();
    const app = buildTestApp(db);
    getRoutes = [...new Set(app.routes.filter((r) => r.method === 'GET').map((r) => r.path))].sort();
    a = await startAbuseApp({ CYBER_BRAIN_AUTH: 'off' });
  });
  afterAll(async () => {
    await a?.close();
    await db?.close();
  });

  test('the route table has the pages, the API, MCP, metrics, docs and static files', () => {
    for (const p of ['/', '/containers', '/settings', '/metrics', '/api/runs', '/mcp', '/sse', '/readyz', '/healthz'])
      expect(getRoutes).toContain(p);
    expect(getRoutes.some((p) => p.startsWith('/static/'))).toBe(true);
    expect(getRoutes.length).toBeGreaterThan(30);
  });

  test('every GET route with Host: attacker.example is 403, except /healthz', async () => {
    const wrong: string[] = [];
    for (const route of getRoutes) {
      const res = await fetch(`${a.url}${concrete(route)}`, {
        headers: { host: 'attacker.example', accept: 'text/html' },
        redirect: 'manual',
      });
      await res.body?.cancel();
      const expected = route === '/healthz' ? 200 : 403;
      if (res.status !== expected) wrong.push(`${route} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
    // a path the table does not have is refused the same way (no route-by-route exceptions)
    expect((await fetch(`${a.url}/no-such-page`, { headers: { host: 'attacker.example:9595' } })).status).toBe(403);
  }, 60_000);

  test('every GET route called from a foreign Origin is 403, except /healthz', async () => {
    const wrong: string[] = [];
    for (const route of getRoutes) {
      const res = await fetch(`${a.url}${concrete(route)}`, {
        headers: { origin: 'http://attacker.example' },
        redirect: 'manual',
      });
      await res.body?.cancel();
      const expected = route === '/healthz' ? 200 : 403;
      if (res.status !== expected) wrong.push(`${route} -> ${res.status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  test('the refusal has the error shape, and the loopback address still works', async () => {
    const res = await fetch(`${a.url}/api/runs`, { headers: { host: 'attacker.example' } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('host_not_allowed');
    expect((await fetch(`${a.url}/containers`, { headers: { host: `localhost:${a.port}` } })).status).toBe(200);
    expect((await fetch(`${a.url}/metrics`)).status).toBe(200);
  });
});
