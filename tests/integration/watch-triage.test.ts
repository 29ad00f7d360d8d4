// Quiet unless new, with the real log triage on a real dockerd: scheduled triage runs over steady
// containers send nothing after the first announcement; then one container logs a new error and
// every matching destination gets exactly one message, with the pattern in it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { manualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { Notifier } from '../../src/runner/notifier.ts';
import { Scheduler } from '../../src/runner/scheduler.ts';
import { createSchedule } from '../../src/service/schedules.ts';
import { productTasks } from '../../src/tasks/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import {
  dockerCli,
  ensureTestImage,
  hasDocker,
  removeContainers,
  runTestContainer,
  uniqueName,
} from '../support/docker.ts';
import { startProductHarness, type ProductHarness } from '../support/product-runner.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { waitFor } from '../support/runner.ts';
import { systemClock } from '../../src/clock.ts';

const docker = hasDocker('scheduled triage notifications');
const RUNS = 60;
const sh = (script: string) => ['sh', '-c', script];

describe.skipIf(!docker)('scheduled triage and notifications (real dockerd)', () => {
  let db: TestDatabase;
  let http: HttpReceiver;
  let h: ProductHarness;
  const ids: string[] = [];
  const prefix = uniqueName('cb-steady');

  beforeAll(async () => {
    db = await openTestDatabase();
    http = startHttpReceiver();
    ensureTestImage();
    const config = loadConfig({});
    h = await startProductHarness(db, productTasks(config));
    const steady = {
      health: sh('while true; do echo "GET /health 200 0.4ms"; usleep 200000; done'),
      errors: sh(
        'i=0; while true; do i=$((i+1)); echo "level=error msg=\\"db connection refused\\" attempt=$i"; usleep 300000; done',
      ),
    };
    for (const [k, cmd] of Object.entries(steady)) {
      const name = `${prefix}-${k}`;
      ids.push(runTestContainer({ name, cmd }));
      expect((await h.call('POST', '/api/allowlist', { container: name })).status).toBe(201);
    }
  });
  afterAll(async () => {
    removeContainers(ids);
    await h?.stop();
    await http.close();
    await db.close();
  });

  test(`${RUNS} scheduled triage runs over steady containers send nothing new; a new error is one message per destination`, async () => {
    for (const [name, path] of [
      ['hook', '/hook'],
      ['ntfy', '/ntfy/lab'],
    ] as const) {
      const d = await h.call('POST', '/api/notifications/destinations', {
        name,
        kind: name === 'hook' ? 'webhook' : 'ntfy',
        url: `${http.url}${path}`,
      });
      expect(d.status).toBe(201);
      const r = await h.call('POST', '/api/notifications/rules', {
        name: `${name} rule`,
        destination_id: d.json.id,
        events: ['new_error_pattern', 'error_spike', 'crash_loop'],
        containers: { names: [`${prefix}-*`] },
        group_seconds: 1,
      });
      expect(r.status).toBe(201);
    }
    const cfg = loadConfig({});
    const notifier = new Notifier(
      {
        db,
        clock: systemClock,
        events: h.events,
        logger: silentLogger,
        logsDir: h.logsDir,
        docker: h.docker,
        notify: cfg.notify,
        owner: 't',
      },
      { tickMs: 200 },
    );
    notifier.start();
    // slots are claimed on a clock the test moves; the runs themselves read the real time
    const clock = manualClock(new Date());
    const sctx = { db, clock, events: h.events, tasks: productTasks(cfg), logger: silentLogger };
    const schedule = await createSchedule(sctx, { name: 'triage', tasks: ['log_triage'], every_seconds: 5 });
    const scheduler = new Scheduler(sctx, { tickMs: 1000, owner: 't' });
    const runOnce = async () => {
      clock.advance(5000);
      const [slot] = await scheduler.tick();
      expect(slot?.run_id).toBeNumber();
      const run = await waitFor('scheduled run', async () => {
        const r = (await h.call('GET', `/api/runs/${slot!.run_id}`)).json;
        return ['success', 'partial', 'failed'].includes(r.status) ? r : undefined;
      });
      expect(run).toMatchObject({ status: 'success', trigger: 'schedule', schedule_id: schedule.id });
      return run;
    };
    try {
      await Bun.sleep(1500);
      // run 1: the steady error pattern is new once, and announced once
      await runOnce();
      const first = await http.waitFor(2, 5000);
      expect(first.map((r) => r.path).sort()).toEqual(['/hook', '/ntfy/lab']);
      expect(JSON.parse(first.find((r) => r.path === '/hook')!.body)).toMatchObject({
        event: 'new_error_pattern',
        container: `${prefix}-errors`,
      });
      for (let i = 0; i < RUNS; i++) {
        await runOnce();
        await Bun.sleep(100);
      }
      await Bun.sleep(1500);
      expect(http.requests.slice(2).map((r) => r.body)).toEqual([]);

      // a new error in one container: exactly one grouped message per destination
      dockerCli([
        'exec',
        `${prefix}-health`,
        'sh',
        '-c',
        'for i in 1 2 3; do echo "ERROR upstream payment-api refused connection after 3 retries" > /proc/1/fd/1; done',
      ]);
      await Bun.sleep(500);
      const run = await runOnce();
      const all = await http.waitFor(4, 5000);
      await Bun.sleep(1500);
      expect(http.requests).toHaveLength(4);
      const latest = all.slice(2);
      expect(latest.map((r) => r.path).sort()).toEqual(['/hook', '/ntfy/lab']);
      const body = JSON.parse(latest.find((r) => r.path === '/hook')!.body);
      expect(body).toMatchObject({
        event: 'new_error_pattern',
        container: `${prefix}-health`,
        count: 3,
        run_id: run.id,
      });
      expect(body.text).toContain('payment-api refused connection');
      expect(latest.find((r) => r.path === '/ntfy/lab')!.body).toContain('payment-api refused connection');
    } finally {
      await notifier.stop();
    }
  }, 240_000);
});
