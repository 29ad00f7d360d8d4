// Upgrade path of the embedded database: a data folder written by the version before the light embedded
// default (commit d1fc63c: the app, its migrations, three finished runs, stopped cleanly) is taken over
// by this version's first start as it is, with every row intact, and written to afterwards.
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractTar } from '../../src/db/tar.ts';
import { startAppProcess, TEST_MAIN } from '../support/app-process.ts';

const FIXTURE = join(import.meta.dir, '..', 'fixtures', 'embedded-volume-d1fc63c.tar.zst');
const root = mkdtempSync(join(tmpdir(), 'cb-upgrade-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Run = {
  id: number;
  status: string;
  directive: { sha256: string };
  jobs: { status: string; error_code: string | null }[];
  artifacts: { sha256: string }[];
};

describe('a data folder made by the previous version', () => {
  test('is carried over on the first start: same runs, same directive snapshot, then new writes', async () => {
    const data = join(root, 'data');
    mkdirSync(data, { recursive: true });
    extractTar(Bun.zstdDecompressSync(await Bun.file(FIXTURE).bytes()), data); // holds pg/
    const app = await startAppProcess({ CYBER_BRAIN_DATA: data }, { entry: TEST_MAIN, timeoutMs: 90_000 });
    try {
      expect(app.output()).not.toContain('creating the database');
      // that version had 0001-0007: exactly the migrations written since are applied, in order
      const applied = /"msg":"migrations","applied":(\[[^\]]*\])/.exec(app.output());
      const since = readdirSync(join(import.meta.dir, '..', '..', 'sql'))
        .filter((f) => f.endsWith('.sql') && Number(f.slice(0, 4)) > 7)
        .sort();
      expect(JSON.parse(applied![1]!)).toEqual(since);
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      const runs = await Promise.all(
        [1, 2, 3].map(async (id) => (await (await fetch(`${app.url}/api/runs/${id}`)).json()) as Run),
      );
      expect(runs.map((r) => r.status)).toEqual(['success', 'success', 'failed']);
      expect(runs[2]!.jobs[0]).toMatchObject({ status: 'failed', error_code: 'task_error' });
      expect(runs[0]!.directive.sha256).toBe('130ad052c6eb4ed6e23b4832d398ac2c40a84eaa15b4f52c9586d6fdb258c0f7');
      expect(runs[0]!.artifacts.map((a) => a.sha256)).toEqual([
        'e2ccc7f6d73e817ff1b29f3afbb1e22832bd6468b08e376e00ad1e964b61e232',
        '3e77f31087b4e8b1dd542d92649f77dd9e162b164e15dc19736e719c6f5c74fb',
      ]);
      // the carried-over database takes new runs, numbered after the old ones
      const res = await fetch(`${app.url}/api/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tasks: ['probe'], options: { probe: { sleep_ms: 0 } } }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { id: number }).id).toBe(4);
    } finally {
      expect(await app.stop()).toBe(0);
    }
  }, 120_000);
});
