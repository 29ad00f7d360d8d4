// The Settings page through app.handle(): authentication state and why, the effective configuration
// with no secret anywhere on the page, and for admins the API tokens: create (the text shown once, on
// the answer page, never in a URL), revoke (checked through REST), and the token routes refused to
// smaller scopes, to posts without the CSRF token, and to bad input.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { getPage, postForm, signIn, type BrowserSession } from '../support/web.ts';

const ADMIN = 'settings-admin-token-S3cr3t-0123456789';
const LLM_KEY = 'llm-api-key-Sup3rSecret-abcdef';
const DB_PASSWORD = 'db-pa55word-Zz9';
const QUERY_KEY = 'query-key-Qq7-secret';
const SECRETS = [ADMIN, LLM_KEY, DB_PASSWORD, QUERY_KEY, encodeURIComponent(DB_PASSWORD)];
const logsDir = mkdtempSync(join(tmpdir(), 'cb-web-settings-'));
let db: TestDatabase;
let app: App;
let session: BrowserSession;

const api = async (method: string, path: string, body?: unknown, token = ADMIN) => {
  const res = await app.handle(apiRequest(method, path, body, { authorization: `Bearer ${token}` }));
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as any };
};
const tokenCount = async () => Number((await db.sql<{ n: number }[]>`select count(*)::int as n from api_tokens`)[0]!.n);

/** A page fetched with a bearer token, as a script that asks for HTML would. */
const pageWithToken = async (path: string, token: string, method = 'GET', form?: Record<string, string>) => {
  const res = await app.handle(
    new Request(`http://localhost${path}`, {
      method,
      headers: {
        accept: 'text/html',
        authorization: `Bearer ${token}`,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' } : {}),
      },
      body: form ? new URLSearchParams(form) : undefined,
    }),
  );
  return { status: res.status, html: await res.text() };
};

beforeAll(async () => {
  db = await openTestDatabase();
  const config = loadConfig({
    CYBER_BRAIN_TOKEN: ADMIN,
    LLM_API_KEY: LLM_KEY,
    DATABASE_URL: `postgres://cyberbrain:${DB_PASSWORD}@127.0.0.1:5432/cyberbrain`,
    LLM_BASE_URL: `http://127.0.0.1:11434/v1?api_key=${QUERY_KEY}`,
    LLM_MODEL: 'qwen<script>alert(1)</script>',
  });
  app = buildTestApp(db, { config: { ...config, logsDir } });
  session = await signIn(app, ADMIN);
});
afterAll(async () => {
  await db.close();
  rmSync(logsDir, { recursive: true, force: true });
});

describe('configuration', () => {
  test('auth on and why, every variable listed, and no secret anywhere on the page', async () => {
    const page = await getPage(app, '/settings', session);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<title>Settings · Cyber-Brain</title>');
    expect(page.html).toContain('CYBER_BRAIN_TOKEN is set');
    for (const name of [
      'HOST',
      'DATABASE_URL',
      'CYBER_BRAIN_TOKEN',
      'LLM_API_KEY',
      'LLM_BASE_URL',
      'GPU_HOT_TEMPERATURE_C',
      'LOG_TRIAGE_MAX_LINES',
    ])
      expect(page.html).toContain(`<code>${name}</code>`);
    for (const secret of SECRETS) expect(page.html).not.toContain(secret);
    expect(page.html).toContain('postgres://cyberbrain:********@127.0.0.1:5432/cyberbrain');
    expect(page.html).toContain('http://127.0.0.1:11434/v1?api_key=********');
    expect(page.html).toMatch(/<code>CYBER_BRAIN_TOKEN<\/code><\/td><td><code class="secret">set \(hidden\)<\/code>/);
    expect(page.html).toMatch(/<code>LLM_API_KEY<\/code><\/td><td><code class="secret">set \(hidden\)<\/code>/);
    // a configured text is escaped like any other
    expect(page.html).toContain('qwen&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert(1)');
    for (const th of page.html.match(/<th[ >][\s\S]*?<\/th>/g) ?? []) expect(th).toStartWith('<th scope="col"');
  });

  test('with authentication off the page says so and why', async () => {
    const off = buildTestApp(db, { config: { ...loadConfig({}), logsDir } });
    const page = await getPage(off, '/settings');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<span class="badge warn">off</span>');
    expect(page.html).toContain('bound to loopback (127.0.0.1) without CYBER_BRAIN_TOKEN');
    expect(page.html).toMatch(/<code>CYBER_BRAIN_TOKEN<\/code><\/td><td><code class="secret">not set<\/code>/);
  });

  test('without a session a browser is sent to sign in; a script without a token gets 401', async () => {
    const page = await getPage(app, '/settings');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fsettings');
    expect((await app.handle(apiRequest('GET', '/settings'))).status).toBe(401);
  });
});

describe('tokens', () => {
  test('create shows the text once, on the answer page; the list keeps only the prefix; revoke ends it', async () => {
    const before = await tokenCount();
    const res = await postForm(
      app,
      '/settings/tokens',
      { name: 'backup <img src=x onerror=alert(2)>', scope: 'read' },
      session,
    );
    expect(res.status).toBe(201);
    expect(res.location).toBeNull();
    const texts = res.text.match(/cbt_[A-Za-z0-9_-]{20,}/g) ?? [];
    expect(texts.length).toBe(1);
    const token = texts[0]!;
    expect(res.text).toContain('shown only this once');
    expect(res.text).toContain('backup &lt;img src=x onerror=alert(2)&gt;');
    expect(res.text).not.toContain('<img src=x');
    expect(await tokenCount()).toBe(before + 1);

    const listed = (await api('GET', '/api/tokens')).json as any[];
    const mine = listed.find((t) => t.name === 'backup <img src=x onerror=alert(2)>');
    expect(mine.scope).toBe('read');
    expect(mine.revoked_at).toBeNull();
    expect(token.startsWith(mine.prefix)).toBe(true);
    expect((await api('GET', '/api/runs', undefined, token)).status).toBe(200);

    const page = await getPage(app, '/settings', session);
    expect(page.html).not.toContain(token);
    expect(page.html).toContain(`<code>${mine.prefix}…</code>`);
    expect(page.html).toContain(`action="/settings/tokens/${mine.id}/revoke"`);

    const revoked = await postForm(app, `/settings/tokens/${mine.id}/revoke`, {}, session);
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe('/settings#tokens');
    const after = ((await api('GET', '/api/tokens')).json as any[]).find((t) => t.id === mine.id);
    expect(after.revoked_at).not.toBeNull();
    expect((await api('GET', '/api/runs', undefined, token)).status).toBe(401);
    const again = await getPage(app, '/settings', session);
    expect(again.html).not.toContain(`action="/settings/tokens/${mine.id}/revoke"`);
  });

  test('read and operate scopes see the configuration but not the tokens, and their posts are refused (403)', async () => {
    const victim = (await api('POST', '/api/tokens', { name: 'victim', scope: 'read' })).json;
    for (const scope of ['read', 'operate'] as const) {
      const token = (await api('POST', '/api/tokens', { name: `${scope}-viewer`, scope })).json.token as string;
      const page = await pageWithToken('/settings', token);
      expect(page.status).toBe(200);
      expect(page.html).toContain('<h2 id="config">Configuration</h2>');
      expect(page.html).not.toContain('id="tokens"');
      expect(page.html).not.toContain('victim');
      for (const secret of SECRETS) expect(page.html).not.toContain(secret);

      const before = await tokenCount();
      expect((await pageWithToken('/settings/tokens', token, 'POST', { name: 'sneaky', scope: 'admin' })).status).toBe(
        403,
      );
      expect((await pageWithToken(`/settings/tokens/${victim.id}/revoke`, token, 'POST', {})).status).toBe(403);
      const browser = await signIn(app, token);
      expect((await postForm(app, '/settings/tokens', { name: 'sneaky', scope: 'admin' }, browser)).status).toBe(403);
      expect((await postForm(app, `/settings/tokens/${victim.id}/revoke`, {}, browser)).status).toBe(403);
      expect(await tokenCount()).toBe(before);
    }
    expect(((await api('GET', '/api/tokens')).json as any[]).find((t) => t.id === victim.id).revoked_at).toBeNull();
  });

  test('without the CSRF token, from another site, or with bad input: refused and nothing written', async () => {
    const before = await tokenCount();
    expect(
      (await postForm(app, '/settings/tokens', { name: 'x', scope: 'read' }, session, { csrf: false })).status,
    ).toBe(403);
    expect(
      (
        await postForm(app, '/settings/tokens', { name: 'x', scope: 'read' }, session, {
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    const bad: Record<string, string>[] = [
      { name: '   ', scope: 'read' },
      { name: '', scope: 'read' },
      { name: 'x', scope: 'root' },
      { name: 'x'.repeat(101), scope: 'read' },
      { scope: 'read' },
      { name: 'x' },
    ];
    for (const fields of bad) {
      const res = await postForm(app, '/settings/tokens', fields, session);
      expect(`${JSON.stringify(fields).slice(0, 60)} -> ${res.status}`).toMatch(/-> 4\d\d$/);
      expect(res.text).toContain('<!doctype html>');
    }
    expect(await tokenCount()).toBe(before);
    for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999'])
      expect((await postForm(app, `/settings/tokens/${id}/revoke`, {}, session)).status).toBeGreaterThanOrEqual(400);
    expect((await postForm(app, '/settings/tokens/99999999/revoke', {}, session)).status).toBe(404);
  });
});
