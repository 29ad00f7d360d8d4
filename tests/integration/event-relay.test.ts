// Two instances on one PostgreSQL server see each other's events, in order; a cancel made on one
// instance stops the job running on the other at once.
import { describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.ts';
import { openServer } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { EventBus, type AppEvent } from '../../src/events/bus.ts';
import { startEventRelay } from '../../src/events/pg-relay.ts';
import { silentLogger } from '../../src/log.ts';
import { cancelRun, getRun, launchRun } from '../../src/service/runs.ts';
import { createServerDatabase } from '../support/db.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { hasRealServer, realServerUrl } from '../support/services.ts';
import { testTasks } from '../support/test-tasks.ts';

describe('events across instances', () => {
  const enabled = hasRealServer('event relay');
  test.skipIf(!enabled)(
    'relayed once to the other instance, in order, never echoed; a remote cancel arrives through the relay, not the heartbeat',
    async () => {
      const { url, drop } = await createServerDatabase(realServerUrl()!);
      const a = await openServer(url, 3);
      const b = await openServer(url, 3);
      await migrate(a.sql);
      const busA = new EventBus();
      const busB = new EventBus();
      const seenA: AppEvent[] = [];
      const seenB: AppEvent[] = [];
      busA.subscribe((e) => seenA.push(e));
      busB.subscribe((e) => seenB.push(e));
      const stopA = await startEventRelay(a, busA, 'instance-a', silentLogger);
      const stopB = await startEventRelay(b, busB, 'instance-b', silentLogger);
      const logsDir = mkdtempSync(join(tmpdir(), 'cb-relay-'));
      const tasks = testTasks();
      // Only B runs jobs, and its heartbeat is slow: the cancel can only arrive in time through the relay.
      const runnerB = testRunner({ db: b, tasks, events: busB, logsDir }, { heartbeatMs: 60_000, pollMs: 100 });
      await runnerB.start();
      try {
        busA.publish('test.ping', { n: 1 });
        const ping = await waitFor('ping on B', () => seenB.find((e) => e.type === 'test.ping'));
        expect(ping.origin).toBe('instance-a');
        expect(ping.data).toEqual({ n: 1 });
        await Bun.sleep(200);
        expect(seenA.filter((e) => e.type === 'test.ping')).toHaveLength(1);

        // Order holds across instances: a burst arrives as it was published (else another instance
        // could see a job "running" after "cancelled").
        for (let i = 0; i < 200; i++) busB.publish('test.seq', { i });
        await waitFor('the burst on A', () => seenA.filter((e) => e.type === 'test.seq').length === 200, 10_000);
        expect(seenA.filter((e) => e.type === 'test.seq').map((e) => e.data.i)).toEqual([...Array(200).keys()]);

        const ctxA = { db: a, clock: systemClock, events: busA, tasks, logsDir };
        const run = await launchRun(ctxA, { tasks: ['probe'], options: { probe: { sleep_ms: 60_000 } } }, 'api');
        await waitFor('job running on B', async () => (await getRun(ctxA, run.id)).jobs[0]!.status === 'running');
        const t0 = performance.now();
        await cancelRun(ctxA, run.id);
        // B would see the cancel by itself only at its next heartbeat, 60 s away. Through the relay it
        // takes 40-80 ms on a quiet machine and about 0.2 s with the CPUs saturated; the bound leaves
        // room for a loaded CI machine and still tells the two paths apart.
        const ended = await waitFor(
          'run cancelled',
          async () => {
            const r = await getRun(ctxA, run.id);
            return r.status === 'cancelled' ? r : undefined;
          },
          5000,
        );
        expect(performance.now() - t0).toBeLessThan(5000);
        expect(ended.jobs[0]!.status).toBe('cancelled');
        // B's own event, the job it ended, reaches A through the relay too (a notification may trail the row).
        await waitFor(
          "B's job.status on A",
          () =>
            seenA.some((e) => e.type === 'job.status' && e.origin === 'instance-b' && e.data.status === 'cancelled'),
          2000,
        );
      } finally {
        await runnerB.stop();
        await stopA();
        await stopB();
        await a.close();
        await b.close();
        await drop();
      }
    },
    30_000,
  );
});
