// The command line: `mine` prints one template per input line, in order; `triage` reports a log file
// without a database or Docker, ranked findings first, and asks the model only when LLM_BASE_URL is set
// (redacted: no planted secret reaches it).
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-cli-'));
const logFile = join(dir, 'app.log');
const SECRET = 'hunter2-s3cret-pw';
let fake: FakeLlm;

function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    LLM_BASE_URL: undefined,
    DATABASE_URL: undefined,
    ...opts.env,
  };
  const r = Bun.spawnSync(['bun', 'src/cli.ts', ...args], {
    stdin: opts.stdin === undefined ? 'ignore' : Buffer.from(opts.stdin),
    stdout: 'pipe',
    stderr: 'pipe',
    env: env as Record<string, string>,
  });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

beforeAll(async () => {
  fake = await startFakeLlm({ answer: () => 'The payments service lost its database.' });
  const lines: string[] = [];
  for (let i = 0; i < 40; i++)
    lines.push(`2026-11-26T03:${String(i).padStart(2, '0')}:00Z INFO GET /api/items/${i} 200 in ${i}ms`);
  for (let i = 0; i < 5; i++)
    lines.push(`2026-11-26T03:4${i}:00Z ERROR payments: connection refused to db:5432 password=${SECRET}`);
  lines.push('2026-11-26T03:46:00Z WARN slow query took 2300ms');
  writeFileSync(logFile, lines.join('\n') + '\n');
});

afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('mine: one JSON object per input line, in order, lines of one event sharing a template', () => {
  const r = cli(['mine'], {
    stdin: 'user 1 logged in from 10.0.0.1\nuser 2 logged in from 10.0.0.2\ndisk full on /dev/sda1\n',
  });
  expect(r.code).toBe(0);
  const out = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(out.map((o) => o.line)).toEqual([1, 2, 3]);
  expect(out[0].template_id).toBe(out[1].template_id);
  expect(out[2].template_id).not.toBe(out[0].template_id);
  expect(out[0].template).toContain('logged in from');
  expect(Object.keys(out[0]).sort()).toEqual(['line', 'template', 'template_id']);
  expect(cli(['mine', '--input', logFile]).stdout.trim().split('\n')).toHaveLength(46);
});

test('triage --json: the report JSON, findings ranked most important first, no model without LLM_BASE_URL', () => {
  const r = cli(['triage', '--input', logFile, '--json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report).toMatchObject({
    schema: 'cyber-brain.log_triage',
    version: 1,
    analysis: { status: 'not_configured' },
  });
  expect(report.findings[0]).toMatchObject({ rank: 1, level: 'error', count: 5 });
  expect(report.findings[0].template).toContain('connection refused');
  expect(report.containers[0].counts).toMatchObject({ errors: 5, warnings: 1 });
  expect(r.stdout).not.toContain(SECRET);
  const md = cli(['triage', '--input', logFile]);
  expect(md.stdout).toStartWith('# Log triage');
  expect(md.stdout).toContain('No analysis: no model is configured');
});

test('triage with LLM_* set asks the model once, redacted, within LLM_CONTEXT_TOKENS', async () => {
  // asynchronously: the fake model server answers from this process
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: undefined,
    LLM_BASE_URL: fake.url,
    LLM_CONTEXT_TOKENS: '600',
  };
  const p = Bun.spawn(['bun', 'src/cli.ts', 'triage', '--input', logFile], {
    stdout: 'pipe',
    stderr: 'pipe',
    env: env as Record<string, string>,
  });
  const stdout = await new Response(p.stdout).text();
  expect(await p.exited).toBe(0);
  expect(stdout).toContain('The payments service lost its database.');
  const bodies = fake.chatBodies();
  expect(bodies).toHaveLength(1);
  expect(JSON.stringify(bodies[0])).not.toContain(SECRET);
  const chars = bodies[0]!.messages!.reduce((n, m) => n + m.content.length, 0);
  expect(Math.ceil(chars / 4) + (bodies[0]!.max_tokens ?? 0)).toBeLessThanOrEqual(600);
});

test('bad arguments: usage and exit code 2', () => {
  expect(cli(['triage']).code).toBe(2);
  expect(cli(['mine', '--input', join(dir, 'missing.log')]).code).toBe(2);
  expect(cli(['mine', '--bogus']).code).toBe(2);
});

test('triage of `docker logs --timestamps` output: the window starts at the first Docker time, not two times glued', () => {
  const file = join(dir, 'docker-t.log');
  writeFileSync(
    file,
    [
      '2026-12-03T10:00:00.123456789Z 2026-12-03 10:00:00,120 ERROR [main] db: connection refused',
      '2026-12-03T10:00:05.000000000Z 2026-12-03 10:00:04,990 INFO [main] retrying',
    ].join('\n') + '\n',
  );
  const report = JSON.parse(cli(['triage', '--input', file, '--json']).stdout);
  expect(report.containers[0].window.since).toBe('2026-12-03T10:00:00.123456789Z');
  expect(report.containers[0].window.until).toBe('2026-12-03T10:00:05.000000000Z');
});

test('the report of a file says nothing about restarts: a file has no container events', () => {
  const md = cli(['triage', '--input', logFile]).stdout;
  expect(md).not.toContain('No restarts, exits or OOM kills');
  expect(md).not.toContain('## Container events');
});

test('mine reads a file twice and standard input once (spooled), with the same answer; a 5 MB line stays bounded', () => {
  const file = join(dir, 'mine.log');
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i % 3 === 0
      ? `user ${i} logged in from 10.0.${i % 250}.1`
      : i % 3 === 1
        ? `job ${i} finished in ${i}ms`
        : `disk ${i % 7} is ${i % 100}% full`,
  );
  lines.push('ERROR payload ' + 'x'.repeat(5_000_000));
  writeFileSync(file, lines.join('\n') + '\n');
  const fromFile = cli(['mine', '--input', file]);
  const fromStdin = cli(['mine'], { stdin: lines.join('\n') + '\n' });
  expect(fromFile.code).toBe(0);
  expect(fromStdin.stdout).toBe(fromFile.stdout);
  const out = fromFile.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(out).toHaveLength(3001);
  expect(new Set(out.slice(0, 3000).map((o) => o.template_id)).size).toBe(3);
  expect(out[3000].template.length).toBeLessThanOrEqual(8192);
  const triage = JSON.parse(cli(['triage', '--input', file, '--json']).stdout);
  expect(triage.containers[0].counts.capped_lines).toBe(1);
});
