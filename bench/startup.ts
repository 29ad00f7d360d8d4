// Start-up benchmark: time from spawning the process to the first /readyz 200, and resident memory
// once idle, on embedded PGlite (fresh folder and reopened folder) and on a PostgreSQL server
// (DATABASE_URL, when set). Prints medians over N runs.
//   bun bench/startup.ts [runs]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 5);
const main = join(import.meta.dir, '..', 'src', 'main.ts');

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function once(env: Record<string, string>): Promise<{ readyMs: number; rss: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const proc = Bun.spawn(['bun', main, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  let readyMs = NaN;
  while (performance.now() - started < 120_000) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await Bun.sleep(20);
  }
  await Bun.sleep(3000); // idle
  const rss = rssMb(proc.pid);
  proc.kill('SIGTERM');
  await proc.exited;
  return { readyMs, rss };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function scenario(name: string, prepare: () => Record<string, string>, cleanup: (env: Record<string, string>) => void) {
  const ready: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const env = prepare();
    const r = await once(env);
    cleanup(env);
    ready.push(r.readyMs);
    rss.push(r.rss);
  }
  console.log(`${name.padEnd(28)} start->/readyz median ${median(ready).toFixed(0)} ms   idle RSS median ${median(rss).toFixed(0)} MB   (${runs} runs)`);
}

const reopened = mkdtempSync(join(tmpdir(), 'cb-bench-'));
await once({ CYBER_BRAIN_DATA: reopened }); // create it once
await scenario('embedded, fresh folder', () => ({ CYBER_BRAIN_DATA: mkdtempSync(join(tmpdir(), 'cb-bench-')) }), (e) => rmSync(e.CYBER_BRAIN_DATA!, { recursive: true, force: true }));
await scenario('embedded, existing folder', () => ({ CYBER_BRAIN_DATA: reopened }), () => {});
if (process.env.DATABASE_URL) {
  const data = mkdtempSync(join(tmpdir(), 'cb-bench-'));
  await scenario('PostgreSQL server', () => ({ DATABASE_URL: process.env.DATABASE_URL!, CYBER_BRAIN_DATA: data }), () => {});
  rmSync(data, { recursive: true, force: true });
} else {
  console.log('PostgreSQL server           skipped: set DATABASE_URL');
}
rmSync(reopened, { recursive: true, force: true });
