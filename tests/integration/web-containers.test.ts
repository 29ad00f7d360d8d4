// The Containers pages against a real dockerd: the live inventory with allowlist toggles (add, disable,
// enable, remove — checked through the REST API), label opt-in and opt-out, the last triage per
// container, "followed a recreated container" notices, snapshots and their diff; labels escaped; form
// posts need the session's CSRF token; readers see no forms; an unreachable Docker is a message, not an
// error page.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { getPage, postForm, signIn } from '../support/web.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';

const ADMIN = 'web-containers-admin-token-0123456789';
const XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>'];
const docker = hasDocker('web containers pages');

let db: TestDatabase;
let app: App;
let session = '';
let csrf = '';
let readToken = '';
const created: string[] = [];

const api = (method: string, path: string, body?: unknown) =>
  callJson(app, method, path, body, { authorization: `Bearer ${ADMIN}` });

/** A page as a browser asks for it: the signed-in session unless other headers are given. */
const page = (path: string, headers: Record<string, string> = { cookie: session }, target: App = app) =>
  getPage(target, path, undefined, headers);

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

/** The table row of one container on the Containers page. */
function row(html: string, id: string): string {
  const start = html.indexOf(`<tr data-container-id="${id}">`);
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</tr>', start));
}

function expectNoRawXss(html: string) {
  for (const payload of XSS) expect(html).not.toContain(payload);
  expect(html).not.toMatch(/<img[^>]*onerror/i);
  expect(html).not.toMatch(/<script>alert/i);
}

const start = (name: string, labels?: Record<string, string>) => {
  const id = runTestContainer({ name, cmd: ['sh', '-c', 'exec sleep 300'], labels });
  created.push(id);
  return id;
};
const entry = async (id: string) =>
  (await api('GET', '/api/allowlist')).json.find((e: { container_id: string }) => e.container_id === id);

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, { config: loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }) });
  ({ cookie: session, csrf } = await signIn(app, ADMIN));
  readToken = (await api('POST', '/api/tokens', { name: 'reader', scope: 'read' })).json.token;
});
afterAll(async () => {
  removeContainers(created);
  await db.close();
});

describe('containers page without Docker', () => {
  test('an unreachable daemon is a clear message on the page, with the stored allowlist', async () => {
    await db.sql`
      insert into container_allowlist (container_id, name, enabled, description, tags, follow, source, created_at, updated_at)
      values (${'ab'.repeat(32)}, 'stored-entry', true, ${`note ${XSS[0]}`}, '{}', true, 'api', now(), now())`;
    const deps = { db, clock: systemClock, events: new EventBus() };
    const offline = buildTestApp(db, {
      config: loadConfig({}),
      docker: testDockerGateway(deps, 'unix:///nonexistent/cb-test-docker.sock'),
    });
    const r = await page('/containers', {}, offline);
    expect(r.status).toBe(200);
    expect(r.html).toContain('<title>Containers · Cyber-Brain</title>');
    expect(r.html).toContain('Docker is unreachable');
    expect(r.html).toContain('cb-test-docker.sock');
    expect(r.html).toContain('Allowlist (as stored)');
    expect(r.html).toContain('stored-entry');
    expect(r.html).toContain('note &lt;script&gt;alert(1)&lt;/script&gt;');
    expectNoRawXss(r.html);
    // the snapshot list still reads; taking one says why it cannot
    expect((await page('/containers/snapshots', {}, offline)).status).toBe(200);
    const take = await offline.handle(
      new Request('http://localhost/containers/snapshots', {
        method: 'POST',
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      }),
    );
    expect(take.status).toBe(503);
    expect(await take.text()).toContain('unreachable');
    await db.sql`delete from container_allowlist where name = 'stored-entry'`;
  });
});

describe.skipIf(!docker)('containers pages (real dockerd)', () => {
  test('live inventory: every container with label opt-in state; labels and names escaped; forms labelled', async () => {
    // off the allowlist only values of the safe set are shown (org.opencontainers.image.* is in it)
    const plain = start(uniqueName('cb-web-plain'), {
      'org.opencontainers.image.title': XSS[0]!,
      'org.opencontainers.image.description': XSS[1]!,
      'example.note': 'secret',
    });
    const optedOut = start(uniqueName('cb-web-out'), { 'cyberbrain.allow': 'false' });
    const r = await page('/containers');
    expect(r.status).toBe(200);
    expect(r.html).toContain('<h1>Containers</h1>');
    expect(r.html).toContain('<h2>Live inventory</h2>');
    expect(r.html).toContain('<th scope="col">Label opt-in</th>');
    const p = row(r.html, plain);
    expect(p).toContain('org.opencontainers.image.title=&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(p).toContain('org.opencontainers.image.description=&lt;img src=x onerror=alert(1)&gt;');
    expect(p).toContain('example.note=(hidden: not on the allowlist)');
    expect(p).not.toContain('secret');
    expect(p).toContain('not on the allowlist');
    expect(p).toContain('no label');
    expect(p).toContain('name="action" value="add"');
    expect(p).toContain(`name="container" value="${plain}"`);
    expect(p).toContain(`name="_csrf" value="${csrf}"`);
    const o = row(r.html, optedOut);
    expect(o).toContain('opted out (cyberbrain.allow=false)');
    expect(o).toContain('refused by its label');
    expect(o).not.toContain('name="action"');
    expectNoRawXss(r.html);
    expect(r.html).not.toContain('<div class="card error" role="alert">');
  });

  test('allowlist toggles from the page: add, disable, enable, remove; each shows through the API', async () => {
    const name = uniqueName('cb-web-toggle');
    const id = start(name);
    const added = await post('/containers/allowlist', { action: 'add', container: id });
    expect(added.status).toBe(303);
    expect(added.location).toBe('/containers');
    expect(await entry(id)).toMatchObject({ container_id: id, name, enabled: true, source: 'api' });
    expect((await api('GET', '/api/containers')).json.find((c: { id: string }) => c.id === id).allowlisted).toBe(true);
    let r = row((await page('/containers')).html, id);
    expect(r).toContain('allowed');
    expect(r).toContain('value="disable"');
    expect(r).toContain('value="remove"');

    expect((await post('/containers/allowlist', { action: 'disable', container: id })).status).toBe(303);
    expect((await entry(id)).enabled).toBe(false);
    r = row((await page('/containers')).html, id);
    expect(r).toContain('disabled');
    expect(r).toContain('value="enable"');

    expect((await post('/containers/allowlist', { action: 'enable', container: id })).status).toBe(303);
    expect((await entry(id)).enabled).toBe(true);
    expect((await post('/containers/allowlist', { action: 'remove', container: id })).status).toBe(303);
    expect(await entry(id)).toBeUndefined();
    expect(row((await page('/containers')).html, id)).toContain('value="add"');

    // refusals are pages with a 4xx, and change nothing
    const out = start(uniqueName('cb-web-out2'), { 'cyberbrain.allow': 'false' });
    const refused = await post('/containers/allowlist', { action: 'add', container: out });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('cyberbrain.allow=false');
    expect((await post('/containers/allowlist', { action: 'add', container: '<script>' })).status).toBe(400);
    expect((await post('/containers/allowlist', { action: 'explode', container: id })).status).toBe(400);
    expect((await post('/containers/allowlist', { action: 'disable', container: 'not-an-id' })).status).toBe(400);
    expect((await post('/containers/allowlist', { action: 'disable', container: 'ab'.repeat(32) })).status).toBe(404);
    expect(await entry(out)).toBeUndefined();
  });

  test('a form post without the session CSRF token is refused; a reader sees no forms and cannot post', async () => {
    const id = start(uniqueName('cb-web-csrf'));
    expect((await post('/containers/allowlist', { action: 'add', container: id }, { csrf: null })).status).toBe(403);
    expect((await post('/containers/allowlist', { action: 'add', container: id }, { csrf: 'forged' })).status).toBe(
      403,
    );
    expect((await post('/containers/snapshots', {}, { csrf: null })).status).toBe(403);
    expect(await entry(id)).toBeUndefined();
    expect((await api('GET', '/api/inventory/snapshots')).json.items).toEqual([]);

    const asReader = { authorization: `Bearer ${readToken}` };
    const r = await page('/containers', asReader);
    expect(r.status).toBe(200);
    expect(row(r.html, id)).not.toContain('<form');
    expect(r.html).not.toContain('<th scope="col">Change</th>');
    expect((await page('/containers/snapshots', asReader)).html).not.toContain('Take a snapshot now');
    const res = await app.handle(
      new Request('http://localhost/containers/allowlist', {
        method: 'POST',
        headers: { ...asReader, 'content-type': 'application/x-www-form-urlencoded' },
        body: `action=add&container=${id}`,
      }),
    );
    expect(res.status).toBe(403);
    expect(await entry(id)).toBeUndefined();
  });

  test('label opt-in, snapshots from the page, a followed recreation and the snapshot diff', async () => {
    const optInName = uniqueName('cb-web-in');
    const optIn = start(optInName, { 'cyberbrain.allow': 'true' });
    const followName = uniqueName('cb-web-follow');
    const oldId = start(followName, { 'example.v': XSS[1]! });
    expect((await post('/containers/allowlist', { action: 'add', container: followName })).status).toBe(303);

    const first = await post('/containers/snapshots', {});
    expect(first.status).toBe(303);
    expect(first.location).toMatch(/^\/containers\/snapshots\?to=\d+#diff$/);
    const snaps = (await api('GET', '/api/inventory/snapshots')).json.items;
    expect(snaps.length).toBe(1);
    // the snapshot added the opted-in container
    expect(await entry(optIn)).toMatchObject({ source: 'label', enabled: true });
    const live = await page('/containers');
    const inRow = row(live.html, optIn);
    expect(inRow).toContain('opted in (cyberbrain.allow=true)');
    expect(inRow).toContain('added by label cyberbrain.allow=true');

    const one = await page('/containers/snapshots');
    expect(one.status).toBe(200);
    expect(one.html).toContain('<title>Inventory snapshots · Cyber-Brain</title>');
    expect(one.html).toContain(`<tr data-snapshot-id="${snaps[0].id}">`);
    expect(one.html).toContain('<th scope="col">Taken</th>');
    expect(one.html).not.toContain('data-diff-from');

    // recreated under the same name: the page itself follows it and says so
    dockerCli(['rm', '-f', oldId]);
    const newId = start(followName, { 'example.v': XSS[0]! });
    const after = await page('/containers');
    expect(after.html).toContain('Followed recreated containers');
    expect(after.html).toContain(`<li data-followed="${newId}">`);
    expect(after.html).toContain(`the allowlist entry of ${followName} followed its recreated container (same name)`);
    expect(row(after.html, newId)).toContain('allowed');
    expect(await entry(newId)).toMatchObject({ container_id: newId, enabled: true });
    expectNoRawXss(after.html);

    const second = await post('/containers/snapshots', {});
    expect(second.status).toBe(303);
    const diff = await page(second.location!.replace(/#.*$/, ''));
    expect(diff.status).toBe(200);
    expect(diff.html).toContain(`data-diff-from="${snaps[0].id}"`);
    expect(diff.html).toMatch(/<h4>Recreated \(\d+\)<\/h4>/);
    expect(diff.html).toContain(`${followName}: ${oldId.slice(0, 12)} → ${newId.slice(0, 12)}, matched by name`);
    expectNoRawXss(diff.html);
    // explicit from/to, the reverse, and ids that do not exist: said on the page
    const ids = (await api('GET', '/api/inventory/snapshots')).json.items.map((s: { id: number }) => s.id);
    const reverse = await page(`/containers/snapshots?from=${ids[0]}&to=${ids[1]}`);
    expect(reverse.html).toContain(`data-diff-from="${ids[0]}" data-diff-to="${ids[1]}"`);
    const missing = await page('/containers/snapshots?from=999999&to=');
    expect(missing.status).toBe(200);
    expect(missing.html).toContain('snapshot 999999 not found');
    expect((await page('/containers/snapshots?to=abc')).html).toContain('Snapshots are named by their numbers');
  });

  test('the last triage of each container: when, which run, and what it found', async () => {
    const name = uniqueName('cb-web-triaged');
    const id = start(name);
    let lastRun = 0;
    for (const [until, errors] of [
      ['2026-01-01T10:00:00Z', 1],
      ['2026-01-02T10:00:00Z', 7],
    ] as const) {
      const [run] = await db.sql`
        insert into runs (status, trigger, tasks, directive_text, directive_sha256) values ('success', 'api', '{log_triage}', 'x', 'x') returning id`;
      const [job] =
        await db.sql`insert into jobs (run_id, task, status) values (${run!.id}, 'log_triage', 'success') returning id`;
      await db.sql`
        insert into triage_windows (job_id, run_id, container_name, container_id, since, until, lines, triaged_lines, bytes, truncated,
          templates, errors, warnings, new_templates, status, created_at)
        values (${job!.id}, ${run!.id}, ${name}, ${id}, ${until}::timestamptz - interval '1 hour', ${until}, 10, 10, 100, false, 3, ${errors}, 2, 1, 'ok', now())`;
      lastRun = Number(run!.id);
    }
    const r = row((await page('/containers')).html, id);
    expect(r).toContain('datetime="2026-01-02T10:00:00.000Z"');
    expect(r).toContain(`<a href="/runs/${lastRun}">run #${lastRun}</a>`);
    expect(r).toContain('7 errors, 2 warnings, 1 new pattern');
    const other = row((await page('/containers')).html, created[0]!);
    expect(other).toContain('never');
  });
});
