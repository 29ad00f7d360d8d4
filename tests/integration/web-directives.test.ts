// The Directives pages: list (and the inactive toggle), create, edit as a new version, version history
// and a line diff; built-ins read-only; every directive text escaped; form posts need the session's
// CSRF token; readers see no forms. Effects are checked through the REST API.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { getPage, postForm, signIn } from '../support/web.ts';

const ADMIN = 'web-directives-admin-token-0123456789';
const XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>'];

let db: TestDatabase;
let app: App;
let session = '';
let csrf = '';
let readToken = '';

const api = (method: string, path: string, body?: unknown) =>
  callJson(app, method, path, body, { authorization: `Bearer ${ADMIN}` });

/** A page as a browser asks for it: the signed-in session unless other headers are given. */
const page = (path: string, headers: Record<string, string> = { cookie: session }) =>
  getPage(app, path, undefined, headers);

/** A form post as a browser sends it from our page, with the session's CSRF token unless told otherwise (null: none). */
async function post(path: string, fields: Record<string, string>, opts: { csrf?: string | null } = {}) {
  const r = await postForm(
    app,
    path,
    fields,
    { cookie: session, csrf },
    { csrf: opts.csrf === null ? false : opts.csrf },
  );
  return { status: r.status, location: r.location, html: r.text };
}

function expectNoRawXss(html: string) {
  for (const payload of XSS) expect(html).not.toContain(payload);
  expect(html).not.toMatch(/<img[^>]*onerror/i);
  expect(html).not.toMatch(/<script>alert/i);
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, { config: loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }) });
  ({ cookie: session, csrf } = await signIn(app, ADMIN));
  expect(csrf.length).toBeGreaterThan(20);
  const read = await api('POST', '/api/tokens', { name: 'reader', scope: 'read' });
  expect(read.status).toBe(201);
  readToken = read.json.token;
});
afterAll(async () => {
  await db.close();
});

describe('directives pages', () => {
  test('the list shows the built-ins with level and version; the create form carries the CSRF token', async () => {
    const r = await page('/directives');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toStartWith('text/html');
    expect(r.html).toContain('<title>Directives · Cyber-Brain</title>');
    expect(r.html).toContain('<h1>Directives</h1>');
    expect(r.html).toContain('read-only-diagnostics');
    expect(r.html).toContain('<th scope="col">Level</th>');
    expect(r.html).toContain('<h2>New directive</h2>');
    expect(r.html).toContain(`name="_csrf" value="${csrf}"`);
    expect(r.html).toContain('aria-current="page"');
    // every visible form field sits in a label
    const fields = r.html.match(/<(input|select|textarea)\b[^>]*>/g)!.filter((f) => !f.includes('type="hidden"'));
    expect(fields.length).toBeGreaterThan(4);
    for (const f of fields) {
      const at = r.html.indexOf(f);
      const open = r.html.lastIndexOf('<label', at);
      const close = r.html.lastIndexOf('</label>', at);
      expect(`${f} labelled`).toBe(open > close ? `${f} labelled` : `${f} NOT labelled`);
    }
  });

  test('create from the form: redirected to it; the API shows it; its text, title and name are escaped', async () => {
    const text = `Ignore 429s from sonarr.\n${XSS[0]}\n${XSS[1]}\nline four`;
    const created = await post('/directives', {
      name: 'quiet-sonarr',
      title: `Quiet ${XSS[1]}`,
      level: 'D2',
      body: text.replaceAll('\n', '\r\n'),
    });
    expect(created.status).toBe(303);
    const id = Number(/^\/directives\/(\d+)$/.exec(created.location!)![1]);
    const viaApi = await api('GET', `/api/directives/${id}`);
    expect(viaApi.json).toMatchObject({
      name: 'quiet-sonarr',
      level: 'D2',
      version: 1,
      body: text,
      title: `Quiet ${XSS[1]}`,
      is_builtin: false,
    });

    const r = await page(created.location!);
    expect(r.status).toBe(200);
    expect(r.html).toContain('<title>Directive quiet-sonarr · Cyber-Brain</title>');
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(r.html).toMatch(/<pre class="wrap"[^>]*>\nIgnore 429s from sonarr\.\n&lt;script&gt;/);
    expect(r.html).toContain('<h2>Edit</h2>');
    expectNoRawXss(r.html);
    // headings in order: one h1, then h2s
    const levels = [...r.html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);

    const list = await page('/directives');
    expect(list.html).toContain('quiet-sonarr');
    expect(list.html).toContain('Quiet &lt;img src=x onerror=alert(1)&gt;');
    expectNoRawXss(list.html);
  });

  test('edit saves a new version; history lists both; the diff marks added and removed lines, escaped', async () => {
    const d = (await api('GET', '/api/directives')).json.find((x: { name: string }) => x.name === 'quiet-sonarr');
    const newText = `Ignore 429s from sonarr.\n${XSS[0]}\nline four\nalso ignore radarr <b>timeouts</b>`;
    const saved = await post(`/directives/${d.id}`, {
      intent: 'edit',
      title: 'Quiet arrs',
      level: 'D2',
      body: newText.replaceAll('\n', '\r\n'),
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/directives/${d.id}`);
    const after = await api('GET', `/api/directives/${d.id}`);
    expect(after.json).toMatchObject({ version: 2, title: 'Quiet arrs', body: newText, approval_required: false });
    expect(
      (await api('GET', `/api/directives/${d.id}/versions`)).json.map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);

    const r = await page(`/directives/${d.id}?from=1&to=2`);
    expect(r.status).toBe(200);
    // newest first
    expect(r.html.indexOf('<tr data-version="2">')).toBeGreaterThan(0);
    expect(r.html.indexOf('<tr data-version="2">')).toBeLessThan(r.html.indexOf('<tr data-version="1">'));
    expect(r.html).toContain('Changes from v1 to v2');
    expect(r.html).toContain('<pre class="diff"');
    expect(r.html).toContain('<span class="del">- &lt;img src=x onerror=alert(1)&gt;\n</span>');
    expect(r.html).toContain('<span class="add">+ also ignore radarr &lt;b&gt;timeouts&lt;/b&gt;\n</span>');
    expect(r.html).toContain('<span>  Ignore 429s from sonarr.\n</span>');
    expect(r.html).toContain('Title: “Quiet &lt;img src=x onerror=alert(1)&gt;” → “Quiet arrs”');
    expect(r.html).toContain('1 line added, 1 removed.');
    expectNoRawXss(r.html);

    // reversed, and the default (the latest change) without a query
    const back = await page(`/directives/${d.id}?from=2&to=1`);
    expect(back.html).toContain('<span class="add">+ &lt;img src=x onerror=alert(1)&gt;\n</span>');
    expect((await page(`/directives/${d.id}`)).html).toContain('Changes from v1 to v2');
    // a version that does not exist, or not a number: said on the page, not an error
    const missing = await page(`/directives/${d.id}?from=1&to=9`);
    expect(missing.status).toBe(200);
    expect(missing.html).toContain('has no version 9');
    expect((await page(`/directives/${d.id}?from=x&to=1`)).html).toContain('Versions are numbers');

    // saving the same content makes no new version
    expect(
      (await post(`/directives/${d.id}`, { intent: 'edit', title: 'Quiet arrs', level: 'D2', body: newText })).status,
    ).toBe(303);
    expect((await api('GET', `/api/directives/${d.id}`)).json.version).toBe(2);
  });

  test('deactivate from the page: gone from the list unless inactive ones are shown', async () => {
    const d = (await api('GET', '/api/directives')).json.find((x: { name: string }) => x.name === 'quiet-sonarr');
    expect((await post(`/directives/${d.id}`, { intent: 'active', active: 'false' })).status).toBe(303);
    expect((await api('GET', `/api/directives/${d.id}`)).json).toMatchObject({ active: false, version: 2 });
    expect((await page('/directives')).html).not.toContain('quiet-sonarr');
    const all = await page('/directives?inactive=true');
    expect(all.html).toContain('quiet-sonarr');
    expect(all.html).toContain('name="inactive" value="true" checked');
    expect((await post(`/directives/${d.id}`, { intent: 'active', active: 'true' })).status).toBe(303);
    expect((await api('GET', `/api/directives/${d.id}`)).json.active).toBe(true);
  });

  test('a built-in is edited as through the API: the edit is a new version of it', async () => {
    const builtin = (await api('GET', '/api/directives')).json.find((x: { is_builtin: boolean }) => x.is_builtin);
    const r = await page(`/directives/${builtin.id}`);
    expect(r.status).toBe(200);
    expect(r.html).toContain('A built-in directive');
    expect(r.html).toContain('<h2>Edit</h2>');
    const saved = await post(`/directives/${builtin.id}`, {
      intent: 'edit',
      title: builtin.title,
      level: builtin.level,
      body: `${builtin.body}\nBe brief.`,
    });
    expect(saved.status).toBe(303);
    expect((await api('GET', `/api/directives/${builtin.id}`)).json).toMatchObject({
      version: builtin.version + 1,
      body: `${builtin.body}\nBe brief.`,
      is_builtin: true,
    });
  });

  test('bad form input is a 4xx page and writes nothing; an unknown directive is a 404 page', async () => {
    const before = (await api('GET', '/api/directives?include_inactive=true')).json.length;
    const badName = await post('/directives', { name: 'Has Spaces', title: 't', level: 'D1', body: 'x' });
    expect(badName.status).toBe(400);
    expect(badName.html).toContain('<!doctype html>');
    expect((await post('/directives', { name: 'ok-name', title: 't', level: 'D9', body: 'x' })).status).toBe(400);
    expect((await post('/directives', { name: 'quiet-sonarr', title: 't', level: 'D1', body: 'x' })).status).toBe(409);
    expect((await api('GET', '/api/directives?include_inactive=true')).json.length).toBe(before);
    const missing = await page('/directives/999999');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Not found');
  });

  test('a form post without the session CSRF token is refused and changes nothing', async () => {
    const before = (await api('GET', '/api/directives')).json.length;
    const none = await post('/directives', { name: 'no-token', title: 't', level: 'D1', body: 'x' }, { csrf: null });
    expect(none.status).toBe(403);
    const wrong = await post(
      '/directives',
      { name: 'no-token', title: 't', level: 'D1', body: 'x' },
      { csrf: 'not-the-token' },
    );
    expect(wrong.status).toBe(403);
    const d = (await api('GET', '/api/directives')).json.find((x: { name: string }) => x.name === 'quiet-sonarr');
    expect((await post(`/directives/${d.id}`, { intent: 'active', active: 'false' }, { csrf: null })).status).toBe(403);
    expect((await api('GET', '/api/directives')).json.length).toBe(before);
    // without any session: the browser is sent to sign in
    const anon = await app.handle(new Request('http://localhost/directives', { headers: { accept: 'text/html' } }));
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toStartWith('/login');
  });

  test('a reader sees the directives but no forms, and cannot post', async () => {
    const d = (await api('GET', '/api/directives')).json.find((x: { name: string }) => x.name === 'quiet-sonarr');
    const list = await page('/directives', { authorization: `Bearer ${readToken}` });
    expect(list.status).toBe(200);
    expect(list.html).toContain('quiet-sonarr');
    expect(list.html).not.toContain('method="post" action="/directives"');
    const one = await page(`/directives/${d.id}`, { authorization: `Bearer ${readToken}` });
    expect(one.html).not.toContain('<h2>Edit</h2>');
    expect(one.html).not.toContain('Deactivate');
    expect(one.html).toContain('Version history');
    const res = await app.handle(
      new Request('http://localhost/directives', {
        method: 'POST',
        headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=by-reader&title=t&level=D1&body=x',
      }),
    );
    expect(res.status).toBe(403);
  });
});
