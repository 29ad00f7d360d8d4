// Service map on containers built to look like a compose project (labels, an internal network, a shared
// volume, a link, an env reference by service name), through the real runner and dockerd.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerGateway } from '../../src/docker/gateway.ts';
import { insertAllowlistEntry } from '../../src/store/allowlist.ts';
import { TaskRegistry } from '../../src/tasks/registry.ts';
import { serviceMapTask } from '../../src/tasks/service-map.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, ensureTestImage, hasDocker, uniqueName } from '../support/docker.ts';
import { startProductHarness, type ProductHarness } from '../support/product-runner.ts';

const docker = hasDocker('service map');
const ENV_CANARY = `s3cr3t-${Math.random().toString(36).slice(2, 10)}`;
const P = uniqueName('cbsm');
const NET = `${P}-backend`;
const VOL = `${P}-data`;
const [D, A, W, X] = ['db', 'api', 'web', 'worker'].map((s) => `${P}-${s}`) as [string, string, string, string];
const PORT = 20000 + Math.floor(Math.random() * 20000);
const ids: Record<string, string> = {};
const insideReads: { op: string; ref: string }[] = [];
let db: TestDatabase;
let h: ProductHarness;

function must(args: string[]): string {
  const r = dockerCli(args);
  if (r.code !== 0) throw new Error(`docker ${args[0]} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const compose = (service: string, extra: Record<string, string> = {}) =>
  Object.entries({
    'cyber-brain-test': '1',
    'com.docker.compose.project': P,
    'com.docker.compose.service': service,
    ...extra,
  }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

/** Records every inside-read the task asks the gateway for. */
function spy(g: DockerGateway): DockerGateway {
  return {
    ...g,
    inspect: (ref) => (insideReads.push({ op: 'inspect', ref }), g.inspect(ref)),
    top: (ref) => (insideReads.push({ op: 'top', ref }), g.top(ref)),
    stats: (ref) => (insideReads.push({ op: 'stats', ref }), g.stats(ref)),
    logs: (ref, o) => (insideReads.push({ op: 'logs', ref }), g.logs(ref, o)),
    envReferences: (ref, names) => (insideReads.push({ op: 'env', ref }), g.envReferences(ref, names)),
  };
}

function artifactsText(dir: string): string {
  let out = '';
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out += readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  if (!docker) return;
  const image = ensureTestImage();
  must(['network', 'create', '--internal', '--label', 'cyber-brain-test=1', NET]);
  must(['volume', 'create', '--label', 'cyber-brain-test=1', VOL]);
  ids.db = must([
    'run',
    '-d',
    '--name',
    D,
    '--network',
    NET,
    '--network-alias',
    'database',
    '-v',
    `${VOL}:/data`,
    ...compose('db'),
    image,
    'sleep',
    '600',
  ]);
  ids.api = must([
    'run',
    '-d',
    '--name',
    A,
    '--network',
    NET,
    '-v',
    `${VOL}:/cache`,
    '--link',
    `${D}:dbhost`,
    '--env',
    `DB_URL=postgres://app:${ENV_CANARY}@db:5432/app`,
    '--env',
    `API_TOKEN=${ENV_CANARY}`,
    ...compose('api', { 'com.docker.compose.depends_on': 'db:service_started:false' }),
    image,
    'sleep',
    '600',
  ]);
  // created, never started: the publication is declared but nothing listens
  ids.web = must([
    'create',
    '--name',
    W,
    '--network',
    NET,
    '-p',
    `0.0.0.0:${PORT}:80`,
    ...compose('web', { 'com.docker.compose.depends_on': 'api:service_started:false' }),
    image,
    'sleep',
    '600',
  ]);
  // not allowlisted: its env names the db, but nothing may be read from inside it
  ids.worker = must([
    'run',
    '-d',
    '--name',
    X,
    '--network',
    'none',
    '--env',
    `QUEUE_URL=redis://db:6379/${ENV_CANARY}`,
    ...compose('worker'),
    image,
    'sleep',
    '600',
  ]);
  db = await openTestDatabase();
  for (const [name, service] of [
    [D, 'db'],
    [A, 'api'],
    [W, 'web'],
  ] as const) {
    await insertAllowlistEntry(db.sql, {
      containerId: ids[service]!,
      name,
      composeProject: P,
      composeService: service,
      enabled: true,
      description: '',
      tags: [],
      follow: false,
      source: 'api',
      at: new Date(),
    });
  }
  h = await startProductHarness(db, new TaskRegistry().register(serviceMapTask), spy);
});

afterAll(async () => {
  if (!docker) return;
  await h?.stop();
  await db?.close();
  dockerCli(['rm', '-f', ...Object.values(ids)]);
  dockerCli(['network', 'rm', NET]);
  dockerCli(['volume', 'rm', VOL]);
  if (h) rmSync(h.logsDir, { recursive: true, force: true });
});

const c = (n: string) => `container:${n}`;

describe.skipIf(!docker)('service map', () => {
  let first: any;
  test('scope allowlist: the exact nodes, edges and evidence; 0.0.0.0 flagged; no env value anywhere', async () => {
    const run = await h.runTask('service_map', { scope: 'allowlist' });
    expect(run.status).toBe('success');
    first = run;
    const report = (await h.call('GET', `/api/runs/${run.id}/report`)).json;
    const map = report.json.reports['service_map/services.json'];
    expect(map.nodes.map((n: { id: string }) => n.id)).toEqual(
      [c(A), c(D), c(W), `network:${NET}`, `port:0.0.0.0:${PORT}/tcp`, `volume:${VOL}`].sort(),
    );
    expect(map.nodes.find((n: { id: string }) => n.id === `network:${NET}`)).toMatchObject({
      internal: true,
      driver: 'bridge',
    });
    expect(map.edges).toEqual(
      [
        { from: c(A), to: `network:${NET}`, kind: 'attached', evidence: [`network ${NET}`] },
        { from: c(D), to: `network:${NET}`, kind: 'attached', evidence: [`network ${NET}`] },
        { from: c(W), to: `network:${NET}`, kind: 'attached', evidence: [`network ${NET}`] },
        { from: c(A), to: c(D), kind: 'depends_on', evidence: ['label com.docker.compose.depends_on names db'] },
        { from: c(W), to: c(A), kind: 'depends_on', evidence: ['label com.docker.compose.depends_on names api'] },
        { from: c(A), to: c(D), kind: 'env', evidence: ['env DB_URL names db'] },
        { from: c(A), to: c(D), kind: 'link', evidence: [`link ${D} as dbhost`] },
        { from: c(A), to: `volume:${VOL}`, kind: 'mounts', evidence: ['mounted at /cache'] },
        { from: c(D), to: `volume:${VOL}`, kind: 'mounts', evidence: ['mounted at /data'] },
        { from: c(A), to: c(D), kind: 'network', evidence: [`network ${NET}`] },
        { from: c(A), to: c(W), kind: 'network', evidence: [`network ${NET}`] },
        { from: c(D), to: c(W), kind: 'network', evidence: [`network ${NET}`] },
        { from: `port:0.0.0.0:${PORT}/tcp`, to: c(W), kind: 'publishes', evidence: [`0.0.0.0:${PORT} -> 80/tcp`] },
        { from: c(A), to: c(D), kind: 'volume', evidence: [`volume ${VOL}`] },
      ].sort((a, b) => a.kind.localeCompare(b.kind) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    );
    expect(map.exposures).toEqual([
      {
        container: W,
        host_ip: '0.0.0.0',
        host_port: PORT,
        container_port: 80,
        proto: 'tcp',
        binding: 'all_interfaces',
      },
    ]);
    expect(map.findings).toContainEqual({
      kind: 'exposed_all_interfaces',
      severity: 'high',
      subject: W,
      message: `port published on all interfaces (0.0.0.0/::): 0.0.0.0:${PORT} -> ${W}:80/tcp`,
    });
    // web depends on api (running) but is itself only created: no unhealthy-dependency finding for api
    expect(map.findings.filter((f: { kind: string }) => f.kind === 'unhealthy_dependency')).toEqual([]);
    // the read model serves the real task's file whole (its schema accepts it): the same map, the same run
    const latest = (await h.call('GET', '/api/service-map/latest')).json;
    expect(latest).toMatchObject({ run_id: run.id, newest_run: { id: run.id, status: 'success' } });
    expect(latest.map).toEqual({ ...map, docker_host: map.docker_host, previous_map_job: map.previous_map_job });
    expect(report.markdown).toContain('```mermaid');
    expect(report.markdown).toContain('flowchart LR');
    expect(report.tokens).toEqual({ prompt: 0, completion: 0, total: 0, calls: 0 });
  });

  test('scope all: the non-allowlisted container is a metadata-only node and nothing is read from inside it', async () => {
    insideReads.length = 0;
    const run = await h.runTask('service_map', { scope: 'all' });
    expect(run.status).toBe('success');
    const map = (await h.call('GET', `/api/runs/${run.id}/report`)).json.json.reports['service_map/services.json'];
    expect(map.nodes.find((n: { id: string }) => n.id === c(X))).toMatchObject({
      allowlisted: false,
      compose_service: 'worker',
      state: 'running',
    });
    expect(map.edges.filter((e: { from: string }) => e.from === c(X))).toEqual([]);
    expect(insideReads.filter((r) => r.ref === ids.worker || r.ref === X)).toEqual([]);
    expect(insideReads.map((r) => r.op)).toEqual(['env', 'env', 'env']);
    expect(JSON.stringify(map)).not.toContain('QUEUE_URL');
  });

  test('a second map says what is new (nothing) since the previous one', async () => {
    const run = await h.runTask('service_map', { scope: 'allowlist' });
    const map = (await h.call('GET', `/api/runs/${run.id}/report`)).json.json.reports['service_map/services.json'];
    expect(map.previous_map_job).toBe(first.jobs[0].id);
    expect(map.findings.filter((f: { kind: string }) => f.kind.startsWith('new_'))).toEqual([]);
  });

  test('the env value is in no artifact, table or log line', async () => {
    expect(artifactsText(h.logsDir)).not.toContain(ENV_CANARY);
    expect(h.logLines.join('\n')).not.toContain(ENV_CANARY);
    expect(h.logLines.join('\n')).toContain('service map drawn');
    const tables = await db.sql<
      { table_name: string }[]
    >`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    for (const { table_name } of tables) {
      const rows = await db.sql.unsafe(`select t::text as row from "${table_name}" t`);
      for (const r of rows) expect(String(r.row)).not.toContain(ENV_CANARY);
    }
  });

  test('run report and token stats: 0 tokens, no model call', async () => {
    const stats = (await h.call('GET', '/api/token-stats?group_by=task')).json;
    const mine = stats.groups.filter((g: { key: string | null }) => g.key === 'service_map');
    expect(mine.reduce((n: number, g: { total_tokens: number }) => n + g.total_tokens, 0)).toBe(0);
    expect(stats.totals.total_tokens).toBe(0);
  });
});
