// The outbox across a SIGKILL, with the real process: an allowlisted container exits, the app enqueues
// the message and its first attempt fails (receiver down); the app is SIGKILLed; after a restart the
// message is delivered exactly once, and a further kill and restart never sends it again.
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/db/migrate.ts';
import { openServer } from '../../src/db/connect.ts';
import { startAppProcess, TEST_MAIN, type AppProcess } from '../support/app-process.ts';
import { createServerDatabase } from '../support/db.ts';
import { dockerCli, dockerHost, ensureTestImage, hasDocker, removeContainers, uniqueName } from '../support/docker.ts';
import { startHttpReceiver } from '../support/receivers.ts';
import { hasRealServer, realServerUrl } from '../support/services.ts';

const root = mkdtempSync(join(tmpdir(), 'cb-notify-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('outbox and SIGKILL (real process, real PostgreSQL, real dockerd)', () => {
  const enabled =
    hasRealServer('notification outbox across SIGKILL') && hasDocker('notification outbox across SIGKILL');
  test.skipIf(!enabled)(
    'enqueued before the kill: delivered exactly once after the restart, never again',
    async () => {
      const { url, drop } = await createServerDatabase(realServerUrl()!);
      const setup = await openServer(url, 2);
      await migrate(setup.sql);
      await setup.close();
      const receiver = startHttpReceiver();
      const containers: string[] = [];
      const started: AppProcess[] = [];
      const env = {
        DATABASE_URL: url,
        DOCKER_HOST: dockerHost(),
        CYBER_BRAIN_DATA: join(root, 'data'),
        NOTIFY_RETRY_BASE_MS: '2000',
        WATCH_DOCKER_EVENTS: 'true',
      };
      const start = async () => {
        const app = await startAppProcess(env, { entry: TEST_MAIN });
        started.push(app);
        return app;
      };
      const post = async (app: AppProcess, path: string, body: unknown) => {
        const res = await fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(201);
        return (await res.json()) as { id: number };
      };
      try {
        let app = await start();
        const dest = await post(app, '/api/notifications/destinations', {
          name: 'hook',
          kind: 'webhook',
          url: `${receiver.url}/hook`,
        });
        await post(app, '/api/notifications/rules', {
          name: 'exits',
          destination_id: dest.id,
          events: ['container_died'],
          group_seconds: 0,
        });
        const name = uniqueName('cb-kill');
        const c = dockerCli([
          'create',
          '--network',
          'none',
          '--label',
          'cyber-brain-test=1',
          '--name',
          name,
          ensureTestImage(),
          'sh',
          '-c',
          'exit 4',
        ]);
        containers.push(c.stdout.trim());
        await post(app, '/api/allowlist', { container: name });
        receiver.status = 503;
        dockerCli(['start', name]);
        await receiver.waitFor(1, 10_000);
        // the failed attempt is recorded: the message is queued for a retry, not yet delivered
        const watch = await openServer(url, 1);
        for (let i = 0; i < 100; i++) {
          const [row] = await watch.sql<{ status: string }[]>`select status from notification_outbox`;
          if (row?.status === 'queued') break;
          await Bun.sleep(20);
        }
        await watch.close();
        expect(await app.stop('SIGKILL')).not.toBe(0);
        receiver.status = 200;

        app = await start();
        const [failed, delivered] = await receiver.waitFor(2, 15_000);
        await Bun.sleep(1500);
        expect(await app.stop('SIGKILL')).not.toBe(0);
        app = await start();
        await Bun.sleep(3000);
        await app.stop('SIGTERM');

        expect(receiver.requests).toHaveLength(2);
        const [b1, b2] = [JSON.parse(failed!.body), JSON.parse(delivered!.body)];
        expect(b2).toMatchObject({ event: 'container_died', container: name });
        expect(b2.id).toBe(b1.id);
        const check = await openServer(url, 1);
        const rows = await check.sql<
          { status: string; attempts: number }[]
        >`select status, attempts from notification_outbox`;
        await check.close();
        expect([...rows]).toEqual([{ status: 'delivered', attempts: 2 }]);
      } catch (err) {
        const outputs = started.map((a, i) => `--- process ${i + 1}:\n${a.output().slice(-3000)}`).join('\n');
        throw new Error(`${(err as Error).message}\n${outputs}`);
      } finally {
        for (const a of started) if (a.proc.exitCode === null && a.proc.signalCode === null) await a.stop('SIGKILL');
        removeContainers(containers);
        await receiver.close();
        await drop();
      }
    },
    90_000,
  );
});
