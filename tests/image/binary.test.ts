// The single binary (`bun run build`): built into a temporary folder, copied alone into an EMPTY folder
// (no node_modules, no sql/, no static/ around it) and started on its embedded defaults. It must pass
// /readyz on the embedded database, serve the web UI's files byte for byte (a file the build failed to
// embed shows here), answer its healthcheck, stop cleanly on SIGTERM and run its other subcommands.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, imageCheck, ROOT, waitUntil } from './support.ts';

const enabled = imageCheck('the compiled binary test');

describe.skipIf(!enabled)('dist/cyber-brain (bun build --compile)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-binary-'));
  const work = join(dir, 'empty');
  const bin = join(work, 'cyber-brain');
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: ReturnType<typeof Bun.spawn> | undefined;
  let output = '';
  /** Only what a user's shell would have: nothing from the test run (no DATABASE_URL). */
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, PORT: String(port) };

  const run = (args: string[], stdin?: string) => {
    const r = Bun.spawnSync([bin, ...args], {
      cwd: work,
      env,
      stdin: stdin === undefined ? 'ignore' : Buffer.from(stdin),
      stdout: 'pipe',
      stderr: 'pipe',
    });
    return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  };

  beforeAll(() => {
    const built = Bun.spawnSync(['bun', 'scripts/build.ts', '--outfile', join(dir, 'out', 'cyber-brain')], {
      cwd: ROOT,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    if (built.exitCode !== 0) throw new Error(`bun scripts/build.ts failed:\n${built.stdout}\n${built.stderr}`);
    Bun.spawnSync(['mkdir', '-p', work]);
    copyFileSync(join(dir, 'out', 'cyber-brain'), bin);
    Bun.spawnSync(['chmod', '+x', bin]);
    console.log(`binary figures: ${(Bun.file(bin).size / 1048576).toFixed(1)} MiB (${Bun.file(bin).size} bytes)`);
  });

  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('started in an empty folder with no configuration, it creates its embedded database and passes /readyz', async () => {
    const started = performance.now();
    const proc = Bun.spawn([bin], { cwd: work, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    server = proc;
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        output += decoder.decode(value, { stream: true });
      }
    };
    void drain(proc.stdout);
    void drain(proc.stderr);
    const ready = await waitUntil(
      '/readyz of the binary',
      async () => {
        if (proc.exitCode !== null) throw new Error(`the binary exited (${proc.exitCode}):\n${output}`);
        const res = await fetch(`${base}/readyz`);
        return res.status === 200 ? await res.json() : undefined;
      },
      120_000,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${output}`);
    });
    console.log(
      `binary figures: first start on an empty folder ready in ${Math.round(performance.now() - started)} ms`,
    );
    expect(ready).toMatchObject({ status: 'ready', database: { backend: 'embedded' } });
    expect(output).toContain('"msg":"listening"');
    // The cluster shipped inside the binary (src/db/pglite-cluster.tar.zst) is unpacked; initdb does not run.
    expect(output).toContain('"msg":"creating the database …"');
    expect(output).toContain('"msg":"embedded database created","from":"shipped cluster"');
    expect(existsSync(join(work, 'data', 'pg'))).toBe(true);
  }, 150_000);

  test('the web UI files are inside it, byte for byte; the login page renders', async () => {
    for (const [name, source] of [
      ['app.css', join(ROOT, 'static', 'app.css')],
      ['app.js', join(ROOT, 'static', 'app.js')],
      ['alpine.js', join(ROOT, 'node_modules', 'alpinejs', 'dist', 'cdn.min.js')],
    ] as const) {
      const res = await fetch(`${base}/static/${name}`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(source))).toBe(true);
    }
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('/static/app.css');
  });

  test('healthcheck: 0 while it serves; SIGTERM stops it with 0; then healthcheck says 1', async () => {
    expect(run(['healthcheck']).code).toBe(0);
    server!.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    const after = run(['healthcheck']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`healthcheck: ${base}/healthz`);
  }, 30_000);

  test('migrate on the same folder finds nothing to apply; mine and triage work without a server', async () => {
    const migrated = run(['migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('"applied":[]');
    const mined = run(['mine'], 'ERROR disk /dev/sda1 full\nERROR disk /dev/sdb2 full\n');
    expect(mined.code).toBe(0);
    const lines = mined.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].template_id).toBe(lines[1].template_id);
    const log = join(dir, 'app.log');
    await Bun.write(log, 'INFO started\nERROR connection refused to db:5432\nERROR connection refused to db:5432\n');
    const triaged = run(['triage', '--input', log]);
    expect(triaged.code).toBe(0);
    expect(triaged.stdout).toContain('connection refused');
    expect(run(['bogus']).code).toBe(2);
  }, 60_000);
});
