// Notifications end to end on loopback: destinations (secrets masked, bad input refused), a real
// receiver per kind checking the exact request its service documents, an SMTP server receiving the
// mail, grouping into one message per destination, quiet-unless-new, retries until dead, send-test
// and the delivery log.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { createHmac } from 'node:crypto';
import { systemClock } from '../../src/clock.ts';
import { EventBus } from '../../src/events/bus.ts';
import { silentLogger } from '../../src/log.ts';
import { flushGroups, deliverDue, type DeliveryCtx } from '../../src/service/notify-delivery.ts';
import { ingestSignal, type WatchSignal } from '../../src/service/notify-signals.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../support/receivers.ts';
import { loadConfig } from '../../src/config.ts';

let db: TestDatabase;
let http: HttpReceiver;
let smtp: SmtpReceiver;
const config = loadConfig({
  CYBER_BRAIN_PUBLIC_URL: 'http://cb.lan:9595',
  NOTIFY_MAX_ATTEMPTS: '3',
  NOTIFY_RETRY_BASE_MS: '20',
});
let app: ReturnType<typeof buildTestApp>;
let ctx: DeliveryCtx;

beforeAll(async () => {
  db = await openTestDatabase();
  http = startHttpReceiver();
  smtp = await startSmtpReceiver({ user: 'cb', password: 'mail-pass-123' });
  app = buildTestApp(db, { config });
  ctx = { db, clock: systemClock, events: new EventBus(), logger: silentLogger, notify: config.notify, owner: 'test' };
});
afterAll(async () => {
  await http.close();
  await smtp.close();
  await db.close();
});
beforeEach(async () => {
  await db.sql`delete from notification_destinations`;
  await db.sql`delete from notification_incidents`;
  http.requests.length = 0;
  http.status = 200;
  smtp.mails.length = 0;
});

const signal = (over: Partial<WatchSignal> = {}): WatchSignal => ({
  event: 'crash_loop',
  severity: 'critical',
  incident_key: `crash_loop:flaky-cron:${Math.random()}`,
  container: { name: 'flaky-cron', id: null, compose_project: 'lab', labels: {} },
  title: 'flaky-cron: crash loop',
  line: 'flaky-cron: crash loop, 7 restarts',
  count: 7,
  first_seen: new Date('2026-07-01T12:22:00Z'),
  run_id: 42,
  ...over,
});

async function destination(body: Record<string, unknown>): Promise<number> {
  const r = await callJson(app, 'POST', '/api/notifications/destinations', body);
  expect(r.status).toBe(201);
  return r.json.id;
}
async function rule(destination_id: number, over: Record<string, unknown> = {}): Promise<number> {
  const r = await callJson(app, 'POST', '/api/notifications/rules', {
    name: `r-${destination_id}-${Math.random()}`,
    destination_id,
    events: ['crash_loop', 'new_error_pattern'],
    containers: { projects: ['lab'] },
    group_seconds: 0,
    ...over,
  });
  expect(r.status).toBe(201);
  return r.json.id;
}
async function pump(): Promise<void> {
  await flushGroups(ctx);
  await deliverDue(ctx);
}

describe('destinations', () => {
  test('secrets are stored, shown masked and never echoed; bad input is a 4xx that writes nothing', async () => {
    const bad = [
      { name: 'x', kind: 'pager' },
      { name: 'x', kind: 'webhook' },
      { name: 'x', kind: 'webhook', url: 'ftp://example.invalid/hook' },
      { name: 'x', kind: 'gotify', url: 'http://127.0.0.1:1' },
      { name: 'x', kind: 'discord', url: 'http://127.0.0.1:1/a', token: 'nope' },
      { name: 'x', kind: 'email', host: 'mail', port: 25, security: 'none', from: 'a@b.c' },
      {
        name: 'x',
        kind: 'email',
        host: 'mail',
        port: 25,
        security: 'none',
        from: 'a@b.c',
        to: ['d@e.f'],
        password: 'p',
      },
      { name: 'x', kind: 'webhook', url: 'http://127.0.0.1:1/a', extra: 1 },
    ];
    for (const body of bad) {
      const r = await callJson(app, 'POST', '/api/notifications/destinations', body);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.text).not.toContain('127.0.0.1:1');
    }
    expect((await callJson(app, 'GET', '/api/notifications/destinations')).json.destinations).toEqual([]);

    const id = await destination({
      name: 'hook',
      kind: 'webhook',
      url: `${http.url}/hook/tok-SECRET-1`,
      secret: 'hmac-SECRET-2',
    });
    const shown = await callJson(app, 'GET', `/api/notifications/destinations/${id}`);
    expect(shown.json.fields).toEqual({ url: `${http.url}/****`, secret: '****' });
    const listed = await callJson(app, 'GET', '/api/notifications/destinations');
    for (const t of [shown.text, listed.text]) expect(t).not.toMatch(/SECRET/);
    // an edit without the secret keeps it; null removes it
    const renamed = await callJson(app, 'PATCH', `/api/notifications/destinations/${id}`, { name: 'hook 2' });
    expect(renamed.json.fields.secret).toBe('****');
    const unsigned = await callJson(app, 'PATCH', `/api/notifications/destinations/${id}`, { secret: null });
    expect(unsigned.json.fields.secret).toBeUndefined();
    expect((await callJson(app, 'PATCH', `/api/notifications/destinations/${id}`, { host: 'x' })).status).toBe(400);
    expect(
      (
        await callJson(app, 'POST', '/api/notifications/rules', {
          name: 'r',
          destination_id: 999999,
          events: ['oom_killed'],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await callJson(app, 'POST', '/api/notifications/rules', {
          name: 'r',
          destination_id: id,
          events: ['everything'],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await callJson(app, 'POST', '/api/notifications/rules', {
          name: 'r',
          destination_id: id,
          events: ['oom_killed'],
          group_seconds: -1,
        })
      ).status,
    ).toBe(400);
    expect((await callJson(app, 'GET', '/api/notifications/rules')).json.rules).toEqual([]);
    const r = await callJson(app, 'POST', '/api/notifications/rules', {
      name: 'r',
      destination_id: id,
      events: ['oom_killed'],
    });
    expect(r.json).toMatchObject({
      containers: null,
      min_severity: 'warning',
      cooldown_seconds: 0,
      group_seconds: 10,
      enabled: true,
    });
    expect((await callJson(app, 'DELETE', `/api/notifications/destinations/${id}`)).status).toBe(204);
    expect((await callJson(app, 'GET', `/api/notifications/rules/${r.json.id}`)).status).toBe(404);
  });
});

describe('each kind sends the request its service documents', () => {
  test('webhook JSON with HMAC-SHA256 signature, ntfy headers, Discord embeds, Slack blocks, Gotify JSON, e-mail over STARTTLS', async () => {
    const ids = {
      webhook: await destination({ name: 'webhook', kind: 'webhook', url: `${http.url}/webhook`, secret: 's3cret' }),
      ntfy: await destination({ name: 'ntfy', kind: 'ntfy', url: `${http.url}/ntfy/lab-alerts`, token: 'tk_ntfy' }),
      discord: await destination({ name: 'discord', kind: 'discord', url: `${http.url}/api/webhooks/1/abc` }),
      slack: await destination({ name: 'slack', kind: 'slack', url: `${http.url}/services/T/B/x` }),
      gotify: await destination({ name: 'gotify', kind: 'gotify', url: `${http.url}/gotify`, token: 'AppTok' }),
      email: await destination({
        name: 'mail',
        kind: 'email',
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        allow_self_signed: true,
        username: 'cb',
        password: 'mail-pass-123',
        from: 'cb@lab.lan',
        to: ['ops@lab.lan'],
      }),
    };
    for (const id of Object.values(ids)) await rule(id);
    const s = signal();
    expect(await ingestSignal(ctx, s)).toEqual({ queued: 6 });
    await pump();
    const reqs = await http.waitFor(5);
    const by = (p: string) => reqs.find((r) => r.path.startsWith(p))!;

    const hook = by('/webhook');
    expect(hook.headers['content-type']).toBe('application/json');
    const body = JSON.parse(hook.body);
    expect(Object.keys(body)).toEqual([
      'id',
      'event',
      'severity',
      'host',
      'container',
      'title',
      'text',
      'count',
      'first_seen',
      'run_id',
      'url',
    ]);
    expect(body).toMatchObject({
      event: 'crash_loop',
      severity: 'critical',
      container: 'flaky-cron',
      title: 'flaky-cron: crash loop',
      text: 'flaky-cron: crash loop, 7 restarts',
      count: 7,
      first_seen: '2026-07-01T12:22:00.000Z',
      run_id: 42,
      url: 'http://cb.lan:9595/runs/42',
    });
    expect(body.id).toStartWith('cb-');
    expect(hook.headers['x-cyberbrain-signature']).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(hook.body).digest('hex')}`,
    );

    const ntfy = by('/ntfy/lab-alerts');
    expect(ntfy.headers).toMatchObject({
      title: 'flaky-cron: crash loop',
      priority: '5',
      authorization: 'Bearer tk_ntfy',
      click: 'http://cb.lan:9595/runs/42',
    });
    expect(ntfy.headers.tags).toBe('rotating_light,crash_loop');
    expect(ntfy.body).toBe('flaky-cron: crash loop, 7 restarts');

    const discord = JSON.parse(by('/api/webhooks/1/abc').body);
    expect(discord.content).toBe('flaky-cron: crash loop');
    expect(discord.embeds).toEqual([
      {
        title: 'flaky-cron: crash loop',
        description: 'flaky-cron: crash loop, 7 restarts',
        color: 0x8b0000,
        timestamp: '2026-07-01T12:22:00.000Z',
        url: 'http://cb.lan:9595/runs/42',
      },
    ]);

    const slack = JSON.parse(by('/services/T/B/x').body);
    expect(slack.text).toBe('flaky-cron: crash loop');
    expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'flaky-cron: crash loop' } });
    expect(slack.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'flaky-cron: crash loop, 7 restarts' },
    });

    const gotify = by('/gotify/message');
    expect(gotify.headers['x-gotify-key']).toBe('AppTok');
    expect(JSON.parse(gotify.body)).toMatchObject({
      title: 'flaky-cron: crash loop',
      message: 'flaky-cron: crash loop, 7 restarts',
      priority: 10,
    });

    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({ from: 'cb@lab.lan', to: ['ops@lab.lan'], secure: true, user: 'cb' });
    expect(mail!.raw).toContain('Subject: flaky-cron: crash loop');
    expect(mail!.raw).toContain('flaky-cron: crash loop, 7 restarts');
    expect(mail!.raw).toContain('http://cb.lan:9595/runs/42');

    const log = await callJson(app, 'GET', '/api/notifications/deliveries');
    expect(log.json.deliveries).toHaveLength(6);
    expect(
      log.json.deliveries.every(
        (d: { status: string; attempts: number }) => d.status === 'delivered' && d.attempts === 1,
      ),
    ).toBe(true);
    // delivered text is erased from the database; the log keeps the title
    const stored = await db.sql<{ message: Record<string, unknown> }[]>`select message from notification_outbox`;
    expect(JSON.stringify(stored)).not.toContain('7 restarts');
  });
});

describe('grouping and quiet-unless-new', () => {
  test('events inside the window become one message per destination; the first waits at most group_seconds', async () => {
    const a = await destination({ name: 'a', kind: 'webhook', url: `${http.url}/a` });
    const b = await destination({ name: 'b', kind: 'webhook', url: `${http.url}/b` });
    await rule(a, { group_seconds: 1 });
    await rule(b, { group_seconds: 1 });
    const started = Date.now();
    await ingestSignal(ctx, signal());
    await ingestSignal(
      ctx,
      signal({
        event: 'new_error_pattern',
        severity: 'error',
        container: { name: 'webapp', id: null, compose_project: 'lab', labels: {} },
        title: 'webapp: new error pattern',
        line: "webapp: new error ×148 'connection refused to <*> after <*> retries' since 12:22",
        count: 148,
      }),
    );
    await pump();
    expect(http.requests).toHaveLength(0);
    while (http.requests.length < 2 && Date.now() - started < 3000) {
      await Bun.sleep(50);
      await pump();
    }
    const reqs = await http.waitFor(2);
    expect(reqs.map((r) => r.path).sort()).toEqual(['/a', '/b']);
    for (const r of reqs) {
      const body = JSON.parse(r.body);
      expect(body.text).toBe(
        "flaky-cron: crash loop, 7 restarts\nwebapp: new error ×148 'connection refused to <*> after <*> retries' since 12:22",
      );
      expect(body.count).toBe(155);
      expect(body.container).toBeNull();
      expect(r.at - started).toBeLessThan(1000 + 1500);
      expect(r.at - started).toBeGreaterThanOrEqual(1000);
    }
  });

  test('an incident is announced once, again only when it doubles; other containers and low severities stay out', async () => {
    const a = await destination({ name: 'a', kind: 'webhook', url: `${http.url}/a` });
    await rule(a, { min_severity: 'error' });
    const key = 'crash_loop:steady-test';
    expect(await ingestSignal(ctx, signal({ incident_key: key, count: 3 }))).toEqual({ queued: 1 });
    expect(await ingestSignal(ctx, signal({ incident_key: key, count: 4 }))).toEqual({ queued: 0, quiet: 'known' });
    expect(await ingestSignal(ctx, signal({ incident_key: key, count: 6 }))).toEqual({ queued: 1 });
    expect(
      await ingestSignal(
        ctx,
        signal({ container: { name: 'other', id: null, compose_project: 'elsewhere', labels: {} } }),
      ),
    ).toEqual({ queued: 0, quiet: 'no_rule' });
    expect(await ingestSignal(ctx, signal({ event: 'new_error_pattern', severity: 'warning' }))).toEqual({
      queued: 0,
      quiet: 'no_rule',
    });
    expect(await ingestSignal(ctx, signal({ event: 'oom_killed' }))).toEqual({ queued: 0, quiet: 'no_rule' });
  });
});

describe('delivery', () => {
  test('a receiver that is down: retries with backoff, then dead, visible in the log; send-test answers at once', async () => {
    const a = await destination({ name: 'down', kind: 'webhook', url: `${http.url}/down` });
    await rule(a);
    http.status = 503;
    await ingestSignal(ctx, signal());
    const deadline = Date.now() + 5000;
    for (;;) {
      await pump();
      const [row] = await db.sql<{ status: string }[]>`select status from notification_outbox`;
      if (row?.status === 'dead' || Date.now() > deadline) break;
      await Bun.sleep(10);
    }
    const log = await callJson(app, 'GET', '/api/notifications/deliveries?status=dead');
    expect(log.json.deliveries).toHaveLength(1);
    const d = log.json.deliveries[0];
    expect(d).toMatchObject({
      status: 'dead',
      attempts: 3,
      max_attempts: 3,
      last_error: 'http_503',
      destination: { id: a, name: 'down' },
    });
    expect(d.attempt_log.map((x: { status_code: number }) => x.status_code)).toEqual([503, 503, 503]);
    expect(http.requests).toHaveLength(3);
    // the waits doubled: 20 ms, then 40 ms
    const gaps = [http.requests[1]!.at - http.requests[0]!.at, http.requests[2]!.at - http.requests[1]!.at];
    expect(gaps[0]!).toBeGreaterThanOrEqual(15);
    expect(gaps[1]!).toBeGreaterThanOrEqual(35);
    // every attempt carried the same idempotency key
    expect(new Set(http.requests.map((r) => JSON.parse(r.body).id)).size).toBe(1);

    const failed = await callJson(app, 'POST', `/api/notifications/destinations/${a}/test`);
    expect(failed.json).toMatchObject({ ok: false, status: 'dead', status_code: 503, error: 'http_503' });
    http.status = 200;
    const ok = await callJson(app, 'POST', `/api/notifications/destinations/${a}/test`);
    expect(ok.json).toMatchObject({ ok: true, status: 'delivered', status_code: 200 });
    expect(JSON.parse(http.requests.at(-1)!.body)).toMatchObject({ event: 'test', severity: 'info' });
    expect((await callJson(app, 'POST', '/api/notifications/destinations/999999/test')).status).toBe(404);
  });

  test('a closed group is enqueued once under its idempotency key, even when flushed twice at once', async () => {
    const a = await destination({ name: 'once', kind: 'webhook', url: `${http.url}/once` });
    await rule(a);
    for (let i = 0; i < 5; i++) await ingestSignal(ctx, signal());
    await Promise.all([flushGroups(ctx), flushGroups(ctx), flushGroups(ctx)]);
    const rows = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from notification_outbox where destination_id = ${a}`;
    expect(rows[0]!.n).toBe(1);
    await Promise.all([deliverDue(ctx), deliverDue({ ...ctx, owner: 'other' })]);
    expect(http.requests).toHaveLength(1);
    expect(JSON.parse(http.requests[0]!.body).text.split('\n')).toHaveLength(5);
  });
});
