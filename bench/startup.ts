// Start-up benchmark of the embedded default, as a new user meets it, for each form given: from source
// (`bun src/main.ts serve` in a checkout), the compiled binary, and the single-container image. Per run:
// a first start on an empty data folder (or volume), then a restart on it; for each, the time from the
// spawn (or `docker run`) to the first /readyz 200, and the memory IDLE seconds after ready: the
// process's RSS, and its memory cgroup (usage less inactive file pages, as `docker stats` counts it;
// peak = the cgroup's high-water mark). Forms are run in turns, so a before/after pair shares the same
// moments of a shared machine. Prints medians of RUNS.
//
//   bun bench/startup.ts [--runs 5] [--idle 30] FORM ...
//   FORM: label=source:CHECKOUT | label=binary:PATH | label=image:IMAGE
//   e.g. bun bench/startup.ts before=source:/tmp/old after=source:. after-bin=binary:dist/cyber-brain after-img=image:cyber-brain
//
// Needs root for the per-process cgroup (cgroup v1 memory controller or cgroup v2); without it the
// cgroup columns say n/a. The image form uses the daemon in DOCKER_HOST and the host network.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Form {
  label: string;
  kind: 'source' | 'binary' | 'image';
  ref: string;
}

interface Sample {
  readyMs: number;
  rssMb: number;
  cgroupMb: number;
  peakMb: number;
}

const args = process.argv.slice(2);
let runs = 5;
let idleS = 30;
const forms: Form[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--runs') runs = Number(args[++i]);
  else if (a === '--idle') idleS = Number(args[++i]);
  else {
    const m = /^([\w.-]+)=(source|binary|image):(.+)$/.exec(a);
    if (!m) {
      console.error(
        `bench/startup: cannot read ${JSON.stringify(a)}; expected label=source:PATH, label=binary:PATH or label=image:NAME`,
      );
      process.exit(2);
    }
    forms.push({ label: m[1]!, kind: m[2] as Form['kind'], ref: m[2] === 'image' ? m[3]! : resolve(m[3]!) });
  }
}
if (!forms.length) forms.push({ label: 'source', kind: 'source', ref: resolve(import.meta.dir, '..') });

const dockerHost = process.env.DOCKER_HOST;
const dockerArgs = dockerHost ? ['-H', dockerHost] : [];
function docker(...a: string[]): string {
  const r = Bun.spawnSync(['docker', ...dockerArgs, ...a]);
  if (r.exitCode !== 0) throw new Error(`docker ${a.slice(0, 2).join(' ')}: ${r.stderr.toString().trim()}`);
  return r.stdout.toString().trim();
}

function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

// A memory cgroup per process (v1 or v2), so the figure counts what the kernel charges to it.
const CGROUP_V1 = '/sys/fs/cgroup/memory';
const CGROUP_V2 = existsSync('/sys/fs/cgroup/cgroup.controllers') ? '/sys/fs/cgroup' : undefined;
function makeCgroup(name: string): string | undefined {
  const base = existsSync(join(CGROUP_V1, 'memory.usage_in_bytes')) ? CGROUP_V1 : CGROUP_V2;
  if (!base) return undefined;
  try {
    mkdirSync(join(base, name));
    return join(base, name);
  } catch {
    return undefined;
  }
}
function cgroupMemory(dir: string | undefined): { now: number; peak: number } {
  if (!dir) return { now: NaN, peak: NaN };
  const stat = Object.fromEntries(
    readFileSync(join(dir, 'memory.stat'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  const v1 = existsSync(join(dir, 'memory.usage_in_bytes'));
  const usage = Number(readFileSync(join(dir, v1 ? 'memory.usage_in_bytes' : 'memory.current'), 'utf8'));
  const inactive = Number((v1 ? stat.total_inactive_file : stat.inactive_file) ?? 0);
  const peakFile = join(dir, v1 ? 'memory.max_usage_in_bytes' : 'memory.peak');
  const peak = existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8')) : NaN;
  return { now: (usage - inactive) / 1048576, peak: peak / 1048576 };
}
function removeCgroup(dir: string | undefined) {
  if (!dir) return;
  for (let i = 0; i < 20; i++) {
    try {
      rmdirSync(dir); // a cgroup goes with rmdir once its processes have left
      return;
    } catch {
      // processes still leaving
    }
    Bun.sleepSync(50);
  }
}

async function waitReady(port: number, started: number, alive: () => boolean): Promise<number> {
  while (performance.now() - started < 180_000) {
    if (!alive()) throw new Error('the process ended before it was ready');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await Bun.sleep(20);
  }
  throw new Error('not ready within 180 s');
}

let cgroupSeq = 0;
/** One start of a source checkout or a binary on a data folder: ready time, then idle memory. */
async function startProcess(form: Form, data: string): Promise<Sample> {
  const port = freePort();
  const cg = makeCgroup(`cb-bench-${process.pid}-${cgroupSeq++}`);
  const command = form.kind === 'source' ? ['bun', join(form.ref, 'src', 'main.ts'), 'serve'] : [form.ref, 'serve'];
  // the shell joins the cgroup first, then becomes the app (exec), so every page it touches is counted
  const script = cg ? `echo $$ > ${cg}/cgroup.procs && exec "$@"` : 'exec "$@"';
  const started = performance.now();
  const proc = Bun.spawn(['sh', '-c', script, 'sh', ...command], {
    cwd: form.kind === 'source' ? form.ref : data,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      CYBER_BRAIN_DATA: data,
      ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}),
    },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  try {
    const readyMs = await waitReady(port, started, () => proc.exitCode === null);
    await Bun.sleep(idleS * 1000);
    const mem = cgroupMemory(cg);
    return { readyMs, rssMb: rssMb(proc.pid), cgroupMb: mem.now, peakMb: mem.peak };
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
    removeCgroup(cg);
  }
}

function dockerMemMb(id: string): number {
  // "12.3MiB / 1.9GiB"
  const usage = docker('stats', '--no-stream', '--format', '{{.MemUsage}}', id).split('/')[0]!.trim();
  const m = /^([\d.]+)\s*([KMG]i?B|B)$/.exec(usage);
  if (!m) return NaN;
  const scale: Record<string, number> = {
    B: 1 / 1048576,
    KiB: 1 / 1024,
    kB: 1 / 1024,
    MiB: 1,
    MB: 1,
    GiB: 1024,
    GB: 1024,
  };
  return Number(m[1]) * (scale[m[2]!] ?? NaN);
}

/** One `docker run` of the image on a volume: ready time, then the container's idle memory. */
async function startContainer(form: Form, volume: string): Promise<Sample> {
  const port = freePort();
  const started = performance.now();
  const id = docker(
    'run',
    '-d',
    '--network=host',
    '-e',
    'HOST=127.0.0.1',
    '-e',
    `PORT=${port}`,
    '-e',
    'LOG_LEVEL=warn',
    '-v',
    `${volume}:/data`,
    form.ref,
    'serve',
  );
  try {
    const readyMs = await waitReady(port, started, () => docker('inspect', '-f', '{{.State.Running}}', id) === 'true');
    await Bun.sleep(idleS * 1000);
    const pid = Number(docker('inspect', '-f', '{{.State.Pid}}', id));
    return { readyMs, rssMb: rssMb(pid), cgroupMb: dockerMemMb(id), peakMb: NaN };
  } finally {
    Bun.spawnSync(['docker', ...dockerArgs, 'rm', '-f', id]);
  }
}

/** A first start on an empty folder or volume, then a restart on it. */
async function oneRun(form: Form): Promise<{ first: Sample; restart: Sample }> {
  if (form.kind === 'image') {
    const volume = `cb-bench-${process.pid}-${cgroupSeq++}`;
    docker('volume', 'create', volume);
    try {
      return { first: await startContainer(form, volume), restart: await startContainer(form, volume) };
    } finally {
      Bun.spawnSync(['docker', ...dockerArgs, 'volume', 'rm', '-f', volume]);
    }
  }
  const data = mkdtempSync(join(tmpdir(), 'cb-bench-'));
  try {
    return { first: await startProcess(form, data), restart: await startProcess(form, data) };
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const results = new Map<Form, { first: Sample[]; restart: Sample[] }>(
  forms.map((f) => [f, { first: [], restart: [] }]),
);
for (let run = 1; run <= runs; run++) {
  for (const form of forms) {
    const r = await oneRun(form);
    results.get(form)!.first.push(r.first);
    results.get(form)!.restart.push(r.restart);
    const f = (s: Sample) =>
      `${Math.round(s.readyMs)} ms, RSS ${s.rssMb.toFixed(0)} MB, cgroup ${s.cgroupMb.toFixed(0)} MB`;
    console.log(`run ${run}/${runs} ${form.label}: first ${f(r.first)}; restart ${f(r.restart)}`);
  }
}

const fmt = (x: number, unit: string) => (Number.isNaN(x) ? 'n/a' : `${Math.round(x)} ${unit}`);
console.log(
  `\nmedians of ${runs} runs, memory ${idleS} s after ready (process RSS / cgroup; peak = cgroup high-water mark)`,
);
console.log(
  'form'.padEnd(16) +
    'first start'.padEnd(14) +
    'restart'.padEnd(12) +
    'idle after first'.padEnd(24) +
    'idle after restart'.padEnd(24) +
    'peak (first)',
);
for (const form of forms) {
  const r = results.get(form)!;
  const mem = (s: Sample[]) =>
    `${fmt(median(s.map((x) => x.rssMb)), 'MB')} / ${fmt(median(s.map((x) => x.cgroupMb)), 'MB')}`;
  console.log(
    `${form.label.padEnd(16)}${fmt(median(r.first.map((s) => s.readyMs)), 'ms').padEnd(14)}${fmt(median(r.restart.map((s) => s.readyMs)), 'ms').padEnd(12)}` +
      `${mem(r.first).padEnd(24)}${mem(r.restart).padEnd(24)}${fmt(median(r.first.map((s) => s.peakMb)), 'MB')}`,
  );
}
