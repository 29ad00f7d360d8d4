// Triage you can trust run after run (real dockerd, database and runner). Steady containers (health
// checks, a periodic job, a chatty info logger, one that logs the same error every second as
// "TIMESTAMP level=error msg=...") run for a minute; then five triage runs a few seconds apart. Runs
// 2-5 must call none of their patterns new or a spike. Beside them: a container crash-looping since
// the start (a crash_loop finding in run 1, with its restart count), one started just before run 1
// whose every restart in each later window must match the daemon's own `docker events`, and one
// that writes multi-line records (.NET console, a Java stack trace) that must count once each.
// The minute is waited for for real: the windows and the containers' ages are Docker's own times.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { windowsOfJob, type WindowRow } from '../../src/store/triage.ts';
import { productTasks } from '../../src/tasks/index.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import {
  dockerCli,
  ensureTestImage,
  hasDocker,
  removeContainers,
  runTestContainer,
  uniqueName,
} from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';
import { testRunner, waitFor } from '../support/runner.ts';

const docker = hasDocker('log triage over several runs');
const WARM_UP_MS = 60_000;
const RUNS = 5;
const GAP_MS = 2_500;

const sh = (script: string) => ['sh', '-c', script];
const STEADY = {
  health: sh('while true; do echo "GET /health 200 0.4ms"; sleep 1; done'),
  periodic: sh(
    'i=0; while true; do i=$((i+1)); echo "job cleanup finished: removed $((i*3)) expired sessions"; sleep 5; done',
  ),
  chatty: sh('i=0; while true; do i=$((i+1)); echo "INFO request id=$i served in $((i%40))ms"; usleep 100000; done'),
  errors: sh(
    'i=0; while true; do i=$((i+1)); echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) level=error msg=\\"db connection refused\\" host=db attempt=$i"; sleep 1; done',
  ),
};
const CRASH = sh('echo "starting cron"; echo "CRITICAL cannot open /data/state.db: Permission denied"; exit 1');
const RECORDS = sh(
  [
    'for i in 1 2 3; do printf "fail: App.Jobs.Worker[13]\\n      Job $i failed: the queue did not answer in time\\n"; done',
    'printf "info: App.Jobs.Worker[1]\\n      Worker started.\\n"',
    'printf "2026-12-03 10:00:00.123 ERROR 1 --- [main] c.e.Importer : import failed\\njava.lang.NullPointerException: null\\n\\tat c.e.Importer.run(Importer.java:42)\\n\\tat c.e.Main.main(Main.java:10)\\n"',
    'sleep 3600',
  ].join('; '),
);

interface Outcome {
  run: any;
  report: any;
  windows: WindowRow[];
}

describe.skipIf(!docker)('log_triage, five runs over steady and crash-looping containers', () => {
  let db: TestDatabase;
  let app: App;
  let runner: Runner;
  const dir = mkdtempSync(join(tmpdir(), 'cb-multirun-'));
  const ids: string[] = [];
  const names: Record<string, string> = {};
  const outcomes: Outcome[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.handle(apiRequest(method, path, body));
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) };
  };

  async function triage(): Promise<Outcome> {
    const launched = await call('POST', '/api/runs', {
      tasks: ['log_triage'],
      options: { log_triage: { containers: Object.values(names) } },
    });
    expect(launched.status).toBe(201);
    const run = await waitFor(
      'the run to end',
      async () => {
        const r = (await call('GET', `/api/runs/${launched.json.id}`)).json;
        return ['success', 'partial', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
      },
      30_000,
    );
    expect(run.status).toBe('success');
    const rep = await call('GET', `/api/runs/${run.id}/report`);
    return {
      run,
      report: rep.json.json.reports['log_triage.json'],
      windows: await windowsOfJob(db.sql, run.jobs[0].id),
    };
  }

  /** Starts and deaths of a container in [since, until), as `docker events` lists them. */
  function daemonEvents(id: string, since: Date, until: Date): { start: number; die: number } {
    const r = dockerCli([
      'events',
      '--since',
      since.toISOString(),
      '--until',
      until.toISOString(),
      '--filter',
      `container=${id}`,
      '--format',
      '{{json .}}',
    ]);
    expect(r.code).toBe(0);
    const from = BigInt(since.getTime()) * 1_000_000n;
    const to = BigInt(until.getTime()) * 1_000_000n;
    const out = { start: 0, die: 0 };
    for (const line of r.stdout.split('\n')) {
      const nano = /"timeNano":(\d+)/.exec(line)?.[1];
      const action = /"Action":"([^"]+)"/.exec(line)?.[1];
      if (!nano || BigInt(nano) < from || BigInt(nano) >= to) continue;
      if (action === 'start') out.start++;
      if (action === 'die') out.die++;
    }
    return out;
  }

  const containerOf = (o: Outcome, key: string) => o.report.containers.find((c: any) => c.name === names[key]);
  const findingsOf = (o: Outcome, key: string) => o.report.findings.filter((f: any) => f.container === names[key]);

  beforeAll(async () => {
    ensureTestImage();
    db = await openTestDatabase();
    const events = new EventBus();
    const tasks = productTasks(loadConfig({}));
    const gateway = testDockerGateway({ db, clock: systemClock, events });
    app = buildTestApp(db, { events, tasks, docker: gateway, config: { ...loadConfig({}), logsDir: dir } });
    runner = testRunner({ db, tasks, events, logsDir: dir, docker: gateway });
    await runner.start();
    for (const [key, cmd] of Object.entries(STEADY)) {
      names[key] = uniqueName(`cb-steady-${key}`);
      ids.push(runTestContainer({ name: names[key]!, cmd }));
    }
    names.looping = uniqueName('cb-crash-old');
    ids.push(runTestContainer({ name: names.looping!, cmd: CRASH, restart: 'always' }));
    names.records = uniqueName('cb-records');
    ids.push(runTestContainer({ name: names.records!, cmd: RECORDS }));
    for (const name of Object.values(names))
      expect((await call('POST', '/api/allowlist', { container: name })).status).toBe(201);
    // the steady containers and the first crash loop run for a minute before the first triage
    await Bun.sleep(WARM_UP_MS);
    // the second crash loop starts just before run 1: Docker's restart back-off is still short
    names.fresh = uniqueName('cb-crash-new');
    ids.push(runTestContainer({ name: names.fresh, cmd: CRASH, restart: 'always' }));
    expect((await call('POST', '/api/allowlist', { container: names.fresh })).status).toBe(201);
    await Bun.sleep(1_500);
    for (let i = 0; i < RUNS; i++) {
      if (i > 0) await Bun.sleep(GAP_MS);
      outcomes.push(await triage());
    }
  }, WARM_UP_MS + 60_000);

  afterAll(async () => {
    await runner?.stop();
    removeContainers(ids);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('run 1 sees the steady error logger: its errors are counted and ranked above every info finding', () => {
    const first = outcomes[0]!;
    const c = containerOf(first, 'errors');
    // a minute of one error a second (the window counts from the container's creation)
    expect(c.counts.errors).toBeGreaterThanOrEqual(50);
    expect(c.window.seconds).toBeGreaterThan(50);
    expect(c.window.seconds).toBeLessThan(120);
    const errorFinding = findingsOf(first, 'errors').find((f: any) => f.level === 'error');
    expect(errorFinding.template).toContain('db connection refused');
    const infoRanks = first.report.findings.filter((f: any) => f.level === 'info').map((f: any) => f.rank);
    for (const r of infoRanks) expect(errorFinding.rank).toBeLessThan(r);
  });

  test('runs 2-5: no steady pattern is new or a spike', () => {
    for (const o of outcomes.slice(1)) {
      for (const key of Object.keys(STEADY)) {
        const c = containerOf(o, key);
        expect({ key, run: o.run.id, spikes: c.counts.spikes, new: c.counts.new_templates }).toEqual({
          key,
          run: o.run.id,
          spikes: 0,
          new: 0,
        });
        const noisy = findingsOf(o, key).filter((f: any) => f.status === 'new' || f.kind === 'spike');
        expect(noisy).toEqual([]);
      }
    }
  });

  test('the container crash-looping since the start is a crash_loop finding in run 1 with its restart count', () => {
    const first = outcomes[0]!;
    const c = containerOf(first, 'looping');
    expect(c.container.crash_loop).toBe(true);
    const loop = findingsOf(first, 'looping').find((f: any) => f.kind === 'crash_loop');
    expect(loop).toMatchObject({ level: 'critical' });
    // above everything but, perhaps, the other crash loop
    expect(loop.rank).toBeLessThanOrEqual(2);
    expect(loop.restarts.total).toBe(c.container.restarts.total);
    expect(loop.restarts.total).toBeGreaterThanOrEqual(3);
    expect(loop.restarts.window).toBeGreaterThanOrEqual(3);
    expect(loop.reasons.join(' ')).toContain('Permission denied');
    // one entry per restart and per exit in the window
    const restarts = c.events.filter((e: any) => e.kind === 'restart').length;
    expect(restarts).toBe(c.container.restarts.window);
    const w = first.windows.find((x) => x.container_name === names.looping)!;
    const daemon = daemonEvents(c.id, w.since, w.until);
    expect(restarts).toBe(daemon.start - 1); // the container's first start is not a restart
    expect(c.events.filter((e: any) => e.kind === 'exit').length).toBe(daemon.die);
  });

  test('the crash loop started just before run 1: every restart inside each later window is counted, as docker events has it', () => {
    let seen = 0;
    for (const o of outcomes.slice(1)) {
      const c = containerOf(o, 'fresh');
      const w = o.windows.find((x) => x.container_name === names.fresh)!;
      const daemon = daemonEvents(c.id, w.since, w.until);
      expect({
        run: o.run.id,
        restarts: c.container.restarts.window,
        exits: c.events.filter((e: any) => e.kind === 'exit').length,
      }).toEqual({
        run: o.run.id,
        restarts: daemon.start,
        exits: daemon.die,
      });
      expect(c.events.filter((e: any) => e.kind === 'restart').length).toBe(daemon.start);
      seen += daemon.start;
    }
    // the back-off is still short: the later windows saw restarts
    expect(seen).toBeGreaterThan(0);
    const last = containerOf(outcomes[RUNS - 1]!, 'fresh');
    expect(last.container.restarts.total).toBeGreaterThanOrEqual(3);
    expect(findingsOf(outcomes[RUNS - 1]!, 'fresh').some((f: any) => f.kind === 'crash_loop')).toBe(true);
  });

  test('records that span lines count once: .NET console records and a Java stack trace', () => {
    const c = containerOf(outcomes[0]!, 'records');
    expect(c.window.lines).toBe(12);
    expect(c.counts.events).toBe(5);
    expect(c.counts.errors).toBe(4);
    const dotnet = findingsOf(outcomes[0]!, 'records').find((f: any) => f.template.includes('queue did not answer'));
    expect(dotnet).toMatchObject({ level: 'error', count: 3 });
  });

  test('the JSON report lists the restarts of each container and never an info finding above an error', () => {
    for (const o of outcomes) {
      const levels = o.report.findings.map((f: any) => f.level);
      const firstInfo = levels.findIndex((l: string) => l === 'info' || l === 'notice' || l === 'debug');
      const lastError = levels.map((l: string) => l === 'error' || l === 'critical').lastIndexOf(true);
      if (firstInfo >= 0 && lastError >= 0) expect(lastError).toBeLessThan(firstInfo);
      expect(o.report.status).toBe('ok');
    }
  });
});
