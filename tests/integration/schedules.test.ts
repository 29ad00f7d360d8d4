// Schedules: REST doors with bad input refused, slots launched once (also after downtime and with two
// instances on one PostgreSQL server), pause/resume, and runs that carry the schedule.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { manualClock } from '../../src/clock.ts';
import { openServer } from '../../src/db/connect.ts';
import { EventBus } from '../../src/events/bus.ts';
import { silentLogger } from '../../src/log.ts';
import { Scheduler } from '../../src/runner/scheduler.ts';
import { createSchedule, updateSchedule } from '../../src/service/schedules.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { createServerDatabase, openTestDatabase, type TestDatabase } from '../support/db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { hasRealServer, realServerUrl } from '../support/services.ts';
import { testTasks } from '../support/test-tasks.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const runsOf = (id: number) =>
  db.sql<
    { id: number; trigger: string; schedule_id: number }[]
  >`select id, trigger, schedule_id from runs where schedule_id = ${id} order by id`;

describe('REST', () => {
  test('create, list with next times, pause, resume, delete; bad input is a 4xx and writes nothing', async () => {
    const app = buildTestApp(db, { tasks: testTasks() });
    const bad = [
      { name: 'x', tasks: ['probe'] },
      { name: 'x', tasks: ['probe'], cron: '* * * * *', every_seconds: 60 },
      { name: 'x', tasks: ['probe'], every_seconds: 4 },
      { name: 'x', tasks: ['probe'], cron: 'every monday' },
      { name: 'x', tasks: ['nope'], every_seconds: 60 },
      { name: 'x', tasks: ['probe'], every_seconds: 60, options: { probe: { sleep_ms: 'long' } } },
      { name: 'x', tasks: ['probe'], every_seconds: 60, directive_id: 999999 },
      { name: '', tasks: ['probe'], every_seconds: 60 },
    ];
    for (const body of bad) {
      const r = await callJson(app, 'POST', '/api/schedules', body);
      expect([400, 404, 422]).toContain(r.status);
      expect(r.json.error.code).toBeString();
    }
    expect((await callJson(app, 'GET', '/api/schedules')).json.schedules).toEqual([]);

    const created = await callJson(app, 'POST', '/api/schedules', {
      name: 'every minute',
      tasks: ['probe'],
      every_seconds: 60,
      options: { probe: { report: false } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'every minute',
      tasks: ['probe'],
      every_seconds: 60,
      cron: null,
      enabled: true,
      last_slot: null,
    });
    expect(created.json.next_runs).toHaveLength(3);
    const id = created.json.id;
    expect(
      (await callJson(app, 'POST', '/api/schedules', { name: 'every minute', tasks: ['probe'], cron: '* * * * *' }))
        .status,
    ).toBe(409);

    const paused = await callJson(app, 'PATCH', `/api/schedules/${id}`, { enabled: false });
    expect(paused.json).toMatchObject({ enabled: false, next_runs: [] });
    const recron = await callJson(app, 'PATCH', `/api/schedules/${id}`, { enabled: true, cron: '0 * * * *' });
    expect(recron.json).toMatchObject({ enabled: true, cron: '0 * * * *', every_seconds: null });
    expect(new Date(recron.json.next_runs[0]).getUTCMinutes()).toBe(0);
    expect((await callJson(app, 'PATCH', `/api/schedules/${id}`, { every_seconds: 2 })).status).toBeGreaterThanOrEqual(
      400,
    );
    expect((await callJson(app, 'PATCH', '/api/schedules/999999', { enabled: false })).status).toBe(404);
    expect((await callJson(app, 'DELETE', `/api/schedules/${id}`)).status).toBe(204);
    expect((await callJson(app, 'GET', `/api/schedules/${id}`)).status).toBe(404);
  });

  test('the watch preset makes log triage every 15 minutes and a daily service map, once', async () => {
    const { productTasks } = await import('../../src/tasks/index.ts');
    const { loadConfig } = await import('../../src/config.ts');
    const app = buildTestApp(db, { tasks: productTasks(loadConfig({})) });
    const first = await callJson(app, 'POST', '/api/schedules/watch-preset');
    expect(first.status).toBe(200);
    expect(first.json.schedules.map((s: { tasks: string[]; cron: string }) => [s.tasks, s.cron])).toEqual([
      [['log_triage'], '*/15 * * * *'],
      [['service_map'], '0 6 * * *'],
    ]);
    const again = await callJson(app, 'POST', '/api/schedules/watch-preset');
    expect(again.json.schedules.map((s: { id: number }) => s.id)).toEqual(
      first.json.schedules.map((s: { id: number }) => s.id),
    );
    for (const s of first.json.schedules) await callJson(app, 'DELETE', `/api/schedules/${s.id}`);
  });
});

describe('slots', () => {
  test('each slot once; after downtime the missed stretch runs once; paused runs nothing; runs carry the schedule', async () => {
    const clock = manualClock('2026-05-01T00:00:00Z');
    const ctx = { db, clock, events: new EventBus(), tasks: testTasks(), logger: silentLogger };
    const s = await createSchedule(ctx, {
      name: 'slots',
      tasks: ['probe'],
      every_seconds: 60,
      options: { probe: { report: false } },
    });
    const scheduler = new Scheduler(ctx, { tickMs: 1000, owner: 'a' });
    expect(await scheduler.tick()).toEqual([]);
    clock.advance(60_000);
    expect((await scheduler.tick()).map((o) => o.slot)).toEqual(['2026-05-01T00:01:00.000Z']);
    expect(await scheduler.tick()).toEqual([]);
    // Five hours down: one run for the stretch, at its latest slot.
    clock.advance(5 * 3600_000 + 30_000);
    expect((await scheduler.tick()).map((o) => o.slot)).toEqual(['2026-05-01T05:01:00.000Z']);
    expect(await scheduler.tick()).toEqual([]);
    // Paused for ten minutes: nothing; resumed: the next slot only, not the ones it skipped.
    await updateSchedule(ctx, s.id, { enabled: false });
    clock.advance(10 * 60_000);
    expect(await scheduler.tick()).toEqual([]);
    await updateSchedule(ctx, s.id, { enabled: true });
    expect(await scheduler.tick()).toEqual([]);
    clock.advance(60_000);
    expect(await scheduler.tick()).toHaveLength(1);
    const runs = await runsOf(s.id);
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.trigger === 'schedule' && Number(r.schedule_id) === s.id)).toBe(true);
    const app = buildTestApp(db, { tasks: testTasks() });
    const run = await callJson(app, 'GET', `/api/runs/${runs[0]!.id}`);
    expect(run.json).toMatchObject({ trigger: 'schedule', schedule_id: s.id });
    const listed = await callJson(app, 'GET', `/api/schedules/${s.id}`);
    expect(listed.json.last_slot.run_id).toBe(Number(runs[2]!.id));
  });

  test('two instances on one PostgreSQL server: each of 50 slots runs exactly once', async () => {
    if (!hasRealServer('two scheduler instances')) return;
    // Two connection pools on one server database = two instances; each with its own clock stepping
    // through the same slots. Both legs use the real server here: embedded allows one process only.
    const { url, drop } = await createServerDatabase(realServerUrl()!);
    const one = await openServer(url, 4);
    const other = await openServer(url, 4);
    try {
      await migrate(one.sql);
      const clockA = manualClock('2026-06-01T00:00:00Z');
      const clockB = manualClock('2026-06-01T00:00:00Z');
      const tasks = testTasks();
      const a = { db: one, clock: clockA, events: new EventBus(), tasks, logger: silentLogger };
      const b = { db: other, clock: clockB, events: new EventBus(), tasks, logger: silentLogger };
      const s = await createSchedule(a, {
        name: 'two instances',
        tasks: ['probe'],
        every_seconds: 5,
        options: { probe: { report: false } },
      });
      const sa = new Scheduler(a, { tickMs: 1000, owner: 'instance-a' });
      const sb = new Scheduler(b, { tickMs: 1000, owner: 'instance-b' });
      const won = { a: 0, b: 0 };
      for (let i = 0; i < 50; i++) {
        clockA.advance(5000);
        clockB.advance(5000);
        const [ra, rb, ra2, rb2] = await Promise.all([sa.tick(), sb.tick(), sa.tick(), sb.tick()]);
        won.a += ra!.length + ra2!.length;
        won.b += rb!.length + rb2!.length;
      }
      const slots = await one.sql<{ slot_at: Date; n: number; claimed_by: string }[]>`
        select slot_at, count(*)::int as n, min(claimed_by) as claimed_by from schedule_slots where schedule_id = ${s.id} group by slot_at`;
      expect(slots).toHaveLength(50);
      expect(slots.every((x) => x.n === 1)).toBe(true);
      const runs = await one.sql<
        { n: number }[]
      >`select count(*)::int as n from runs where schedule_id = ${s.id} and trigger = 'schedule'`;
      expect(runs[0]!.n).toBe(50);
      expect(won.a + won.b).toBe(50);
    } finally {
      await one.close();
      await other.close();
      await drop();
    }
  });
});
