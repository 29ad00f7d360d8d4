// The real process: start on embedded defaults, stop, start again; start-up failures; the database
// going away under a running process.
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAppCommand, startAppProcess } from '../support/app-process.ts';
import { createServerDatabase } from '../support/db.ts';
import { seedDataFolder } from '../support/embedded-template.ts';
import { hasRealServer, realServerUrl } from '../support/services.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const root = mkdtempSync(join(tmpdir(), 'cb-process-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

/** Waits for the line a start prints when its Docker host cannot be reached (logged just after listening). */
async function saysDockerUnreachable(app: { output(): string }) {
  const line = /"msg":"Docker unreachable at unix:\/\/[^"]*no-docker\.sock: container features are off until it is"/;
  for (let i = 0; i < 100 && !line.test(app.output()); i++) await Bun.sleep(100);
  expect(app.output()).toMatch(line);
}

describe('the appliance process on embedded PGlite', () => {
  test('a fresh data folder serves /healthz; after a stop and a start the data is still there', async () => {
    const data = join(root, 'fresh');
    // No Docker daemon behind this socket: the terminal says so, and the appliance serves anyway.
    const dockerSocket = join(root, 'no-docker.sock');
    const env = { CYBER_BRAIN_DATA: data, DOCKER_HOST: `unix://${dockerSocket}` };
    // What an earlier first start cut short would leave: the cluster is made beside pg/ and renamed.
    mkdirSync(join(data, 'pg.new', 'base'), { recursive: true });
    writeFileSync(join(data, 'pg.new', 'base', 'half-written'), 'x');
    const first = await startAppProcess(env, { timeoutMs: 90_000 });
    try {
      expect((await getJson(`${first.url}/healthz`)).status).toBe(200);
      const ready = await getJson(`${first.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(ready.body.database.backend).toBe('embedded');
      await saysDockerUnreachable(first);
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    expect(first.output()).toContain('"msg":"stopped"');
    const second = await startAppProcess(env);
    try {
      expect((await getJson(`${second.url}/readyz`)).status).toBe(200);
      await saysDockerUnreachable(second);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
    const logs = first.output() + second.output();
    expect(logs).toContain('"applied":["0001_init.sql"');
    expect(second.output()).toContain('"applied":[]');
    // The first start says it is creating the database, then unpacks the cluster shipped with the code
    // (from source too: no initdb); the second start creates nothing.
    expect(first.output()).toContain(`"msg":"creating the database …","data_dir":${JSON.stringify(join(data, 'pg'))}`);
    expect(first.output()).toContain('"msg":"embedded database created","from":"shipped cluster"');
    expect(first.output().indexOf('creating the database')).toBeLessThan(first.output().indexOf('"msg":"listening"'));
    expect(second.output()).not.toContain('creating the database');
    expect(second.output()).not.toContain('embedded database created');
    for (const start of [first, second]) expect(start.output().split('Docker unreachable at').length).toBe(2); // said once
    expect(existsSync(join(data, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(data, 'pg.new'))).toBe(false);
    // The data written by the first start is read back by a third, short-lived process.
    const check = await runAppCommand(env, ['migrate']);
    expect(check.exitCode).toBe(0);
    const dump = Bun.spawnSync([
      'bun',
      '-e',
      `
      const { openEmbedded } = await import(${JSON.stringify(join(import.meta.dir, '..', '..', 'src', 'db', 'embedded.ts'))});
      const db = await openEmbedded({ dataDir: ${JSON.stringify(join(data, 'pg'))} });
      const rows = await db.sql\`select key, value from app_meta order by key\`;
      const [buffers] = await db.sql\`show shared_buffers\`;
      console.log(JSON.stringify({ rows, buffers }));
      await db.close();
    `,
    ]);
    const { rows, buffers } = JSON.parse(dump.stdout.toString()) as {
      rows: { key: string; value: string }[];
      buffers: { shared_buffers: string };
    };
    // Small shared buffers keep the resident memory of the embedded database down.
    expect(buffers.shared_buffers).toBe('16MB');
    const firstStart = rows.find((r) => r.key === 'first_started_at')!.value;
    expect(rows.find((r) => r.key === 'starts')!.value).toBe('2');
    expect(Date.parse(firstStart)).toBeLessThan(Date.now());
  }, 180_000);

  test('a pg folder holding files but no database stops the start with one line; nothing is removed', async () => {
    const data = join(root, 'stray');
    mkdirSync(join(data, 'pg'), { recursive: true });
    writeFileSync(join(data, 'pg', 'notes.txt'), 'mine');
    const r = await runAppCommand({ CYBER_BRAIN_DATA: data });
    expect(r.exitCode).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${join(data, 'pg')} holds files but no database`);
    expect(readFileSync(join(data, 'pg', 'notes.txt'), 'utf8')).toBe('mine');
  }, 30_000);

  test('a second process on the same data folder stops with a clear line', async () => {
    const data = join(root, 'locked');
    await seedDataFolder(data);
    const app = await startAppProcess({ CYBER_BRAIN_DATA: data });
    try {
      const second = await runAppCommand({ CYBER_BRAIN_DATA: data });
      expect(second.exitCode).not.toBe(0);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toContain(`in use by another process (pid ${app.proc.pid})`);
      expect((await getJson(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  }, 60_000);
});

describe('start-up failures: one clear line, non-zero exit', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['PORT=abc', { PORT: 'abc' }, /^cyber-brain: PORT="abc" is not valid: expected an integer from 0 to 65535$/],
    [
      'DATABASE_URL=nonsense',
      { DATABASE_URL: 'nonsense' },
      /^cyber-brain: DATABASE_URL=\(hidden\) is not valid: expected a URL like postgres:/,
    ],
    [
      'an unwritable logs folder',
      { CYBER_BRAIN_LOGS: '/proc/cyber-brain-logs' },
      /^cyber-brain: CYBER_BRAIN_LOGS="\/proc\/cyber-brain-logs" cannot be created/,
    ],
    [
      'a logs folder inside a file',
      { CYBER_BRAIN_LOGS: '@FILE@/logs' },
      /^cyber-brain: CYBER_BRAIN_LOGS=".*" cannot be created: a part of the path is a file/,
    ],
    [
      'an unreachable database server',
      { DATABASE_URL: 'postgres://cb:pw@127.0.0.1:1/cb' },
      /^cyber-brain: cannot reach PostgreSQL at 127.0.0.1:1\/cb: ECONNREFUSED/,
    ],
    [
      'an unknown command',
      { __ARGS: 'frobnicate' },
      /^cyber-brain: unknown command "frobnicate"; expected one of: serve, migrate, healthcheck, mine, triage$/,
    ],
  ];
  for (const [name, env, line] of cases) {
    test(name, async () => {
      const file = join(root, 'a-file');
      writeFileSync(file, '');
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('@FILE@', file)]));
      const args = resolved.__ARGS ? [resolved.__ARGS] : ['serve'];
      delete resolved.__ARGS;
      const r = await runAppCommand({ CYBER_BRAIN_DATA: join(root, 'unused'), ...resolved }, args);
      expect(r.exitCode).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      expect(r.stderr + r.stdout).not.toContain(':pw@');
    }, 30_000);
  }
});

/** A real process whose database connection goes through a proxy the test can cut or stall. */
async function appBehindProxy(name: string) {
  const { url, drop } = await createServerDatabase(realServerUrl()!);
  const target = new URL(url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const app = await startAppProcess({ DATABASE_URL: viaProxy.toString(), CYBER_BRAIN_DATA: join(root, name) });
  return { app, proxy, drop };
}

describe('the database going away under a running process', () => {
  const enabled = hasRealServer('database outage');
  test.skipIf(!enabled)(
    '/readyz turns 503 with the error shape, /healthz keeps serving, and readiness comes back',
    async () => {
      const { app, proxy, drop } = await appBehindProxy('outage');
      try {
        expect((await getJson(`${app.url}/readyz`)).status).toBe(200);
        proxy.cut();
        const down = await getJson(`${app.url}/readyz`);
        expect(down.status).toBe(503);
        expect(down.body.error.code).toBe('database_unavailable');
        expect(typeof down.body.error.message).toBe('string');
        expect((await getJson(`${app.url}/healthz`)).status).toBe(200);
        proxy.resume();
        let back = 0;
        for (let i = 0; i < 50 && back !== 200; i++) {
          back = (await getJson(`${app.url}/readyz`)).status;
          if (back !== 200) await Bun.sleep(100);
        }
        expect(back).toBe(200);
      } finally {
        await app.stop();
        proxy.close();
        await drop();
      }
    },
    60_000,
  );

  test.skipIf(!enabled)(
    'SIGTERM lets an in-flight request finish, then the process exits 0',
    async () => {
      const { app, proxy, drop } = await appBehindProxy('inflight');
      try {
        proxy.stall(); // /readyz now waits for its 3 s database timeout
        const inFlight = fetch(`${app.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() }));
        await Bun.sleep(500);
        app.proc.kill('SIGTERM');
        const answered = await inFlight;
        expect(answered.status).toBe(503);
        expect(answered.body.error.code).toBe('database_unavailable');
        proxy.resume();
        const code = await Promise.race([app.proc.exited, Bun.sleep(25_000).then(() => -1)]);
        expect(code).toBe(0);
        expect(app.output()).toContain('"msg":"stopped"');
      } finally {
        await app.stop();
        proxy.close();
        await drop();
      }
    },
    60_000,
  );
});
