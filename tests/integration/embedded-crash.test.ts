// Crash safety of the embedded database: the process is killed with SIGKILL while runs are being written,
// twice; each restart finds a consistent database (indexes agree with their tables) in which every run
// whose creation was answered 201 is still there, and takes new runs.
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, TEST_MAIN, type AppProcess } from '../support/app-process.ts';
import { seedDataFolder } from '../support/embedded-template.ts';

const root = mkdtempSync(join(tmpdir(), 'cb-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Launches runs from `writers` loops until stopped; returns the ids answered 201 (committed). */
function writeRuns(app: AppProcess, writers: number) {
  const committed: number[] = [];
  let stop = false;
  const loop = async () => {
    while (!stop) {
      try {
        const res = await fetch(`${app.url}/api/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tasks: ['probe'], options: { probe: { sleep_ms: 0 } } }),
        });
        if (res.status === 201) committed.push(((await res.json()) as { id: number }).id);
      } catch {
        return; // the process is gone
      }
    }
  };
  const done = Promise.all(Array.from({ length: writers }, loop));
  return { committed, finish: () => ((stop = true), done) };
}

/** Index scans and sequential scans of the written tables count the same rows. */
function consistencyReport(pgDir: string): { runs: number[]; jobs: number[]; ids: number[] } {
  const script = `
    const { openEmbedded } = await import(${JSON.stringify(join(import.meta.dir, '..', '..', 'src', 'db', 'embedded.ts'))});
    const db = await openEmbedded({ dataDir: ${JSON.stringify(pgDir)} });
    const count = async (table, scan) => {
      const [r] = await db.sql.begin(async (tx) => {
        await tx.unsafe(scan === 'index' ? 'set local enable_seqscan = off' : 'set local enable_indexscan = off; set local enable_bitmapscan = off; set local enable_indexonlyscan = off');
        return tx.unsafe('select count(*)::int as n from ' + table + ' where id > 0');
      });
      return r.n;
    };
    const out = { runs: [await count('runs', 'index'), await count('runs', 'seq')], jobs: [await count('jobs', 'index'), await count('jobs', 'seq')] };
    out.ids = (await db.sql\`select id from runs order by id\`).map((r) => r.id);
    console.log(JSON.stringify(out));
    await db.close();`;
  const r = Bun.spawnSync(['bun', '-e', script]);
  if (r.exitCode !== 0) throw new Error(`consistency check failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString());
}

describe('embedded PGlite killed with SIGKILL mid-write', () => {
  test('restarts consistent, with every committed run', async () => {
    const data = join(root, 'data');
    await seedDataFolder(data);
    const env = { CYBER_BRAIN_DATA: data };
    const committed: number[] = [];
    for (let round = 0; round < 2; round++) {
      const app = await startAppProcess(env, { entry: TEST_MAIN, timeoutMs: 90_000 });
      const writes = writeRuns(app, 4);
      // kill once some runs are committed, while the writers keep going
      for (let i = 0; i < 300 && writes.committed.length < 15 + round * 10; i++) await Bun.sleep(50);
      app.proc.kill('SIGKILL');
      await app.proc.exited;
      await writes.finish();
      expect(writes.committed.length).toBeGreaterThan(0);
      committed.push(...writes.committed);
    }

    const app = await startAppProcess(env, { entry: TEST_MAIN, timeoutMs: 90_000 });
    try {
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      for (const id of committed) {
        const res = await fetch(`${app.url}/api/runs/${id}`);
        expect({ id, status: res.status }).toEqual({ id, status: 200 });
      }
      const res = await fetch(`${app.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tasks: ['probe'], options: { probe: { sleep_ms: 0 } } }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { id: number }).id).toBeGreaterThan(Math.max(...committed));
    } finally {
      expect(await app.stop()).toBe(0);
    }

    const report = consistencyReport(join(data, 'pg'));
    expect(report.runs[0]).toBe(report.runs[1]!);
    expect(report.jobs[0]).toBe(report.jobs[1]!);
    for (const id of committed) expect(report.ids).toContain(id);
  }, 240_000);
});
