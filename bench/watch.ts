// Watching cost: the real app process with 20 allowlisted containers writing 2,000 lines/s in total,
// log triage scheduled every minute and the Docker event stream followed. Samples the app's CPU time
// and RSS from /proc every 5 s and prints the average CPU (% of one core) and the peak RSS against the
// targets (< 5 %, < 150 MB).
//   bun bench/watch.ts [minutes=10] [containers=20] [lines_per_second_total=2000]
// Needs DOCKER_HOST (or /var/run/docker.sock) and the docker CLI; DATABASE_URL is used when set, else
// the embedded database. The containers have no network.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess } from '../tests/support/app-process.ts';
import { createServerDatabase } from '../tests/support/db.ts';
import { dockerHost, ensureTestImage, removeContainers, runTestContainer } from '../tests/support/docker.ts';

const minutes = Number(process.argv[2] ?? 10);
const count = Number(process.argv[3] ?? 20);
const total = Number(process.argv[4] ?? 2000);
const perContainer = total / count;
// busybox sh: print a batch of lines every 100 ms; a new request id each line, a warning now and then
const script = (i: number) =>
  `n=0; while true; do j=0; while [ $j -lt ${Math.round(perContainer / 10)} ]; do n=$((n+1)); j=$((j+1)); ` +
  `if [ $((n % 500)) -eq 0 ]; then echo "WARN svc${i} slow upstream took $((n % 900))ms id=$n"; else echo "INFO svc${i} GET /api/items/$((n % 977)) 200 id=$n"; fi; done; usleep 100000; done`;

const CLK_TCK = 100;
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

ensureTestImage();
const dir = mkdtempSync(join(tmpdir(), 'cb-bench-watch-'));
const ids: string[] = [];
const tag = Date.now().toString(36);
let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
// a database of its own on the server, dropped at the end
const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : undefined;
try {
  for (let i = 0; i < count; i++)
    ids.push(runTestContainer({ name: `cb-bench-watch-${tag}-${i}`, cmd: ['sh', '-c', script(i)] }));
  app = await startAppProcess({
    DATABASE_URL: server?.url,
    DOCKER_HOST: dockerHost(),
    CYBER_BRAIN_DATA: join(dir, 'data'),
    WATCH_DOCKER_EVENTS: 'true',
  });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${app!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  };
  for (let i = 0; i < count; i++) await post('/api/allowlist', { container: `cb-bench-watch-${tag}-${i}` });
  await post('/api/schedules', { name: 'bench triage', tasks: ['log_triage'], every_seconds: 60 });
  const pid = app.proc.pid;
  const startCpu = cpuSeconds(pid);
  const startWall = performance.now();
  let peak = rssMb(pid);
  const samples: number[] = [];
  const end = startWall + minutes * 60_000;
  while (performance.now() < end) {
    await Bun.sleep(5000);
    const r = rssMb(pid);
    samples.push(r);
    peak = Math.max(peak, r);
  }
  const cpu = cpuSeconds(pid) - startCpu;
  const wall = (performance.now() - startWall) / 1000;
  const runs = (await (await fetch(`${app.url}/api/runs?trigger=schedule&limit=200`)).json()) as {
    runs: { status: string }[];
  };
  const avgCpu = (100 * cpu) / wall;
  console.log(
    `containers ${count}, ${total} lines/s in total, ${minutes} min, ${runs.runs.length} scheduled triage runs (${runs.runs.filter((r) => r.status === 'success').length} succeeded)`,
  );
  console.log(
    `app CPU: ${cpu.toFixed(1)} s over ${wall.toFixed(0)} s = ${avgCpu.toFixed(2)} % of one core (target < 5 %)`,
  );
  console.log(`app RSS: peak ${peak.toFixed(1)} MB, last ${samples.at(-1)?.toFixed(1) ?? '-'} MB (target < 150 MB)`);
  console.log(
    JSON.stringify({
      cpu_pct: Number(avgCpu.toFixed(2)),
      peak_rss_mb: Number(peak.toFixed(1)),
      runs: runs.runs.length,
    }),
  );
} finally {
  await app?.stop('SIGTERM');
  removeContainers(ids);
  await server?.drop();
  rmSync(dir, { recursive: true, force: true });
}
