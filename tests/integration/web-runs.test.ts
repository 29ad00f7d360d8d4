// The web UI's dashboard, runs and run pages through app.handle(), as a browser uses them: sign-in
// redirects, forms with the session's CSRF token, launches recorded as trigger "web", bad form input
// answered with a 4xx and nothing written, escaped text, and the page headers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { testTasks } from '../support/test-tasks.ts';
import { getPage, postForm, signIn, type BrowserSession } from '../support/web.ts';

const ADMIN = 'web-admin-token-0123456789abcdef';
let db: TestDatabase;
let app: App;
let session: BrowserSession;
const logsDir = mkdtempSync(join(tmpdir(), 'cb-web-'));

const api = async (method: string, path: string, body?: unknown) => {
  const res = await app.handle(apiRequest(method, path, body, { authorization: `Bearer ${ADMIN}` }));
  return { status: res.status, json: (await res.json()) as any };
};
const runCount = async () => Number((await db.sql<{ n: number }[]>`select count(*)::int as n from runs`)[0]!.n);

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, { tasks: testTasks(), config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir } });
  session = await signIn(app, ADMIN);
});
afterAll(async () => {
  await db.close();
  rmSync(logsDir, { recursive: true, force: true });
});

describe('signing in', () => {
  test('a browser without a session is sent to sign in and back; an API client gets 401', async () => {
    const page = await getPage(app, '/runs?status=queued');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fruns%3Fstatus%3Dqueued');
    const res = await app.handle(apiRequest('GET', '/runs'));
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe('unauthenticated');
  });

  test('login returns to the page asked for, never to another site', async () => {
    const form = (next: string) =>
      app.handle(
        new Request('http://localhost/login', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: ADMIN, next }),
        }),
      );
    expect((await form('/runs?status=queued')).headers.get('location')).toBe('/runs?status=queued');
    for (const hostile of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      expect((await form(hostile)).headers.get('location')).toBe('/');
    }
    const login = await getPage(app, '/login?next=%2Fgpu');
    expect(login.html).toContain('name="next" value="/gpu"');
  });
});

describe('pages', () => {
  test('the dashboard shows health, each task with a Run now button, and the token chart', async () => {
    const page = await getPage(app, '/', session);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<title>Dashboard · Cyber-Brain</title>');
    for (const part of ['Database', 'Docker', 'Model', 'Model tokens per day', '<svg'])
      expect(page.html).toContain(part);
    for (const task of testTasks().catalog()) expect(page.html).toContain(`value="${task.key}"`);
    expect(page.html).toContain(`name="_csrf" value="${session.csrf}"`);
  });

  test('pages carry a strict content security policy and no inline script', async () => {
    for (const path of ['/', '/runs', '/login']) {
      const page = await getPage(app, path, session);
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline'; script");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  test('static files: Alpine and our script as JavaScript, an unknown name is 404', async () => {
    const alpine = await app.handle(apiRequest('GET', '/static/alpine.js'));
    expect(alpine.status).toBe(200);
    expect(alpine.headers.get('content-type')).toStartWith('text/javascript');
    expect(await alpine.text()).toContain('Alpine');
    expect((await app.handle(apiRequest('GET', '/static/app.css'))).headers.get('content-type')).toStartWith(
      'text/css',
    );
    expect((await app.handle(apiRequest('GET', '/static/..%2Fpackage.json'))).status).toBe(404);
    expect((await app.handle(apiRequest('GET', '/static/nope.js'))).status).toBe(404);
  });
});

describe('launching from the Runs page', () => {
  test('the form launches the chosen tasks as trigger "web" and shows the run', async () => {
    const res = await postForm(
      app,
      '/runs',
      [
        ['tasks', 'echo'],
        ['mode', 'directive'],
      ],
      session,
    );
    expect(res.status).toBe(303);
    const id = Number(/^\/runs\/(\d+)$/.exec(res.location ?? '')?.[1]);
    const run = (await api('GET', `/api/runs/${id}`)).json;
    expect(run.trigger).toBe('web');
    expect(run.tasks).toEqual(['echo']);
    expect(run.directive.name).toBe('read-only-diagnostics');
    const page = await getPage(app, `/runs/${id}`, session);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-run-status="${id}"`);
  });

  test('custom text is escaped wherever it is shown', async () => {
    const text = 'Look at <script>alert(1)</script> and <img src=x onerror=alert(2)>';
    const res = await postForm(
      app,
      '/runs',
      [
        ['tasks', 'echo'],
        ['tasks', 'probe'],
        ['mode', 'custom'],
        ['directive_text', text],
      ],
      session,
    );
    expect(res.status).toBe(303);
    const id = Number(res.location!.split('/').pop());
    expect((await api('GET', `/api/runs/${id}`)).json.tasks).toEqual(['echo', 'probe']);
    const page = await getPage(app, `/runs/${id}`, session);
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).not.toContain('<img src=x');
  });

  test('without the CSRF token, or from another site, nothing is launched', async () => {
    const before = await runCount();
    const noToken = await postForm(app, '/runs', { tasks: 'echo' }, session, { csrf: false });
    expect(noToken.status).toBe(403);
    const foreign = await postForm(app, '/runs', { tasks: 'echo' }, session, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await runCount()).toBe(before);
  });

  test('bad form input is a 4xx page and writes nothing', async () => {
    const before = await runCount();
    const cases: [string, string][][] = [
      [['tasks', 'no_such_task']],
      [['tasks', 'BAD TASK']],
      [
        ['tasks', 'echo'],
        ['mode', 'custom'],
        ['directive_text', '   '],
      ],
      [
        ['tasks', 'echo'],
        ['directive_id', '99999999'],
      ],
      [
        ['tasks', 'echo'],
        ['directive_id', 'abc'],
      ],
      [
        ['tasks', 'echo'],
        ['mode', 'sideways'],
      ],
      [
        ['tasks', 'echo'],
        ['service_map_scope', 'everything'],
      ],
      [['tasks', 'x'.repeat(5000)]],
    ];
    for (const fields of cases) {
      const res = await postForm(app, '/runs', fields, session);
      expect(`${JSON.stringify(fields).slice(0, 80)} -> ${res.status}`).toMatch(/-> 4\d\d$/);
      expect(res.text).toContain('<!doctype html>');
    }
    expect(await runCount()).toBe(before);
  });

  test('filters: a bad value is a 400 page; a good one lists only matching runs', async () => {
    expect((await getPage(app, '/runs?status=bogus', session)).status).toBe(400);
    expect((await getPage(app, '/runs?before=-1', session)).status).toBe(400);
    const cancelled = await postForm(app, '/runs', { tasks: 'stuck' }, session);
    const id = Number(cancelled.location!.split('/').pop());
    expect((await postForm(app, `/runs/${id}/cancel`, {}, session)).location).toBe(`/runs/${id}`);
    expect((await api('GET', `/api/runs/${id}`)).json.status).toBe('cancelled');
    const list = await getPage(app, '/runs?status=cancelled&task=', session);
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="/runs/${id}"`);
    expect(list.html).not.toMatch(/data-status="queued"/);
  });

  test('a run that does not exist is a 404 page for a browser and the JSON error for a script', async () => {
    const page = await getPage(app, '/runs/987654', session);
    expect(page.status).toBe(404);
    expect(page.html).toContain('run 987654 not found');
    const res = await app.handle(apiRequest('GET', '/runs/987654', undefined, { authorization: `Bearer ${ADMIN}` }));
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe('not_found');
  });
});
