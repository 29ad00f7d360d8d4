// Inventory snapshots of the real daemon, and diffs that see a restart, a recreate with another image,
// a removal and an added container. Snapshots keep no environment values.
import { HIDDEN_LABEL_VALUE } from '../../src/docker/container-metadata.ts';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { manualClock } from '../../src/clock.ts';
import { EventBus, type AppEvent } from '../../src/events/bus.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import {
  dockerCli,
  ensureAltTestImage,
  ensureTestImage,
  hasDocker,
  removeContainers,
  runTestContainer,
  uniqueName,
} from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';

const docker = hasDocker('docker inventory');

describe.skipIf(!docker)('inventory snapshots and diffs (real dockerd)', () => {
  let db: TestDatabase;
  let app: App;
  const clock = manualClock('2026-05-01T10:00:00Z');
  const events: AppEvent[] = [];
  const created: string[] = [];
  const volume = uniqueName('cb-inv-vol');
  const ids: Record<string, string> = {};
  const names: Record<string, string> = {};

  const call = async (method: string, path: string) => {
    const res = await app.handle(apiRequest(method, path));
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text), text };
  };
  const start = (key: string, opts: { image?: string; env?: Record<string, string>; cmd?: string[] } = {}) => {
    names[key] ??= uniqueName(`cb-inv-${key}`);
    const id = runTestContainer({
      name: names[key]!,
      cmd: opts.cmd ?? ['sleep', '300'],
      image: opts.image,
      env: opts.env,
    });
    created.push(id);
    ids[key] = id;
    return id;
  };
  const mine = (list: { id: string }[]) => list.filter((c) => created.includes(c.id));

  beforeAll(async () => {
    db = await openTestDatabase();
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    app = buildTestApp(db, { clock, events: bus, docker: testDockerGateway({ db, clock, events: bus }) });
    ensureTestImage();
    ensureAltTestImage();
  });

  afterAll(async () => {
    removeContainers(created);
    dockerCli(['volume', 'rm', '-f', volume]);
    await db.close();
  });

  test('before any snapshot: the alias is 404 and a diff is 409, both with the error shape', async () => {
    expect((await call('GET', '/api/container-inventory')).json.error.code).toBe('not_found');
    const diff = await call('GET', '/api/inventory/diff');
    expect(diff.status).toBe(409);
    expect(diff.json.error.code).toBe('not_enough_snapshots');
  });

  test("a snapshot keeps each container's facts, never its environment values", async () => {
    start('steady', { env: { DB_PASSWORD: 'hunter2-inventory-5b1d' } });
    start('restarts');
    start('goes');
    start('recreated');
    // a volume mount: the snapshot keeps its destination and volume name
    const r = dockerCli([
      'run',
      '-d',
      '--network',
      'none',
      '--label',
      'cyber-brain-test=1',
      '--name',
      uniqueName('cb-inv-vol'),
      '-v',
      `${volume}:/data`,
      ensureTestImage(),
      'sleep',
      '300',
    ]);
    expect(r.code).toBe(0);
    ids.vol = r.stdout.trim();
    created.push(ids.vol);
    const exited = runTestContainer({ name: uniqueName('cb-inv-exited'), cmd: ['sh', '-c', 'exit 3'] });
    created.push(exited);
    ids.exited = exited;
    dockerCli(['wait', exited]);

    const snap = await call('POST', '/api/inventory/snapshots');
    expect(snap.status).toBe(201);
    expect(snap.json.taken_at).toBe('2026-05-01T10:00:00.000Z');
    expect(snap.json.changes).toBeNull();
    const got = Object.fromEntries(mine(snap.json.containers).map((c: any) => [c.id, c]));
    expect(got[ids.steady!]).toMatchObject({
      name: names.steady,
      image: 'cyber-brain-test/busybox:1',
      state: 'running',
      restart_count: 0,
      exit_code: null,
      oom_killed: false,
      networks: ['none'],
      // off the allowlist: the key, not the value (labels may carry credentials)
      labels: { 'cyber-brain-test': HIDDEN_LABEL_VALUE },
      compose_project: null,
    });
    expect(got[ids.steady!].image_id).toMatch(/^sha256:/);
    expect(got[ids.steady!].started_at).toMatch(/^\d{4}-/);
    expect(got[ids.exited!]).toMatchObject({ state: 'exited', exit_code: 3, oom_killed: false });
    expect(got[ids.vol!].mounts).toEqual([{ type: 'volume', destination: '/data', volume }]);

    expect(snap.text).not.toContain('hunter2-inventory-5b1d');
    const stored = await db.sql`select (select json_agg(c) from inventory_containers c)::text as rows`;
    expect(stored[0]!.rows).toContain(ids.steady);
    expect(stored[0]!.rows).not.toContain('hunter2-inventory-5b1d');
    expect(stored[0]!.rows).not.toContain('DB_PASSWORD');

    const event = events.find((e) => e.type === 'inventory.snapshot');
    expect(event?.data).toMatchObject({
      snapshot_id: snap.json.id,
      taken_at: '2026-05-01T10:00:00.000Z',
      previous_snapshot_id: null,
      changes: null,
    });
  });

  test('the next diff sees a restart, a recreate with another image, a removal and an added container', async () => {
    expect(dockerCli(['restart', '-t', '0', ids.restarts!]).code).toBe(0);
    dockerCli(['rm', '-f', ids.goes!]);
    const oldRecreated = ids.recreated!;
    dockerCli(['rm', '-f', oldRecreated]);
    start('recreated', { image: ensureAltTestImage() });
    start('added');

    clock.advance(60_000);
    const snap = await call('POST', '/api/inventory/snapshots');
    expect(snap.status).toBe(201);
    const diff = await call('GET', '/api/inventory/diff/');
    expect(diff.status).toBe(200);
    const [first] = (await call('GET', '/api/inventory/snapshots?limit=2')).json.items.slice(1);
    expect(diff.json.from.id).toBe(first.id);
    expect(diff.json.to.id).toBe(snap.json.id);
    const ch = diff.json.changes;
    const onlyMine = (xs: { id?: string; to?: { id: string }; from?: { id: string } }[]): unknown[] =>
      xs.filter(
        (x) => created.includes(x.id ?? '') || created.includes(x.to?.id ?? '') || created.includes(x.from?.id ?? ''),
      );

    expect(onlyMine(ch.restarted).map((r: any) => [r.id, r.from_started_at !== r.to_started_at])).toEqual([
      [ids.restarts, true],
    ]);
    expect(onlyMine(ch.recreated)).toEqual([
      {
        name: names.recreated,
        matched_by: 'name',
        from: { id: oldRecreated, name: names.recreated, image: 'cyber-brain-test/busybox:1' },
        to: { id: ids.recreated, name: names.recreated, image: 'cyber-brain-test/busybox:2' },
        image_changed: true,
      },
    ]);
    expect(ch.image_changed.filter((x: any) => x.to_id === ids.recreated)).toHaveLength(1);
    expect(onlyMine(ch.removed)).toEqual([{ id: ids.goes, name: names.goes, image: 'cyber-brain-test/busybox:1' }]);
    expect(onlyMine(ch.added)).toEqual([{ id: ids.added, name: names.added, image: 'cyber-brain-test/busybox:1' }]);
    // the steady container is in no list
    expect(JSON.stringify(ch)).not.toContain(ids.steady);

    // the same diff came with the snapshot and its event
    expect(onlyMine(snap.json.changes.added)).toHaveLength(1);
    const event = events.filter((e) => e.type === 'inventory.snapshot').at(-1)!;
    expect(event.data.snapshot_id).toBe(snap.json.id);
    expect(event.data.previous_snapshot_id).toBe(first.id);
    expect((event.data.changes as Record<string, number>).restarted).toBeGreaterThanOrEqual(1);
    expect(diff.json.counts.recreated).toBe(ch.recreated.length);
  });

  test('explicit from/to, pages, one snapshot by id, the older alias; unknown ids are 404', async () => {
    const page1 = await call('GET', '/api/inventory/snapshots?limit=1');
    expect(page1.json.items).toHaveLength(1);
    expect(page1.json.next_before).toBe(page1.json.items[0].id);
    const page2 = await call('GET', `/api/inventory/snapshots?limit=1&before=${page1.json.next_before}`);
    expect(page2.json.items).toHaveLength(1);
    expect(page2.json.next_before).toBeNull();
    const [newest, oldest] = [page1.json.items[0].id, page2.json.items[0].id];

    const reversed = await call('GET', `/api/inventory/diff?from=${newest}&to=${oldest}`);
    expect(reversed.status).toBe(200);
    expect(reversed.json.changes.added.some((a: { id: string }) => a.id === ids.goes)).toBe(true);

    const one = await call('GET', `/api/inventory/snapshots/${oldest}/`);
    expect(one.status).toBe(200);
    expect(one.json.containers.some((c: { id: string }) => c.id === ids.goes)).toBe(true);
    const alias = await call('GET', '/api/container-inventory');
    expect(alias.json.id).toBe(newest);
    expect(alias.json.containers.length).toBe(alias.json.container_count);

    expect((await call('GET', '/api/inventory/snapshots/999999')).status).toBe(404);
    expect((await call('GET', '/api/inventory/diff?from=999999')).status).toBe(404);
    for (const bad of [
      '/api/inventory/snapshots?limit=0',
      '/api/inventory/snapshots?limit=abc',
      '/api/inventory/snapshots/abc',
      '/api/inventory/diff?to=-1',
    ]) {
      const r = await call('GET', bad);
      expect([bad, r.status]).toEqual([bad, 400]);
      expect(typeof r.json.error.code).toBe('string');
    }
  });
});
