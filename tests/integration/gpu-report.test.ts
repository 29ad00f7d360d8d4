// GPU report through the real runner and dockerd: a locally built worker image whose nvidia-smi is a
// busybox script printing recorded-format output with the host PIDs of real test containers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.ts';
import { WorkerImageNotAllowedError } from '../../src/docker/worker-errors.ts';
import { EventBus } from '../../src/events/bus.ts';
import { putWorkerImage } from '../../src/service/worker-images.ts';
import { insertAllowlistEntry } from '../../src/store/allowlist.ts';
import { listWorkerStartsOfImage } from '../../src/store/worker-images.ts';
import { gpuReportTask } from '../../src/tasks/gpu-report.ts';
import { TaskRegistry } from '../../src/tasks/registry.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { dockerCli, ensureTestImage, hasDocker, runTestContainer, uniqueName } from '../support/docker.ts';
import { testDockerGateway } from '../support/docker-gateway.ts';
import { startProductHarness, type ProductHarness } from '../support/product-runner.ts';

const docker = hasDocker('gpu report');
const fixtures = join(import.meta.dir, '../fixtures/nvidia-smi');
const TAG = uniqueName('t');
const FAKE_IMAGE = `cyber-brain-test/fake-nvidia-smi:${TAG}`;
const UNLISTED_IMAGE = `cyber-brain-test/unlisted-nvidia-smi:${TAG}`;
const GPU_UUID = 'GPU-5c5e0b2e-7f5d-4a1b-9c6e-3d2f1a0b9e87';
const dir = mkdtempSync(join(tmpdir(), 'cb-gpu-'));
const ids: Record<string, string> = {};
const names = {
  llm: uniqueName('cbgpu-llm'),
  trainer: uniqueName('cbgpu-trainer'),
  outsider: uniqueName('cbgpu-outsider'),
};
const pids: Record<string, number[]> = {};
let db: TestDatabase;
let h: ProductHarness;

function hostPids(id: string): number[] {
  const r = dockerCli(['top', id, '-o', 'pid']);
  return r.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map(Number)
    .filter((n) => n > 0);
}

const SCRIPT = `#!/bin/sh
case "$1" in
  --query-gpu=*) cat /fixtures/gpus.csv ;;
  --query-compute-apps=*) cat /fixtures/apps.csv ;;
  *) echo "unsupported" >&2; exit 2 ;;
esac
`;

function appsCsv(): string {
  return (
    [
      `${GPU_UUID}, ${pids.llm![0]}, /app/llama-server, 18432`,
      `${GPU_UUID}, ${pids.trainer![0]}, python3, 3072`,
      `${GPU_UUID}, ${pids.trainer![1]}, python3, 1024`,
      `${GPU_UUID}, ${pids.outsider![0]}, sleep, 512`,
      `${GPU_UUID}, 4194000, Xorg, 64`,
    ].join('\n') + '\n'
  );
}

function buildFakeImage(tag: string): void {
  const ctxDir = mkdtempSync(join(tmpdir(), 'cb-fake-smi-'));
  try {
    writeFileSync(join(ctxDir, 'nvidia-smi'), SCRIPT);
    writeFileSync(join(ctxDir, 'gpus.csv'), readFileSync(join(fixtures, 'rtx3090-gpus.csv')));
    writeFileSync(join(ctxDir, 'apps.csv'), appsCsv());
    writeFileSync(
      join(ctxDir, 'Dockerfile'),
      `FROM ${ensureTestImage()}\nCOPY gpus.csv apps.csv /fixtures/\nCOPY nvidia-smi /bin/nvidia-smi\nRUN ["/bin/chmod", "755", "/bin/nvidia-smi"]\nLABEL cyber-brain-test=1\n`,
    );
    const r = dockerCli(['build', '--network=none', '-q', '-t', tag, ctxDir]);
    if (r.code !== 0) throw new Error(`building ${tag} failed: ${r.stderr}`);
  } finally {
    rmSync(ctxDir, { recursive: true, force: true });
  }
}

const ref = (s: string) => ({ image: s.slice(0, s.lastIndexOf(':')), tag: s.slice(s.lastIndexOf(':') + 1) });

beforeAll(async () => {
  if (!docker) return;
  ids.llm = runTestContainer({ name: names.llm, cmd: ['sleep', '600'] });
  ids.trainer = runTestContainer({ name: names.trainer, cmd: ['sh', '-c', 'sleep 600 & sleep 600'] });
  ids.outsider = runTestContainer({ name: names.outsider, cmd: ['sleep', '600'] });
  for (const k of ['llm', 'trainer', 'outsider']) pids[k] = hostPids(ids[k]!);
  buildFakeImage(FAKE_IMAGE);
  dockerCli(['tag', FAKE_IMAGE, UNLISTED_IMAGE]);
  db = await openTestDatabase();
  for (const k of ['llm', 'trainer'] as const) {
    await insertAllowlistEntry(db.sql, {
      containerId: ids[k]!,
      name: names[k],
      composeProject: null,
      composeService: null,
      enabled: true,
      description: '',
      tags: [],
      follow: false,
      source: 'api',
      at: new Date(),
    });
  }
  await putWorkerImage({ db, clock: systemClock }, { ...ref(FAKE_IMAGE), requires_gpu: true, active: true });
  const settings = {
    image: FAKE_IMAGE,
    workerTimeoutMs: 20_000,
    hot: { utilizationPct: 80, memoryPct: 90, temperatureC: 85 },
  };
  h = await startProductHarness(
    db,
    new TaskRegistry().register(gpuReportTask({ ...settings, localCommand: 'cb-test-no-such-nvidia-smi' })),
  );
});

afterAll(async () => {
  if (!docker) return;
  await h?.stop();
  await db?.close();
  dockerCli(['rm', '-f', ...Object.values(ids)]);
  dockerCli(['rmi', UNLISTED_IMAGE, FAKE_IMAGE]);
  if (h) rmSync(h.logsDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function report(runId: number) {
  return (await h.call('GET', `/api/runs/${runId}/report`)).json;
}

describe.skipIf(!docker)('gpu report, worker container path', () => {
  let firstRun: number;
  test('no appliance nvidia-smi, no NVIDIA runtime: the worker runs WITHOUT a device request; PIDs from top attribute VRAM', async () => {
    expect(pids.trainer!.length).toBeGreaterThanOrEqual(2);
    const run = await h.runTask('gpu_report');
    expect(run.status).toBe('success');
    firstRun = run.id;
    const rep = await report(run.id);
    const g = rep.json.reports['gpu_report/gpu_report.json'];
    expect(g.source).toBe('worker');
    expect(g.attempts.map((a: { source: string; outcome: string }) => `${a.source}:${a.outcome}`)).toEqual([
      'appliance:unavailable',
      'worker:used',
    ]);
    expect(g.attempts[1].device_request).toBe(false);
    expect(g.attempts[1].detail).toContain('the Docker daemon has no NVIDIA runtime');
    expect(g.gpus).toHaveLength(1);
    expect(g.gpus[0]).toMatchObject({ uuid: GPU_UUID, name: 'NVIDIA GeForce RTX 3090', memory_used_mib: 22845 });
    expect(
      g.attribution.containers.map((c: { container: string; vram_mib: number; processes: unknown[] }) => [
        c.container,
        c.vram_mib,
        c.processes.length,
      ]),
    ).toEqual([
      [names.llm, 18432, 1],
      [names.trainer, 4096, 2],
    ]);
    // the outsider is not allowlisted: its process stays unattributed, as does the host's Xorg
    expect(g.attribution.unattributed.processes.map((p: { pid: number }) => p.pid)).toEqual(
      [pids.outsider![0]!, 4194000].sort((a, b) => a - b),
    );
    expect(g.attribution.unattributed.vram_mib).toBe(576);
    expect(g.hotspots.map((x: { metric: string }) => x.metric)).toEqual(['utilization', 'memory', 'temperature']);
    expect(g.trend).toEqual([]);
    expect(rep.markdown).toContain('#### VRAM per container');
    expect(rep.tokens).toEqual({ prompt: 0, completion: 0, total: 0, calls: 0 });
    const starts = await listWorkerStartsOfImage(db.sql, ref(FAKE_IMAGE).image, ref(FAKE_IMAGE).tag);
    expect(starts).toHaveLength(2);
    for (const s of starts)
      expect(s).toMatchObject({ job_id: run.jobs[0].id, device_request: false, exit_code: 0, outcome: 'exited' });
    for (const s of starts) expect(s.duration_ms).toBeGreaterThan(0);
    // removed after reading its output
    expect(dockerCli(['ps', '-aq', '--filter', `ancestor=${FAKE_IMAGE}`]).stdout.trim()).toBe('');
  });

  test('thresholds are per run; samples are kept and the next run shows the trend', async () => {
    const run = await h.runTask('gpu_report', { hot_utilization_pct: 95, hot_memory_pct: 99, hot_temperature_c: 90 });
    const g = (await report(run.id)).json.reports['gpu_report/gpu_report.json'];
    expect(g.hotspots).toEqual([]);
    expect(g.trend).toEqual([
      expect.objectContaining({
        gpu_uuid: GPU_UUID,
        run_id: firstRun,
        utilization_gpu_pct: 87,
        memory_used_mib: 22845,
        temperature_c: 86,
      }),
    ]);
    // the read models serve the real task's file and samples: the latest report, and both runs in the trend
    const latest = (await h.call('GET', '/api/gpu/latest')).json;
    expect(latest).toMatchObject({ run_id: run.id, report: { source: 'worker', thresholds: { utilization_pct: 95 } } });
    expect(latest.report.gpus[0]).toMatchObject({ uuid: GPU_UUID, memory_used_mib: 22845, memory_used_pct: 93 });
    expect(latest.report.attribution).toEqual(g.attribution);
    const trend = (await h.call('GET', '/api/gpu/trend')).json;
    expect(trend.points.map((p: { run_id: number }) => p.run_id)).toEqual([run.id, firstRun]);
    expect(trend.points[1].gpus[0]).toMatchObject({
      gpu_uuid: GPU_UUID,
      utilization_gpu_pct: 87,
      memory_used_pct: 93,
      temperature_c: 86,
    });
  });

  test('device_request=always on a daemon without the NVIDIA runtime: the request is sent, the start fails and is recorded, no source', async () => {
    const run = await h.runTask('gpu_report', { device_request: 'always' });
    expect(run.status).toBe('success');
    const g = (await report(run.id)).json.reports['gpu_report/gpu_report.json'];
    expect(g.source).toBe('none');
    expect(g.attempts[1]).toMatchObject({ source: 'worker', outcome: 'failed', device_request: true });
    expect(g.attempts[1].detail).toContain('no NVIDIA runtime');
    expect(g.attempts[2].detail).toContain('--gpus all');
    const starts = await listWorkerStartsOfImage(db.sql, ref(FAKE_IMAGE).image, ref(FAKE_IMAGE).tag);
    expect(starts.at(-1)).toMatchObject({
      job_id: run.jobs[0].id,
      device_request: true,
      outcome: 'start_failed',
      exit_code: null,
      reason: 'no_gpu_runtime',
    });
    expect((await report(run.id)).markdown).toContain('No GPU figures');
  });

  test('an image off the worker-image allowlist is refused before anything starts', async () => {
    const before = dockerCli(['ps', '-aq', '--filter', `ancestor=${UNLISTED_IMAGE}`]).stdout.trim();
    const gateway = testDockerGateway({ db, clock: systemClock, events: new EventBus() });
    const refused = await gateway
      .runWorker({ image: UNLISTED_IMAGE, args: ['--help'], deviceRequest: false, timeoutMs: 5000 })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(WorkerImageNotAllowedError);
    expect(refused.status).toBe(403);
    const run = await h.runTask('gpu_report', { image: UNLISTED_IMAGE });
    const g = (await report(run.id)).json.reports['gpu_report/gpu_report.json'];
    expect(g.attempts[1]).toMatchObject({ source: 'worker', outcome: 'refused' });
    expect(g.source).toBe('none');
    expect(await listWorkerStartsOfImage(db.sql, ref(UNLISTED_IMAGE).image, ref(UNLISTED_IMAGE).tag)).toEqual([]);
    expect(before).toBe('');
    expect(dockerCli(['ps', '-aq', '--filter', `ancestor=${UNLISTED_IMAGE}`]).stdout.trim()).toBe('');
  });

  test('an inactive row is refused too', async () => {
    await putWorkerImage({ db, clock: systemClock }, { ...ref(FAKE_IMAGE), requires_gpu: true, active: false });
    try {
      const gateway = testDockerGateway({ db, clock: systemClock, events: new EventBus() });
      const refused = await gateway
        .runWorker({ image: FAKE_IMAGE, args: ['--help'], deviceRequest: false, timeoutMs: 5000 })
        .catch((e) => e);
      expect(refused).toBeInstanceOf(WorkerImageNotAllowedError);
      expect(refused.details.reason).toBe('inactive');
    } finally {
      await putWorkerImage({ db, clock: systemClock }, { ...ref(FAKE_IMAGE), requires_gpu: true, active: true });
    }
  });

  test('token stats: the task made no model call', async () => {
    const stats = (await h.call('GET', '/api/token-stats?group_by=task')).json;
    expect(stats.groups.filter((g: { key: string | null }) => g.key === 'gpu_report')).toEqual([]);
    expect(stats.totals.total_tokens).toBe(0);
  });
});

describe.skipIf(!docker)('gpu report, appliance source', () => {
  test("the appliance's own nvidia-smi is used first when present", async () => {
    // Only this test's runner may claim the job: the shared harness's runner has no appliance nvidia-smi.
    await h.stop();
    const smi = join(dir, 'nvidia-smi');
    writeFileSync(
      smi,
      `#!/bin/sh\ncase "$1" in\n  --query-gpu=*) cat ${join(fixtures, 'a100-mig-gpus.csv')} ;;\n  *) cat ${join(fixtures, 'a100-mig-apps.csv')} ;;\nesac\n`,
    );
    chmodSync(smi, 0o755);
    const local = await startProductHarness(
      db,
      new TaskRegistry().register(
        gpuReportTask({
          image: FAKE_IMAGE,
          workerTimeoutMs: 20_000,
          hot: { utilizationPct: 80, memoryPct: 90, temperatureC: 85 },
          localCommand: smi,
        }),
      ),
    );
    try {
      const before = (await listWorkerStartsOfImage(db.sql, ref(FAKE_IMAGE).image, ref(FAKE_IMAGE).tag)).length;
      const run = await local.runTask('gpu_report');
      expect({ status: run.status, error: run.jobs[0].error }).toEqual({ status: 'success', error: null });
      const g = (await local.call('GET', `/api/runs/${run.id}/report`)).json.json.reports['gpu_report/gpu_report.json'];
      expect(g.source).toBe('appliance');
      expect(g.attempts).toHaveLength(1);
      expect(g.gpus.map((x: { utilization_gpu_pct: number | null }) => x.utilization_gpu_pct)).toEqual([null, 12]);
      expect(g.attribution.unattributed.processes).toHaveLength(3);
      expect((await listWorkerStartsOfImage(db.sql, ref(FAKE_IMAGE).image, ref(FAKE_IMAGE).tag)).length).toBe(before);
    } finally {
      await local.stop();
      rmSync(local.logsDir, { recursive: true, force: true });
    }
  });
});
