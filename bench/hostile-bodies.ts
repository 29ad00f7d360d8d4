// Hostile bodies against the real process (token set): a 300 MB chunked body without a token to each
// body-taking door (answer time, resident memory growth), and ten 200 KB bodies nested 100,000 deep in
// a row (slowest answer; /healthz p99 while they go in, against /healthz p99 of the same process idle,
// measured the same way in the same round). Prints medians over N rounds.
//   bun bench/hostile-bodies.ts [rounds]      (DATABASE_URL set: on that server; else embedded PGlite)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantile, rssBytes, sendChunked } from '../tests/abuse/support.ts';
import { startAppProcess } from '../tests/support/app-process.ts';
import { seedDataFolder } from '../tests/support/embedded-template.ts';

const rounds = Number(process.argv[2] ?? 5);
const MB = 1024 * 1024;
const TOKEN = 'bench-admin-token-0123456789';
const DOORS = ['/login', '/api/runs', '/mcp', '/messages?sessionId=00000000-0000-4000-8000-000000000000', '/sse'];

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** /healthz latencies from four pollers while `during` runs (or for `ms` when idle). */
async function healthWhile(url: string, during: () => Promise<void>): Promise<number[]> {
  let on = true;
  const out: number[] = [];
  const poller = async () => {
    while (on) {
      const t = performance.now();
      await (await fetch(`${url}/healthz`)).arrayBuffer();
      out.push(performance.now() - t);
    }
  };
  const polls = Promise.all([poller(), poller(), poller(), poller()]);
  await during();
  on = false;
  await polls;
  return out.sort((a, b) => a - b);
}

const data = mkdtempSync(join(tmpdir(), 'cb-bench-hostile-'));
if (!process.env.DATABASE_URL) await seedDataFolder(data);
const app = await startAppProcess({
  CYBER_BRAIN_TOKEN: TOKEN,
  CYBER_BRAIN_DATA: data,
  DATABASE_URL: process.env.DATABASE_URL,
});
const port = Number(new URL(app.url).port);
const pid = app.proc.pid;
const deep = `{"tasks":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
const doors: Record<string, { ms: number[]; growthMb: number[]; statuses: Set<number> }> = {};
const slowest: number[] = [];
const loadP99: number[] = [];
const idleP99: number[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    for (const path of DOORS) {
      const before = rssBytes(pid);
      const a = await sendChunked({
        port,
        path,
        headers: { 'content-type': path === '/login' ? 'application/x-www-form-urlencoded' : 'application/json' },
        total: 300 * MB,
        pid,
        stopAtGrowth: 256 * MB,
        timeoutMs: 10_000,
      });
      await Bun.sleep(50);
      const d = (doors[path.split('?')[0]!] ??= { ms: [], growthMb: [], statuses: new Set() });
      d.ms.push(a.ms);
      d.growthMb.push((Math.max(a.peakRss, rssBytes(pid)) - before) / MB);
      d.statuses.add(a.status);
    }
    let worst = 0;
    const load = await healthWhile(app.url, async () => {
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        const res = await fetch(`${app.url}${i % 2 ? '/api/runs' : '/login'}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: deep,
        });
        await res.arrayBuffer();
        if (res.status !== 400) throw new Error(`deep body answered ${res.status}`);
        worst = Math.max(worst, performance.now() - t);
      }
    });
    const idle = await healthWhile(app.url, () => Bun.sleep(150));
    slowest.push(worst);
    loadP99.push(quantile(load, 0.99));
    idleP99.push(quantile(idle, 0.99));
  }
} finally {
  await app.stop();
  rmSync(data, { recursive: true, force: true });
}
console.log(`rounds: ${rounds}, database: ${process.env.DATABASE_URL ? 'server' : 'embedded'}`);
for (const [door, d] of Object.entries(doors)) {
  console.log(
    `300 MB chunked, no token, ${door}: status ${[...d.statuses].join('/')}; answer median ${median(d.ms).toFixed(0)} ms (max ${Math.max(...d.ms).toFixed(0)}); RSS growth median ${median(d.growthMb).toFixed(1)} MB (max ${Math.max(...d.growthMb).toFixed(1)})`,
  );
}
console.log(
  `10 deep bodies: slowest answer median ${median(slowest).toFixed(1)} ms (max ${Math.max(...slowest).toFixed(1)})`,
);
console.log(
  `/healthz p99 while they go in: median ${median(loadP99).toFixed(1)} ms; idle: median ${median(idleP99).toFixed(1)} ms; ratio ${(median(loadP99) / median(idleP99)).toFixed(2)}`,
);
