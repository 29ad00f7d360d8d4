// The allowlist through every door that exists: the gateway itself and REST. Off the list, every
// inside-read (inspect, logs, top, stats) is refused with 403; listing metadata is allowed. Entries
// follow recreated containers (with history) unless follow is off; labels opt in and out.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { dockerEndpoint } from '../../src/docker/client.ts';
import { ContainerNotAllowedError } from '../../src/docker/errors.ts';
import { createDockerGateway, type DockerGateway } from '../../src/docker/gateway.ts';
import type { LogLine } from '../../src/docker/types.ts';
import { EventBus, type AppEvent } from '../../src/events/bus.ts';
import { allowlistPolicy } from '../../src/service/allowlist-policy.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, hasDocker, removeContainers, runTestContainer, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';

const docker = hasDocker('docker allowlist');

interface Answer {
  status: number;
  json: any;
  text: string;
}

describe.skipIf(!docker)('allowlist enforcement, follow and labels (real dockerd)', () => {
  let db: TestDatabase;
  let app: App;
  let gateway: DockerGateway;
  const events: AppEvent[] = [];
  const created: string[] = [];

  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await app.handle(apiRequest(method, path, body));
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
  const start = (
    name: string,
    extra: { labels?: Record<string, string>; env?: Record<string, string>; cmd?: string[] } = {},
  ) => {
    const id = runTestContainer({
      name,
      cmd: extra.cmd ?? ['sh', '-c', 'echo "secret log text 7f3a"; exec sleep 300'],
      labels: extra.labels,
      env: extra.env,
    });
    created.push(id);
    return id;
  };
  const recreate = (oldId: string, name: string, labels?: Record<string, string>) => {
    dockerCli(['rm', '-f', oldId]);
    return start(name, { labels });
  };
  const collect = async (it: AsyncIterable<LogLine>) => {
    const out: LogLine[] = [];
    for await (const l of it) out.push(l);
    return out;
  };
  const entry = async (id: string) =>
    (await call('GET', '/api/allowlist')).json.find((e: { container_id: string }) => e.container_id === id);

  beforeAll(async () => {
    db = await openTestDatabase();
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    gateway = testDockerGateway({ db, clock: systemClock, events: bus });
    app = buildTestApp(db, { docker: gateway, events: bus });
  });

  afterAll(async () => {
    removeContainers(created);
    await db.close();
  });

  test('off the list: listing shows it; every inside-read is refused, through the gateway and REST', async () => {
    const name = uniqueName('cb-off');
    const id = start(name);
    const listed = await call('GET', '/api/containers');
    expect(listed.status).toBe(200);
    const mine = listed.json.find((c: { id: string }) => c.id === id);
    expect(mine).toMatchObject({
      id,
      name,
      state: 'running',
      networks: ['none'],
      allowlisted: false,
      allowlist: null,
      opted_out: false,
    });
    expect((await call('GET', '/api/containers?scope=allowlist')).json.some((c: { id: string }) => c.id === id)).toBe(
      false,
    );

    for (const read of [
      () => gateway.inspect(id),
      () => collect(gateway.logs(id)),
      () => gateway.top(id),
      () => gateway.stats(id),
      () => gateway.inspect(name),
    ]) {
      const err = await read().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ContainerNotAllowedError);
      expect((err as ContainerNotAllowedError).reason).toBe('not_allowlisted');
    }
    for (const path of [
      `/api/containers/${id}`,
      `/api/containers/${id}/logs`,
      `/api/containers/${id}/top`,
      `/api/containers/${id}/stats`,
      `/api/containers/${name}/logs/`,
      `/api/containers/${id.slice(0, 12)}/logs`,
    ]) {
      const r = await call('GET', path);
      expect(r.status).toBe(403);
      expect(r.json).toEqual({
        error: {
          code: 'container_not_allowed',
          message: `container "${name}" is not on the allowlist`,
          details: { container_id: id, name, reason: 'not_allowlisted' },
        },
      });
      expect(r.text).not.toContain('secret log text');
    }
  });

  test('on the list: inside-reads work (environment as names only); disabled or removed: refused again', async () => {
    const name = uniqueName('cb-on');
    const id = start(name, { env: { API_PASSWORD: 'hunter2-9c1e' } });
    const added = await call('POST', '/api/allowlist/', {
      container: name,
      description: 'media server',
      tags: ['media'],
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      container_id: id,
      name,
      enabled: true,
      follow: true,
      source: 'api',
      description: 'media server',
      tags: ['media'],
    });

    const inspected = await call('GET', `/api/containers/${id}`);
    expect(inspected.status).toBe(200);
    expect(inspected.json.env_names).toContain('API_PASSWORD');
    expect(inspected.text).not.toContain('hunter2-9c1e');
    const logs = await call('GET', `/api/containers/${name}/logs?limit=5`);
    expect(logs.status).toBe(200);
    expect(logs.json.lines.map((l: LogLine) => [l.stream, l.text])).toEqual([['stdout', 'secret log text 7f3a']]);
    const top = await call('GET', `/api/containers/${id}/top`);
    expect(top.status).toBe(200);
    expect(top.json.processes.some((p: string[]) => p.join(' ').includes('sleep'))).toBe(true);
    const stats = await call('GET', `/api/containers/${id}/stats`);
    expect(stats.status).toBe(200);
    expect(typeof stats.json.memory_bytes).toBe('number');
    expect(
      (await call('GET', '/api/containers?scope=allowlist')).json.find((c: { id: string }) => c.id === id).allowlisted,
    ).toBe(true);

    expect((await call('PATCH', `/api/allowlist/${id}`, { enabled: false })).json.enabled).toBe(false);
    const disabled = await call('GET', `/api/containers/${id}/logs`);
    expect(disabled.status).toBe(403);
    expect(disabled.json.error.details.reason).toBe('disabled');
    expect((await call('PATCH', `/api/allowlist/${id.slice(0, 12)}/`, { enabled: true })).status).toBe(200);
    expect((await call('GET', `/api/containers/${id}/logs`)).status).toBe(200);

    expect((await call('DELETE', `/api/allowlist/${id}`)).status).toBe(200);
    expect((await call('GET', `/api/containers/${id}/logs`)).status).toBe(403);
    const history = await call('GET', `/api/allowlist/${id}`);
    expect(history.status).toBe(404);
    // the database keeps no log text anywhere
    const dump =
      await db.sql`select (select coalesce(json_agg(h), '[]') from container_allowlist_history h)::text as h`;
    expect(dump[0]!.h).not.toContain('secret log text');
    expect(dump[0]!.h).toContain('"action":"removed"');
  });

  test('bad input is a 4xx with the error shape and writes nothing', async () => {
    const name = uniqueName('cb-bad');
    const id = start(name);
    const before = (await call('GET', '/api/allowlist')).json.length;
    const bad: [string, string, unknown, number][] = [
      ['POST', '/api/allowlist', {}, 400],
      ['POST', '/api/allowlist', { container: name, tags: 'x' }, 400],
      ['POST', '/api/allowlist', { container: '../etc' }, 400],
      ['POST', '/api/allowlist', { container: name, description: 'x'.repeat(501) }, 400],
      ['POST', '/api/allowlist', '{"container": ', 400],
      ['POST', '/api/allowlist', { container: uniqueName('cb-missing') }, 404],
      ['PATCH', `/api/allowlist/${id}`, { enabled: true }, 404],
      ['PATCH', '/api/allowlist/not-an-id', { enabled: true }, 400],
      ['GET', '/api/allowlist/xyz', undefined, 400],
      ['GET', '/api/containers?scope=everything', undefined, 400],
      ['GET', `/api/containers/${id}/logs?since=yesterday`, undefined, 403],
      ['GET', '/api/containers/no-such-container-0000/logs', undefined, 404],
    ];
    for (const [method, path, body, status] of bad) {
      const r = await call(method, path, body);
      expect([method, path, r.status]).toEqual([method, path, status]);
      expect(typeof r.json.error.code).toBe('string');
      expect(typeof r.json.error.message).toBe('string');
    }
    expect((await call('GET', '/api/allowlist')).json.length).toBe(before);
    expect((await call('POST', '/api/allowlist', { container: id })).status).toBe(201);
    expect((await call('PATCH', `/api/allowlist/${id}`, {})).status).toBe(400);
    const twice = await call('POST', '/api/allowlist', { container: id });
    expect(twice.status).toBe(409);
    const badTime = await call('GET', `/api/containers/${id}/logs?since=yesterday`);
    expect(badTime.status).toBe(400);
  });

  test('recreated under the same name: the entry follows it in one step, with a history row', async () => {
    const name = uniqueName('cb-follow');
    const oldId = start(name);
    expect((await call('POST', '/api/allowlist', { container: oldId })).status).toBe(201);
    const newId = recreate(oldId, name);
    expect(newId).not.toBe(oldId);

    const snap = await call('POST', '/api/inventory/snapshots');
    expect(snap.status).toBe(201);
    expect(snap.json.allowlist.followed).toContainEqual({
      from_container_id: oldId,
      to_container_id: newId,
      name,
      reason: 'same name',
    });
    expect(await entry(oldId)).toBeUndefined();
    expect(await entry(newId)).toMatchObject({ container_id: newId, name, enabled: true, follow: true });
    const detail = await call('GET', `/api/allowlist/${newId}`);
    expect(
      detail.json.history.map((h: { action: string; previous_container_id: string | null; reason: string }) => [
        h.action,
        h.previous_container_id,
        h.reason,
      ]),
    ).toEqual([
      ['added', null, 'api'],
      ['followed', oldId, 'same name'],
    ]);
    expect((await call('GET', `/api/containers/${newId}/logs`)).status).toBe(200);
    expect(events.some((e) => e.type === 'allowlist.followed' && e.data.to_container_id === newId)).toBe(true);
  });

  test('recreated as the same compose service under a new name: followed on first access, through the gateway', async () => {
    const project = uniqueName('cbproj');
    const labels = { 'com.docker.compose.project': project, 'com.docker.compose.service': 'web' };
    const oldId = start(`${project}-web-1`, { labels });
    expect((await call('POST', '/api/allowlist', { container: oldId })).status).toBe(201);
    const newId = recreate(oldId, `${project}-web-2`, labels);
    const lines = await collect(gateway.logs(newId));
    expect(lines.map((l) => l.text)).toEqual(['secret log text 7f3a']);
    expect(await entry(newId)).toMatchObject({
      name: `${project}-web-2`,
      compose_project: project,
      compose_service: 'web',
    });
    const history = (await call('GET', `/api/allowlist/${newId}`)).json.history;
    expect(history.at(-1)).toMatchObject({
      action: 'followed',
      previous_container_id: oldId,
      container_id: newId,
      reason: 'same compose service',
    });
  });

  test('with follow off, a recreated container is not followed', async () => {
    const name = uniqueName('cb-nofollow');
    const oldId = start(name);
    expect((await call('POST', '/api/allowlist', { container: oldId, follow: false })).json.follow).toBe(false);
    const newId = recreate(oldId, name);
    expect((await call('POST', '/api/inventory/snapshots')).status).toBe(201);
    expect(await entry(oldId)).toMatchObject({ container_id: oldId, follow: false });
    expect(await entry(newId)).toBeUndefined();
    const refused = await call('GET', `/api/containers/${newId}/logs`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.details.reason).toBe('not_allowlisted');
    const history = (await call('GET', `/api/allowlist/${oldId}`)).json.history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['added']);
  });

  test('label opt-in: cyberbrain.allow=true is allowlisted at the next snapshot', async () => {
    const id = start(uniqueName('cb-optin'), { labels: { 'cyberbrain.allow': 'true' } });
    expect((await call('GET', `/api/containers/${id}/logs`)).status).toBe(403);
    const snap = await call('POST', '/api/inventory/snapshots');
    expect(snap.json.allowlist.opted_in).toContain(id);
    expect(await entry(id)).toMatchObject({ source: 'label', enabled: true });
    expect((await call('GET', `/api/containers/${id}/logs`)).status).toBe(200);
    expect((await call('GET', `/api/allowlist/${id}`)).json.history[0]).toMatchObject({
      action: 'added',
      reason: 'label cyberbrain.allow=true',
    });
  });

  test('label opt-out: cyberbrain.allow=false can never be added (409 with the reason) nor read', async () => {
    const name = uniqueName('cb-optout');
    const id = start(name, { labels: { 'cyberbrain.allow': 'false' } });
    const before = (await call('GET', '/api/allowlist')).json.length;
    const r = await call('POST', '/api/allowlist', { container: id });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({
      code: 'conflict',
      details: { reason: 'label cyberbrain.allow=false', container_id: id, name },
    });
    expect((await call('GET', '/api/allowlist')).json.length).toBe(before);
    expect((await call('POST', '/api/inventory/snapshots')).status).toBe(201);
    expect(await entry(id)).toBeUndefined();
    const read = await call('GET', `/api/containers/${id}/logs`);
    expect(read.status).toBe(403);
    expect(read.json.error.details.reason).toBe('opted_out');
    expect((await call('GET', '/api/containers')).json.find((c: { id: string }) => c.id === id)).toMatchObject({
      opted_out: true,
      allowlisted: false,
    });

    // an allowlisted container recreated with the opt-out label is not followed onto
    const other = uniqueName('cb-optout-follow');
    const oldId = start(other);
    expect((await call('POST', '/api/allowlist', { container: oldId })).status).toBe(201);
    const newId = recreate(oldId, other, { 'cyberbrain.allow': 'false' });
    expect((await call('POST', '/api/inventory/snapshots')).status).toBe(201);
    expect(await entry(newId)).toBeUndefined();
    expect((await call('GET', `/api/containers/${newId}/logs`)).status).toBe(403);
  });

  test('Docker unreachable: 503 naming DOCKER_HOST; nothing written', async () => {
    const bus = new EventBus();
    const away = createDockerGateway(
      dockerEndpoint('unix:///nonexistent/docker.sock'),
      allowlistPolicy({ db, clock: systemClock, events: bus }),
    );
    const down = buildTestApp(db, { docker: away, events: bus });
    for (const [method, path, body] of [
      ['GET', '/api/containers', undefined],
      ['GET', '/api/containers/abc/logs', undefined],
      ['POST', '/api/allowlist', { container: 'abc' }],
      ['POST', '/api/inventory/snapshots', undefined],
    ] as const) {
      const res = await down.handle(apiRequest(method, path, body));
      expect(res.status).toBe(503);
      const json = await res.json();
      expect(json.error.code).toBe('docker_unavailable');
      expect(json.error.message).toContain('DOCKER_HOST');
      expect(json.error.message).toContain('unix:///nonexistent/docker.sock');
    }
  });
});
