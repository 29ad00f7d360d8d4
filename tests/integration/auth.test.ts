// Authentication and the request guard: every route needs its scope, tokens and browser sessions,
// CSRF, Origin/Host checks against cross-site requests and DNS rebinding.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { requiredScope, type Scope } from '../../src/auth/scope.ts';
import { loadConfig } from '../../src/config.ts';
import { apiRequest, buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { testTasks } from '../support/test-tasks.ts';

const ADMIN = 'admin-secret-for-tests-0123456789';
let db: TestDatabase;
let app: App;
const logsDir = mkdtempSync(join(tmpdir(), 'cb-auth-'));
const tokens: Record<Scope, string> = { read: '', operate: '', admin: ADMIN };

function send(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return callJson(app, method, path, opts.body, headers);
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, {
    tasks: testTasks(),
    config: {
      ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN, CYBER_BRAIN_ALLOWED_ORIGINS: 'http://cyberbrain.lan:9595' }),
      logsDir,
    },
  });
  for (const scope of ['read', 'operate'] as const) {
    const created = await send('POST', '/api/tokens', { token: ADMIN, body: { name: `${scope} token`, scope } });
    expect(created.status).toBe(201);
    tokens[scope] = created.json.token;
  }
});
afterAll(async () => {
  await db.close();
  rmSync(logsDir, { recursive: true, force: true });
});

/** Every registered route with its parameters filled in. */
function everyRoute(): { method: string; pattern: string; path: string }[] {
  const seen = new Set<string>();
  const out = [];
  for (const r of app.routes) {
    const pattern = r.path.length > 1 ? r.path.replace(/\/+$/, '') : r.path;
    const key = `${r.method} ${pattern}`;
    if (seen.has(key) || r.method === 'ALL') continue;
    seen.add(key);
    out.push({ method: r.method, pattern, path: pattern.replace(/:\w+/g, '999999').replace(/\*$/, 'x') });
  }
  return out;
}

describe('every route', () => {
  test('without a token: 401, except the public ones; a too-small scope: 403', async () => {
    const routes = everyRoute();
    expect(routes.length).toBeGreaterThan(20);
    const publicRoutes: string[] = [];
    for (const r of routes) {
      const needed = requiredScope(r.method, r.pattern, false);
      const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : {};
      const anonymous = await send(r.method, r.path, { body });
      if (needed === 'public') {
        publicRoutes.push(`${r.method} ${r.pattern}`);
        expect(`${r.method} ${r.pattern} -> ${anonymous.status}`).not.toMatch(/-> 40[13]$/);
        continue;
      }
      expect(`${r.method} ${r.pattern} -> ${anonymous.status}`).toBe(`${r.method} ${r.pattern} -> 401`);
      expect(anonymous.json.error.code).toBe('unauthenticated');
      const tooSmall: Scope | undefined = needed === 'admin' ? 'operate' : needed === 'operate' ? 'read' : undefined;
      if (tooSmall) {
        const denied = await send(r.method, r.path, { token: tokens[tooSmall], body });
        expect(`${r.method} ${r.pattern} as ${tooSmall} -> ${denied.status}`).toBe(
          `${r.method} ${r.pattern} as ${tooSmall} -> 403`,
        );
        expect(denied.json.error.code).toBe('insufficient_scope');
      }
      const allowed = await send(r.method, r.path, { token: tokens[needed], body });
      expect(`${r.method} ${r.pattern} as ${needed} -> ${allowed.status}`).not.toMatch(/-> 40[13]$/);
    }
    expect(publicRoutes.sort()).toEqual([
      'GET /healthz',
      'GET /login',
      'GET /readyz',
      'GET /static/:name',
      'POST /login',
      'POST /logout',
    ]);
  });

  test('a wrong or malformed token is 401', async () => {
    expect((await send('GET', '/api/runs', { token: 'nope' })).status).toBe(401);
    const res = await send('GET', '/api/runs', { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('Bearer');
  });

  test('/metrics needs read unless METRICS_PUBLIC', async () => {
    expect((await send('GET', '/metrics')).status).toBe(401);
    const scraped = await send('GET', '/metrics', { token: tokens.read });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('cyberbrain_http_requests_total');
    expect(scraped.text).toContain('cyberbrain_queue_depth');
    const open = buildTestApp(db, {
      config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN, METRICS_PUBLIC: 'true' }), logsDir },
    });
    expect((await open.handle(apiRequest('GET', '/metrics'))).status).toBe(200);
  });
});

describe('tokens', () => {
  test('the text is shown once; lists show a prefix; revoking ends access at once', async () => {
    const created = await send('POST', '/api/tokens', { token: ADMIN, body: { name: 'short-lived', scope: 'read' } });
    expect(created.json.token).toStartWith('cbt_');
    expect(created.json.token.startsWith(created.json.prefix)).toBe(true);
    expect((await send('GET', '/api/runs', { token: created.json.token })).status).toBe(200);
    const list = await send('GET', '/api/tokens', { token: ADMIN });
    expect(list.text).not.toContain(created.json.token);
    expect(list.json.find((t: { id: number }) => t.id === created.json.id).last_used_at).not.toBeNull();
    const [stored] = await db.sql<
      { token_hash: string }[]
    >`select token_hash from api_tokens where id = ${created.json.id}`;
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.token_hash).not.toContain(created.json.token);
    expect((await send('DELETE', `/api/tokens/${created.json.id}`, { token: ADMIN })).json.revoked_at).not.toBeNull();
    expect((await send('GET', '/api/runs', { token: created.json.token })).status).toBe(401);
  });

  test("approvals are recorded under the approver's name", async () => {
    const d3 = (await send('GET', '/api/directives', { token: tokens.read })).json.find(
      (d: { level: string }) => d.level === 'D3',
    );
    const run = await send('POST', '/api/runs', {
      token: tokens.operate,
      body: { tasks: ['echo'], directive_id: d3.id },
    });
    expect((await send('POST', `/api/runs/${run.json.id}/approve`, { token: tokens.operate })).status).toBe(403);
    const approved = await send('POST', `/api/runs/${run.json.id}/approve`, { token: ADMIN });
    expect(approved.json.decided_by).toBe('admin');
  });
});

describe('browser sessions, CSRF and origins', () => {
  async function login(token: string) {
    const res = await app.handle(
      new Request('http://localhost/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
        body: `token=${encodeURIComponent(token)}`,
      }),
    );
    return res;
  }

  test('a wrong token on the login page is refused and sets no cookie', async () => {
    const res = await login('wrong');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('not valid');
  });

  test('login sets an HttpOnly, SameSite=Strict cookie; changes need the CSRF token', async () => {
    const res = await login(tokens.operate);
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0]!;
    const me = await send('GET', '/api/session', { headers: { cookie: session } });
    expect(me.json).toMatchObject({ auth_enabled: true, scope: 'operate', kind: 'session' });
    const csrf = me.json.csrf_token as string;
    expect(csrf.length).toBeGreaterThan(20);

    const body = { tasks: ['echo'] };
    const without = await send('POST', '/api/runs', { body, headers: { cookie: session, origin: 'http://localhost' } });
    expect(without.status).toBe(403);
    expect(without.json.error.code).toBe('csrf_failed');
    const own = await send('POST', '/api/runs', {
      body,
      headers: { cookie: session, origin: 'http://localhost', 'x-csrf-token': csrf },
    });
    expect(own.status).toBe(201);
    const foreign = await send('POST', '/api/runs', {
      body,
      headers: { cookie: session, origin: 'https://evil.example', 'x-csrf-token': csrf },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('origin_not_allowed');

    const out = await app.handle(
      new Request('http://localhost/logout', {
        method: 'POST',
        headers: { cookie: session, origin: 'http://localhost' },
      }),
    );
    expect(out.status).toBe(303);
    expect((await send('GET', '/api/runs', { headers: { cookie: session } })).status).toBe(401);
  });

  test('a cross-site form post is refused; the same post from our own page works', async () => {
    const post = (origin: string, site: string) =>
      app.handle(
        new Request('http://localhost/login', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': site },
          body: `token=${encodeURIComponent(tokens.read)}`,
        }),
      );
    const foreign = await post('https://evil.example', 'cross-site');
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('origin_not_allowed');
    const own = await post('http://localhost', 'same-origin');
    expect(own.status).toBe(303);
    // The API takes JSON only, so a form aimed at it is refused before anything else.
    const toApi = await app.handle(
      new Request('http://localhost/api/runs', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: 'tasks=echo',
      }),
    );
    expect([403, 415]).toContain(toApi.status);
    const plain = await app.handle(
      new Request('http://localhost/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
        body: '{"tasks":["echo"]}',
      }),
    );
    expect(plain.status).toBeGreaterThanOrEqual(400);
    expect(plain.status).toBeLessThan(500);
  });

  test('DNS rebinding: a request addressed to an unknown host name is refused; IPs and allowed names pass', async () => {
    const rebind = await app.handle(
      new Request('http://attacker.example:9595/api/runs', { headers: { authorization: `Bearer ${tokens.read}` } }),
    );
    expect(rebind.status).toBe(403);
    expect((await rebind.json()).error.code).toBe('host_not_allowed');
    for (const url of [
      'http://127.0.0.1:9595/api/runs',
      'http://192.168.1.3:9595/api/runs',
      'http://[::1]:9595/api/runs',
      'http://cyberbrain.lan:9595/api/runs',
    ]) {
      const ok = await app.handle(new Request(url, { headers: { authorization: `Bearer ${tokens.read}` } }));
      expect(`${url} ${ok.status}`).toBe(`${url} 200`);
    }
    const allowedOrigin = await send('GET', '/api/runs', {
      token: tokens.read,
      headers: { origin: 'http://cyberbrain.lan:9595' },
    });
    expect(allowedOrigin.status).toBe(200);
  });

  test('with auth off on loopback, origin and host checks still apply and the API says auth is off', async () => {
    const open = buildTestApp(db, { tasks: testTasks(), config: { ...loadConfig({}), logsDir } });
    const index = await (await open.handle(apiRequest('GET', '/api'))).json();
    expect(index.auth.enabled).toBe(false);
    expect(index.auth.reason).toContain('loopback');
    expect(index.resources).toContain('/api/runs');
    const foreign = await open.handle(
      apiRequest('POST', '/api/runs', { tasks: ['echo'] }, { origin: 'https://evil.example' }),
    );
    expect(foreign.status).toBe(403);
    const rebind = await open.handle(new Request('http://attacker.example/api/runs'));
    expect(rebind.status).toBe(403);
  });
});
