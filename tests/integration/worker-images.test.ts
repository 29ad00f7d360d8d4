// The worker-image allowlist through REST: readers see it, only admins change it, bad input writes
// nothing, and the gateway's start policy follows what was put there.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { workerImagePolicy } from '../../src/service/worker-images.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';

const ADMIN = 'worker-images-admin-token-0123456789';
let db: TestDatabase;
let app: App;
let operate = '';

const send = (method: string, path: string, token: string, body?: unknown) =>
  callJson(app, method, path, body, { authorization: `Bearer ${token}` });
const rows = async () => Number((await db.sql<{ n: number }[]>`select count(*)::int as n from worker_images`)[0]!.n);

beforeAll(async () => {
  db = await openTestDatabase();
  app = buildTestApp(db, { config: loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }) });
  operate = (await send('POST', '/api/tokens', ADMIN, { name: 'operator', scope: 'operate' })).json.token;
});
afterAll(() => db.close());

describe('/api/worker-images', () => {
  test('lists the shipped nvidia-smi image', async () => {
    const list = await send('GET', '/api/worker-images', operate);
    expect(list.status).toBe(200);
    expect(list.json).toContainEqual(
      expect.objectContaining({
        image: 'nvidia/cuda',
        tag: '12.4.1-base-ubuntu22.04',
        requires_gpu: true,
        active: true,
      }),
    );
  });

  test('an admin adds and changes an entry; the start policy follows it', async () => {
    const policy = workerImagePolicy({ db, clock: systemClock });
    const ref = { image: 'registry.lan:5000/tools/smi', tag: 'v2.1' };
    expect(await policy.decide(ref)).toEqual({ allowed: false, reason: 'not_listed' });
    const put = await send('PUT', '/api/worker-images', ADMIN, {
      ...ref,
      requires_gpu: true,
      active: true,
      description: 'our own smi',
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ ...ref, requires_gpu: true, active: true, description: 'our own smi' });
    expect(await policy.decide(ref)).toEqual({ allowed: true, requiresGpu: true });
    const before = await rows();
    expect(
      (await send('PUT', '/api/worker-images', ADMIN, { ...ref, requires_gpu: true, active: false })).json.active,
    ).toBe(false);
    expect(await rows()).toBe(before);
    expect(await policy.decide(ref)).toEqual({ allowed: false, reason: 'inactive' });
  });

  test('an operator may read but not change it', async () => {
    const before = await rows();
    const denied = await send('PUT', '/api/worker-images', operate, {
      image: 'busybox',
      tag: 'latest',
      requires_gpu: false,
      active: true,
    });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('insufficient_scope');
    expect(await rows()).toBe(before);
  });

  test('bad input is a 400 with the error shape and writes nothing', async () => {
    const before = await rows();
    const good = { image: 'busybox', tag: 'latest', requires_gpu: false, active: true };
    const bad: unknown[] = [
      { ...good, image: 'BusyBox' },
      { ...good, image: 'busy box' },
      { ...good, image: '../etc' },
      { ...good, tag: 'a/b' },
      { ...good, tag: '' },
      { ...good, tag: 'x'.repeat(200) },
      { ...good, requires_gpu: 'yes' },
      { ...good, extra: 1 },
      { image: 'busybox', tag: 'latest' },
      { ...good, description: 'd'.repeat(501) },
    ];
    for (const body of bad) {
      const r = await send('PUT', '/api/worker-images', ADMIN, body);
      expect(`${JSON.stringify(body).slice(0, 60)} -> ${r.status}`).toMatch(/-> 400$/);
      expect(r.json.error.code).toBeString();
    }
    expect(await rows()).toBe(before);
  });
});
