// The Watch page: the "watch my containers" preset in one click, pause/resume, a destination added
// from the form (its secrets never shown), a test message from the page, a rule; names escaped; posts
// need the session's CSRF token; a reader sees no forms. Effects are checked through the REST API.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { productTasks } from '../../src/tasks/index.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { getPage, postForm, signIn } from '../support/web.ts';

const ADMIN = 'web-watch-admin-token-0123456789abcdef';
const XSS = '<img src=x onerror=alert(1)>';
let db: TestDatabase;
let app: App;
let receiver: HttpReceiver;
let session = '';
let csrf = '';

const api = (method: string, path: string, body?: unknown) =>
  callJson(app, method, path, body, { authorization: `Bearer ${ADMIN}` });
const page = (path: string, headers: Record<string, string> = { cookie: session }) =>
  getPage(app, path, undefined, headers);
const post = (path: string, fields: Record<string, string>, opts: { csrf?: string | null } = {}) =>
  postForm(app, path, fields, { cookie: session, csrf }, { csrf: opts.csrf === null ? false : opts.csrf });

beforeAll(async () => {
  db = await openTestDatabase();
  receiver = startHttpReceiver();
  const config = loadConfig({ CYBER_BRAIN_TOKEN: ADMIN });
  app = buildTestApp(db, { config, tasks: productTasks(config) });
  ({ cookie: session, csrf } = await signIn(app, ADMIN));
});
afterAll(async () => {
  await receiver.close();
  await db.close();
});

describe('watch page', () => {
  test('a fresh install has no schedules; the preset is one click; pause and resume', async () => {
    const empty = await page('/watch');
    expect(empty.status).toBe(200);
    expect(empty.html).toContain('No schedules.');
    expect(empty.html).toContain('Watch my containers');
    expect((await post('/watch/preset', {}, { csrf: null })).status).toBe(403);
    expect((await api('GET', '/api/schedules')).json.schedules).toEqual([]);
    const r = await post('/watch/preset', {});
    expect(r.status).toBe(303);
    const list = (await api('GET', '/api/schedules')).json.schedules;
    expect(list.map((s: { tasks: string[]; cron: string }) => `${s.tasks[0]} ${s.cron}`)).toEqual([
      'log_triage */15 * * * *',
      'service_map 0 6 * * *',
    ]);
    const shown = await page('/watch');
    expect(shown.html).toContain('<code>*/15 * * * *</code>');
    await post(`/watch/schedules/${list[0].id}`, { intent: 'pause' });
    expect((await api('GET', `/api/schedules/${list[0].id}`)).json.enabled).toBe(false);
    expect((await page('/watch')).html).toContain('paused');
    await post(`/watch/schedules/${list[0].id}`, { intent: 'resume' });
    expect((await api('GET', `/api/schedules/${list[0].id}`)).json.enabled).toBe(true);
    const bad = await post('/watch/schedules', { name: 'x', tasks: 'log_triage', timing: 'every', every_seconds: '2' });
    expect(bad.status).toBe(400);
  });

  test('a destination from the form: secrets never on the page; send test; a rule; names escaped', async () => {
    const r = await post('/watch/destinations', {
      name: `hook ${XSS}`,
      kind: 'webhook',
      url: `${receiver.url}/hook/PAGE-SECRET`,
      secret: 'PAGE-HMAC',
    });
    expect(r.status).toBe(303);
    const [dest] = (await api('GET', '/api/notifications/destinations')).json.destinations;
    const html = (await page('/watch')).html;
    expect(html).not.toContain('PAGE-SECRET');
    expect(html).not.toContain('PAGE-HMAC');
    expect(html).not.toContain(XSS);
    const tested = await post(`/watch/destinations/${dest.id}`, { intent: 'test' });
    expect(tested.status).toBe(303);
    expect(tested.location).toContain('tested=delivered');
    expect(receiver.requests.map((x) => x.path)).toEqual(['/hook/PAGE-SECRET']);
    expect((await page('/watch')).html).toContain('data-status="delivered"');
    expect(
      (
        await post('/watch/rules', {
          name: 'exits',
          destination_id: String(dest.id),
          events: 'container_died',
          containers: 'web-*',
          group_seconds: '5',
        })
      ).status,
    ).toBe(303);
    const [rule] = (await api('GET', '/api/notifications/rules')).json.rules;
    expect(rule).toMatchObject({ events: ['container_died'], containers: { names: ['web-*'] }, group_seconds: 5 });
    const read = await api('POST', '/api/tokens', { name: 'reader', scope: 'read' });
    const reader = await page('/watch', { authorization: `Bearer ${read.json.token}` });
    expect(reader.status).toBe(200);
    expect(reader.html).not.toContain('<form');
  });
});
