// The REAL Dockerfile, built on local stand-ins of its base images (scripts/image-bases.sh: a Debian
// root file system from debootstrap, plus Bun from npm) and run against this machine's PostgreSQL and
// dockerd, in both documented forms:
//   compose form     DATABASE_URL to PostgreSQL, logs and uploads bind-mounted from host folders
//   single container embedded database in ONE volume on /data
// Each must pass /readyz, finish a log triage launched through the REST API, and turn healthy in Docker's
// eyes. docker-compose validates docker-compose.yml. The closing figures (sizes, idle memory, time to
// healthy) are printed as "image figures: ..." lines.
// The app containers use the host's network namespace (the only way to reach the CI PostgreSQL on
// 127.0.0.1; dockerd runs with --bridge=none) and bind to 127.0.0.1 only.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServerDatabase } from '../support/db.ts';
import { dockerCli, dockerHost, ensureTestImage, runTestContainer, uniqueName } from '../support/docker.ts';
import { realServerUrl } from '../support/services.ts';
import {
  call,
  docker,
  dockerfileArg,
  freePort,
  imageCheck,
  requireDocker,
  ROOT,
  socketPathAndGroup,
  triageThroughApi,
  waitUntil,
} from './support.ts';

const enabled = imageCheck('the image checks');
const IMAGE = 'cyber-brain:image-check';
const APP_UID = 10001;
const TOKEN = `image-check-${crypto.randomUUID()}`;

/** Figures for the closing note, printed at the end. */
const figures: string[] = [];
const figure = (line: string) => {
  figures.push(line);
  console.log(`image figures: ${line}`);
};

function health(id: string): string {
  return dockerCli(['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', id]).stdout.trim();
}

/** Time from `docker run` to Docker's healthy, and the answers to /readyz on the way. */
async function runUntilHealthy(args: string[]): Promise<{ id: string; ms: number }> {
  const started = performance.now();
  const id = docker(['run', '-d', ...args]);
  await waitUntil(
    'the container to become healthy',
    () => {
      const state = dockerCli(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', id]).stdout.trim();
      if (state.startsWith('exited') || state.startsWith('dead'))
        throw new Error(
          `the container stopped (${state}):\n${dockerCli(['logs', id]).stderr}${dockerCli(['logs', id]).stdout}`,
        );
      return health(id) === 'healthy';
    },
    180_000,
    50,
  ).catch((err) => {
    const logs = dockerCli(['logs', '--tail', '40', id]);
    throw new Error(
      `${(err as Error).message}\nhealth: ${dockerCli(['inspect', '-f', '{{json .State.Health}}', id]).stdout}\n${logs.stdout}${logs.stderr}`,
    );
  });
  return { id, ms: Math.round(performance.now() - started) };
}

/** CPU time the container's cgroup has used, in ns (cgroup v1 or v2); undefined where unreadable. */
async function cgroupCpuNs(id: string): Promise<number | undefined> {
  for (const dir of [`/sys/fs/cgroup/cpuacct/docker/${id}`, `/sys/fs/cgroup/cpu,cpuacct/docker/${id}`]) {
    const text = await Bun.file(`${dir}/cpuacct.usage`)
      .text()
      .catch(() => undefined);
    if (text) return Number(text.trim());
  }
  for (const dir of [`/sys/fs/cgroup/docker/${id}`, `/sys/fs/cgroup/system.slice/docker-${id}.scope`]) {
    const text = await Bun.file(`${dir}/cpu.stat`)
      .text()
      .catch(() => undefined);
    const usec = text && /^usage_usec (\d+)/m.exec(text)?.[1];
    if (usec) return Number(usec) * 1000;
  }
  return undefined;
}

/** Memory of the container's main process after it has been idle a while (cgroup usage and RSS), and
 *  the CPU the idle container spends (its own timers plus the HEALTHCHECK probes). */
async function idleMemory(id: string, label: string): Promise<void> {
  await Bun.sleep(5_000);
  const cpuBefore = await cgroupCpuNs(id);
  await Bun.sleep(20_000);
  const cpuAfter = await cgroupCpuNs(id);
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    figure(
      `${label}: idle CPU over 20 s (cgroup, healthchecks included) ${((cpuAfter - cpuBefore) / 1e6).toFixed(0)} ms = ${((cpuAfter - cpuBefore) / 2e8).toFixed(1)} % of one core`,
    );
  }
  const pid = docker(['inspect', '-f', '{{.State.Pid}}', id]);
  const status = await Bun.file(`/proc/${pid}/status`)
    .text()
    .catch(() => '');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const stats = docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', id]);
  figure(
    `${label}: idle memory (docker stats) ${stats}; process VmRSS ${(kb('VmRSS') / 1024).toFixed(1)} MiB = anonymous ${(kb('RssAnon') / 1024).toFixed(1)} MiB + file-backed ${(kb('RssFile') / 1024).toFixed(1)} MiB (pages of the binary)`,
  );
}

describe.skipIf(!enabled)('the image (real Dockerfile on stand-in bases)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-image-'));
  const containers: string[] = [];
  const volumes: string[] = [];
  const drops: (() => Promise<void>)[] = [];
  let built = false;
  let socket: { path: string; gid: number };
  let workload = '';

  beforeAll(() => {
    requireDocker();
    socket = socketPathAndGroup();
    // a container with something in its log for the triage to find
    workload = uniqueName('cb-image-workload');
    containers.push(
      runTestContainer({
        name: workload,
        image: ensureTestImage(),
        cmd: [
          'sh',
          '-c',
          'echo "INFO worker up"; for i in 1 2 3; do echo "ERROR upstream timed out after 30s (attempt $i)"; done; while true; do sleep 1; done',
        ],
      }),
    );
  });

  afterAll(async () => {
    if (containers.length) dockerCli(['rm', '-f', '-v', ...containers]);
    if (volumes.length) dockerCli(['volume', 'rm', '-f', ...volumes]);
    for (const drop of drops) await drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    if (figures.length) console.log(`image figures (all):\n  ${figures.join('\n  ')}`);
  });

  const requireImage = () => {
    if (!built) throw new Error('the image was not built (see the build test)');
  };

  test('the stand-in base images are there, tagged as the Dockerfile ARG defaults name them', async () => {
    for (const arg of ['BUN_IMAGE', 'BASE_IMAGE']) {
      const name = await dockerfileArg(arg);
      const r = dockerCli(['image', 'inspect', '-f', '{{.Id}}', name]);
      if (r.code !== 0)
        throw new Error(`${arg} default ${name} is missing on ${dockerHost()}: run scripts/image-bases.sh first`);
    }
  });

  test('the Dockerfile builds (multi-stage, no registry; the build stage fetches packages from npm)', () => {
    const started = performance.now();
    const r = Bun.spawnSync(
      [
        'docker',
        '-H',
        dockerHost(),
        'build',
        '--network=host',
        '--build-arg',
        `DOCKER_GID=${socket.gid}`,
        '-t',
        IMAGE,
        '.',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
        stdout: 'pipe',
        stderr: 'pipe',
      },
    );
    if (r.exitCode !== 0)
      throw new Error(
        `docker build failed (${r.exitCode}):\n${r.stdout.toString().slice(-4000)}\n${r.stderr.toString().slice(-4000)}`,
      );
    built = true;
    figure(`docker build of the Dockerfile: ${Math.round((performance.now() - started) / 1000)} s`);
  }, 900_000);

  test('the image: non-root user in the Docker group, volumes, port, folders, healthcheck, entry point', async () => {
    requireImage();
    const cfg = JSON.parse(docker(['image', 'inspect', '-f', '{{json .Config}}', IMAGE]));
    expect(cfg.User).toBe('cyberbrain');
    expect(Object.keys(cfg.Volumes ?? {}).sort()).toEqual(['/data', '/logs', '/uploads']);
    expect(Object.keys(cfg.ExposedPorts ?? {})).toEqual(['9595/tcp']);
    expect(cfg.Env).toEqual(
      expect.arrayContaining([
        'CYBER_BRAIN_LOGS=/logs',
        'CYBER_BRAIN_UPLOADS=/uploads',
        'CYBER_BRAIN_DATA=/data',
        'PORT=9595',
      ]),
    );
    expect(cfg.Healthcheck.Test).toEqual(['CMD', '/usr/local/bin/cyber-brain', 'healthcheck']);
    expect(cfg.Entrypoint).toEqual(['/usr/local/bin/cyber-brain']);
    expect(cfg.Cmd).toEqual(['serve']);
    // the subcommands answer without a server: mine reads stdin
    const mined = docker(['run', '--rm', '-i', '--network=none', IMAGE, 'mine'], 'ERROR disk full on /dev/sda1\n');
    expect(JSON.parse(mined)).toMatchObject({ line: 1 });
    const bytes = Number(docker(['image', 'inspect', '-f', '{{.Size}}', IMAGE]));
    const save = Bun.spawnSync(['sh', '-c', 'docker -H "$1" save "$2" | gzip -c | wc -c', 'sh', dockerHost(), IMAGE], {
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const gz = Number(save.stdout.toString().trim());
    figure(
      `image size: ${(bytes / 1e6).toFixed(1)} MB uncompressed (docker image inspect .Size), ${(gz / 1e6).toFixed(1)} MB as docker save | gzip`,
    );
  }, 180_000);

  test('compose form: PostgreSQL, logs and uploads bind-mounted, Docker socket: ready, a log triage finishes, healthy', async () => {
    requireImage();
    const server = realServerUrl();
    if (!server) throw new Error('CB_TEST_POSTGRES_URL or DATABASE_URL must name the CI PostgreSQL');
    const db = await createServerDatabase(server);
    drops.push(db.drop);
    const logs = join(dir, 'logs');
    const uploads = join(dir, 'uploads');
    for (const d of [logs, uploads]) {
      mkdirSync(d, { recursive: true });
      chownSync(d, APP_UID, APP_UID);
    }
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    const { id, ms } = await runUntilHealthy([
      '--network=host',
      '-e',
      'HOST=127.0.0.1',
      '-e',
      `PORT=${port}`,
      '-e',
      `DATABASE_URL=${db.url}`,
      '-e',
      `CYBER_BRAIN_TOKEN=${TOKEN}`,
      '-v',
      `${socket.path}:/var/run/docker.sock`,
      '-v',
      `${logs}:/logs`,
      '-v',
      `${uploads}:/uploads`,
      IMAGE,
    ]);
    containers.push(id);
    figure(`compose form (PostgreSQL): docker run to healthy in ${ms} ms`);
    const ready = await call(base, TOKEN, 'GET', '/readyz', undefined);
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({
      status: 'ready',
      database: { backend: 'postgres' },
      docker: { status: 'ok' },
      auth: { enabled: true },
    });
    expect((await fetch(`${base}/static/app.css`)).status).toBe(200);
    expect((await call(base, 'wrong-token', 'GET', '/api/runs')).status).toBe(401);

    const { run, report } = await triageThroughApi(base, TOKEN, workload);
    expect(run.status).toBe('success');
    expect(report.status).toBe(200);
    expect(report.text).toContain('upstream timed out');
    // the report files landed in the host folder mounted on /logs
    expect(readdirSync(logs)).toContain(`run_${run.id}`);

    await idleMemory(id, 'compose form (PostgreSQL)');
    docker(['stop', '-t', '20', id]);
    expect(docker(['inspect', '-f', '{{.State.ExitCode}}', id])).toBe('0');
  }, 400_000);

  test('single container: embedded database in one volume; ready, a log triage finishes, healthy; a restart keeps the data', async () => {
    requireImage();
    const volume = uniqueName('cb-image-data');
    docker(['volume', 'create', volume]);
    volumes.push(volume);
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    // as the README documents it: reports and uploads moved into the one volume
    const args = [
      '--network=host',
      '-e',
      'HOST=127.0.0.1',
      '-e',
      `PORT=${port}`,
      '-e',
      `CYBER_BRAIN_TOKEN=${TOKEN}`,
      '-e',
      'CYBER_BRAIN_LOGS=/data/logs',
      '-e',
      'CYBER_BRAIN_UPLOADS=/data/uploads',
      '-v',
      `${socket.path}:/var/run/docker.sock`,
      '-v',
      `${volume}:/data`,
    ];
    const first = await runUntilHealthy([...args, IMAGE]);
    containers.push(first.id);
    figure(`single container (embedded, first start on an empty volume): docker run to healthy in ${first.ms} ms`);
    const ready = await call(base, TOKEN, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', database: { backend: 'embedded' }, docker: { status: 'ok' } });
    const { run } = await triageThroughApi(base, TOKEN, workload);
    expect(run.status).toBe('success');
    await idleMemory(first.id, 'single container (embedded)');
    docker(['stop', '-t', '20', first.id]);
    expect(docker(['inspect', '-f', '{{.State.ExitCode}}', first.id])).toBe('0');
    docker(['rm', '-v', first.id]);

    // a new container on the same volume: the database and the finished run are still there
    const second = await runUntilHealthy([...args, IMAGE]);
    containers.push(second.id);
    figure(`single container (embedded, start on an existing volume): docker run to healthy in ${second.ms} ms`);
    const again = await call(base, TOKEN, 'GET', `/api/runs/${run.id}`);
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('success');
    // the database, the reports and the uploads folder all live in the one volume
    const volumeRoot = docker(['volume', 'inspect', '-f', '{{.Mountpoint}}', volume]);
    expect(existsSync(join(volumeRoot, 'pg'))).toBe(true);
    expect(existsSync(join(volumeRoot, 'logs', `run_${run.id}`))).toBe(true);
    expect(existsSync(join(volumeRoot, 'uploads'))).toBe(true);

    // SIGKILL of the container while runs are being written: the next container on the volume starts on a
    // consistent database holding every run whose creation was answered 201
    const committed: number[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const r = await call(base, TOKEN, 'POST', '/api/runs', { tasks: ['service_map'] }).catch(() => undefined);
        if (!r) return; // the container is gone
        if (r.status === 201) committed.push(r.json.id);
      }
    })();
    await waitUntil('a few runs to be committed', () => committed.length >= 5, 60_000, 20);
    docker(['kill', '--signal', 'KILL', second.id]);
    writing = false;
    await writer;
    const third = await runUntilHealthy([...args, IMAGE]);
    containers.push(third.id);
    figure(`single container (embedded, start after SIGKILL mid-write): docker run to healthy in ${third.ms} ms`);
    for (const id of committed)
      expect({ id, status: (await call(base, TOKEN, 'GET', `/api/runs/${id}`)).status }).toEqual({ id, status: 200 });
    const after = await call(base, TOKEN, 'POST', '/api/runs', { tasks: ['service_map'] });
    expect(after.status).toBe(201);
    expect(after.json.id).toBeGreaterThan(Math.max(...committed));
  }, 600_000);

  test('docker-compose.yml validates (also with the socket-proxy profile); no start without CYBER_BRAIN_TOKEN; .env.example publishes on 192.168.1.3', () => {
    const compose = (args: string[], env: Record<string, string>) => {
      const r = Bun.spawnSync(['docker-compose', '-f', 'docker-compose.yml', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
    };
    if (!Bun.which('docker-compose'))
      throw new Error('docker-compose is not installed (apt-get install docker-compose)');
    const withToken = { CYBER_BRAIN_TOKEN: 't0ken', POSTGRES_PASSWORD: 'pw' };
    const ok = compose(['config'], withToken);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('127.0.0.1');
    expect(ok.out).toContain('service_healthy');
    expect(ok.out).toContain('/var/run/docker.sock');
    const proxied = compose(['--profile', 'socket-proxy', 'config'], withToken);
    expect(proxied.code).toBe(0);
    expect(proxied.out).toContain('DOCKER_HOST: tcp://docker-proxy:2375');
    const noToken = compose(['config'], { POSTGRES_PASSWORD: 'pw' });
    expect(noToken.code).not.toBe(0);
    expect(noToken.err).toContain('set CYBER_BRAIN_TOKEN in .env');
    // .env.example ships no token or password: compose refuses it until they are filled in
    const asShipped = compose(['--env-file', '.env.example', 'config'], {});
    expect(asShipped.code).not.toBe(0);
    expect(asShipped.err).toContain('set CYBER_BRAIN_TOKEN in .env');
    const example = compose(['--env-file', '.env.example', 'config'], withToken);
    expect(example.err).toBe('');
    expect(example.code).toBe(0);
    expect(example.out).toContain('192.168.1.3');
  });
});
