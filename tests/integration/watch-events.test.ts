// The live Docker event follower on a real dockerd: an allowlisted container that exits non-zero or is
// OOM-killed reaches a webhook on loopback within seconds; a container off the allowlist does not;
// after the connection to the daemon breaks, the follower reconnects with `since` and loses nothing.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { dockerEndpoint } from '../../src/docker/client.ts';
import { createDockerGateway } from '../../src/docker/gateway.ts';
import { EventBus } from '../../src/events/bus.ts';
import { silentLogger } from '../../src/log.ts';
import { Notifier } from '../../src/runner/notifier.ts';
import { allowlistPolicy } from '../../src/service/allowlist-policy.ts';
import { ContainerWatch } from '../../src/service/container-watch.ts';
import { ingestSignal } from '../../src/service/notify-signals.ts';
import { buildTestApp, callJson } from '../support/app.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, dockerHost, ensureTestImage, hasDocker, removeContainers, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const docker = hasDocker('docker event follower');
let db: TestDatabase;
let http: HttpReceiver;
const created: string[] = [];
const config = loadConfig({ NOTIFY_RETRY_BASE_MS: '50' });
const events = new EventBus();
let app: ReturnType<typeof buildTestApp>;

beforeAll(async () => {
  db = await openTestDatabase();
  http = startHttpReceiver();
  app = buildTestApp(db, { config, events });
  if (docker) ensureTestImage();
});
afterAll(async () => {
  removeContainers(created);
  await http.close();
  await db.close();
});

/** Creates (not starts) a container and puts it on the allowlist. */
async function allowlisted(cmd: string[], extra: string[] = []): Promise<string> {
  const name = uniqueName('cb-watch');
  const r = dockerCli([
    'create',
    '--network',
    'none',
    '--label',
    'cyber-brain-test=1',
    '--name',
    name,
    ...extra,
    ensureTestImage(),
    ...cmd,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  created.push(r.stdout.trim());
  const added = await callJson(app, 'POST', '/api/allowlist', { container: name });
  expect(added.status).toBe(201);
  return name;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe.skipIf(!docker)('container events (real dockerd)', () => {
  test('non-zero exits and an OOM kill reach the webhook within 5 s (median of 10); a container off the list stays out', async () => {
    const dest = await callJson(app, 'POST', '/api/notifications/destinations', {
      name: 'hook',
      kind: 'webhook',
      url: `${http.url}/hook`,
    });
    await callJson(app, 'POST', '/api/notifications/rules', {
      name: 'exits',
      destination_id: dest.json.id,
      events: ['container_died', 'oom_killed', 'crash_loop'],
      group_seconds: 0,
    });
    const ctx = { db, clock: systemClock, events, logger: silentLogger };
    const watch = new ContainerWatch({
      docker: testDockerGateway({ db, clock: systemClock, events }),
      clock: systemClock,
      logger: silentLogger,
      onSignal: (s) => ingestSignal(ctx, s),
    });
    const notifier = new Notifier(
      {
        ...ctx,
        logsDir: '/nonexistent',
        docker: testDockerGateway({ db, clock: systemClock, events }),
        notify: config.notify,
        owner: 't',
      },
      { tickMs: 500 },
    );
    watch.start();
    notifier.start();
    try {
      // off the allowlist: seen in the history, never announced
      const stranger = uniqueName('cb-stranger');
      const s = dockerCli([
        'run',
        '-d',
        '--network',
        'none',
        '--label',
        'cyber-brain-test=1',
        '--name',
        stranger,
        ensureTestImage(),
        'sh',
        '-c',
        'exit 5',
      ]);
      created.push(s.stdout.trim());

      const latencies: number[] = [];
      for (let i = 0; i < 10; i++) {
        const name = await allowlisted(['sh', '-c', `sleep 0.2; exit ${i + 1}`]);
        const before = http.requests.length;
        dockerCli(['start', name]);
        const reqs = await http.waitFor(before + 1, 8000);
        const body = JSON.parse(reqs[before]!.body);
        expect(body).toMatchObject({
          event: 'container_died',
          container: name,
          severity: 'error',
          title: `${name}: exited with code ${i + 1}`,
        });
        // from the exit (the daemon's event time) to the receiver
        latencies.push(reqs[before]!.at - Date.parse(body.first_seen));
      }
      console.log(`exit -> webhook latency ms: median ${median(latencies)}, all ${latencies.join(' ')}`);
      expect(median(latencies)).toBeLessThan(5000);

      const oom = await allowlisted(
        ['dd', 'if=/dev/zero', 'bs=64M', 'count=1', 'of=/dev/null'],
        ['--memory', '16m', '--memory-swap', '16m'],
      );
      const before = http.requests.length;
      dockerCli(['start', oom]);
      const reqs = await http.waitFor(before + 1, 8000);
      expect(JSON.parse(reqs[before]!.body)).toMatchObject({
        event: 'oom_killed',
        container: oom,
        severity: 'critical',
      });
      await Bun.sleep(700);
      // the exit that follows the OOM kill is not announced a second time; the stranger never was
      const later = http.requests.slice(before).map((r) => JSON.parse(r.body));
      expect(later.filter((b) => b.container === oom)).toHaveLength(1);
      expect(http.requests.some((r) => JSON.parse(r.body).container === stranger)).toBe(false);
      expect(watch.history(stranger).map((e) => e.action)).toContain('die');
    } finally {
      await watch.stop();
      await notifier.stop();
    }
  });

  test('a crash loop is one announcement, not one per exit', async () => {
    http.requests.length = 0;
    const signals: string[] = [];
    const watch = new ContainerWatch(
      {
        docker: testDockerGateway({ db, clock: systemClock, events }),
        clock: systemClock,
        logger: silentLogger,
        onSignal: async (s) => void signals.push(`${s.event}:${s.count}`),
      },
      { crashLoopExits: 3 },
    );
    watch.start();
    try {
      const name = await allowlisted(['sh', '-c', 'exit 2'], ['--restart', 'always']);
      dockerCli(['start', name]);
      const deadline = Date.now() + 20_000;
      while (!signals.some((s) => s.startsWith('crash_loop')) && Date.now() < deadline) await Bun.sleep(100);
      dockerCli(['rm', '-f', name]);
      expect(signals.slice(0, 3)).toEqual(['container_died:1', 'container_died:1', 'crash_loop:3']);
      expect(watch.history(name).length).toBeLessThanOrEqual(50);
    } finally {
      await watch.stop();
    }
  });

  test('after the daemon connection breaks, the follower reconnects with since and loses no event', async () => {
    const unixPath = dockerHost().replace(/^unix:\/\//, '');
    const proxy = await startTcpProxy('127.0.0.1', 0, unixPath);
    const gateway = createDockerGateway(
      dockerEndpoint(`tcp://127.0.0.1:${proxy.port}`),
      allowlistPolicy({ db, clock: systemClock, events }),
    );
    const seen: string[] = [];
    const watch = new ContainerWatch(
      {
        docker: gateway,
        clock: systemClock,
        logger: silentLogger,
        onSignal: async (s) => void seen.push(`${s.event}:${s.container?.name}`),
      },
      { reconnectMinMs: 200, reconnectMaxMs: 400 },
    );
    watch.start();
    try {
      const first = await allowlisted(['sh', '-c', 'exit 7']);
      await Bun.sleep(300);
      dockerCli(['start', first]);
      const deadline = Date.now() + 5000;
      while (!seen.includes(`container_died:${first}`) && Date.now() < deadline) await Bun.sleep(50);
      expect(seen).toContain(`container_died:${first}`);
      // the connection goes away; an exit happens while the follower is cut off
      proxy.cut();
      const second = await allowlisted(['sh', '-c', 'exit 8']);
      dockerCli(['start', second]);
      await Bun.sleep(500);
      expect(seen).not.toContain(`container_died:${second}`);
      proxy.resume();
      const deadline2 = Date.now() + 8000;
      while (!seen.includes(`container_died:${second}`) && Date.now() < deadline2) await Bun.sleep(50);
      expect(seen).toContain(`container_died:${second}`);
      expect(watch.connections).toBeGreaterThanOrEqual(2);
      // nothing seen twice across the seam
      expect(seen.filter((s) => s === `container_died:${first}`)).toHaveLength(1);
    } finally {
      await watch.stop();
      proxy.close();
    }
  });
});
