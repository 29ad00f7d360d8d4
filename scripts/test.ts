// The test command: each group of tests/ runs in bun test processes of its own, and groups (and the
// shards of a large group) run side by side. They share no state: every test file opens its own
// database (a new in-memory cluster, or a new database on the server), temporary folders, free ports and
// uniquely named containers. One process for the whole suite grew slow and hung late browser navigations
// after several hundred tests with real services; separate processes keep each group as it is when run
// alone. Each process's output is printed whole when it ends, and the run closes with one line:
// "N passed, N failed, N skipped" (from the JUnit reports the processes write).
//
//   bun scripts/test.ts [GROUP ...] [--junit PREFIX] [--jobs N] [bun test options ...]
//
// GROUP: unit, integration, abuse, e2e (the default: all four) or image (only when named: it builds the
// binary and the Dockerfile; see README). A test file or folder instead runs just that, in one process.
// --junit PREFIX writes PREFIX-GROUP.xml for each group (shards merged). --jobs N: processes at a time
// (default 3; 1 runs everything one after the other, as before).
import { mkdtempSync, readdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { junitTotals, totalsLine } from './junit-totals.ts';

interface Group {
  paths: string[];
  timeoutMs: number;
  env?: Record<string, string>;
  /** Processes the group's files are spread over (each file stays whole in one of them). */
  shards?: number;
}

const GROUPS: Record<string, Group> = {
  unit: { paths: ['./tests/unit/'], timeoutMs: 30_000, shards: 2 },
  integration: { paths: ['./tests/integration/'], timeoutMs: 30_000, shards: 3 },
  // hostile-caller reproductions against the real process (bodies, hosts, sessions, throttling, outage)
  abuse: { paths: ['./tests/abuse/'], timeoutMs: 60_000 },
  e2e: { paths: ['./tests/e2e/'], timeoutMs: 30_000 },
  image: { paths: ['./tests/image/'], timeoutMs: 60_000, env: { CB_IMAGE_CHECK: '1' } },
};
const DEFAULT_GROUPS = ['unit', 'integration', 'abuse', 'e2e'];

interface Parsed {
  groups: [string, Group][];
  junit?: string;
  jobs: number;
  passThrough: string[];
}

function parseArgs(argv: string[]): Parsed {
  const groups: [string, Group][] = [];
  const files: string[] = [];
  const passThrough: string[] = [];
  let junit: string | undefined;
  let jobs = 3;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--junit') junit = argv[++i] ?? '';
    else if (arg.startsWith('--junit=')) junit = arg.slice('--junit='.length);
    else if (arg === '--jobs' || arg.startsWith('--jobs=')) {
      const v = arg === '--jobs' ? argv[++i] : arg.slice('--jobs='.length);
      jobs = Number(v);
      if (!Number.isInteger(jobs) || jobs < 1) throw new Error('--jobs needs a whole number of 1 or more');
    } else if (arg in GROUPS) groups.push([arg, GROUPS[arg]!]);
    else if (!arg.startsWith('-') && existsSync(arg)) files.push(arg);
    else passThrough.push(arg);
  }
  if (junit !== undefined && (junit === '' || junit.startsWith('-'))) throw new Error('--junit needs a file prefix');
  if (files.length) groups.push(['files', { paths: files, timeoutMs: 30_000 }]);
  return { groups: groups.length ? groups : DEFAULT_GROUPS.map((g) => [g, GROUPS[g]!]), junit, jobs, passThrough };
}

const root = join(import.meta.dir, '..');

// Seconds each test file took in the last run here (written at the end of every run): shards are dealt
// by them, the slowest file first; a file never timed counts by its size.
const TIMES_FILE = join(root, 'node_modules', '.cache', 'cyber-brain-test-times.json');
const lastTimes: Record<string, number> = existsSync(TIMES_FILE)
  ? await Bun.file(TIMES_FILE)
      .json()
      .catch(() => ({}))
  : {};

function weightOf(file: string): number {
  return lastTimes[file.replace(/^\.\//, '')] ?? statSync(join(root, file)).size / 4000;
}

/** The test files under a group's folders, spread over its shards so each gets about the same time. */
function shardsOf(group: Group): string[][] {
  const count = group.shards ?? 1;
  if (count === 1) return [group.paths];
  const files = group.paths.flatMap((p) =>
    statSync(join(root, p)).isDirectory()
      ? readdirSync(join(root, p), { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.test.ts') || f.endsWith('.test.tsx'))
          .map((f) => `./${join(p, f)}`)
      : [p],
  );
  const sized = files.map((f) => ({ f, size: weightOf(f) })).sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1));
  const shards = Array.from({ length: Math.min(count, files.length) }, () => ({ files: [] as string[], size: 0 }));
  for (const { f, size } of sized) {
    const lightest = shards.reduce((a, b) => (b.size < a.size ? b : a));
    lightest.files.push(f);
    lightest.size += size;
  }
  return shards.map((s) => s.files.sort());
}

/** One JUnit report from several: the suites side by side, the counts summed. */
async function mergeJunit(parts: string[], out: string): Promise<void> {
  const sums: Record<string, number> = { tests: 0, assertions: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const bodies: string[] = [];
  for (const part of parts) {
    const file = Bun.file(part);
    if (!(await file.exists())) continue;
    const xml = await file.text();
    const open = /<testsuites\b[^>]*>/.exec(xml);
    if (!open) continue;
    for (const key of Object.keys(sums))
      sums[key]! += Number(new RegExp(`\\b${key}="([\\d.]+)"`).exec(open[0])?.[1] ?? 0);
    bodies.push(xml.slice(open.index + open[0].length, xml.lastIndexOf('</testsuites>')));
  }
  if (!bodies.length) return; // nothing ran: the totals say the report is missing
  const attrs = Object.entries(sums)
    .map(([k, v]) => `${k}="${k === 'time' ? v.toFixed(3) : v}"`)
    .join(' ');
  await Bun.write(
    out,
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bun test" ${attrs}>${bodies.join('')}</testsuites>\n`,
  );
}

interface Task {
  name: string;
  group: string;
  paths: string[];
  timeoutMs: number;
  env?: Record<string, string>;
  report: string;
}

async function runTask(task: Task, passThrough: string[]): Promise<{ code: number; seconds: number }> {
  const args = [
    'bun',
    'test',
    '--timeout',
    String(task.timeoutMs),
    ...task.paths,
    ...passThrough,
    '--reporter=junit',
    `--reporter-outfile=${task.report}`,
  ];
  console.log(
    `== ${task.name} started (${task.paths.length > 3 ? `${task.paths.length} files` : task.paths.join(' ')})`,
  );
  const started = performance.now();
  const proc = Bun.spawn(args, {
    cwd: root,
    env: { ...process.env, ...task.env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  const seconds = Math.round((performance.now() - started) / 1000);
  process.stdout.write(
    `== ${task.name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds} s\n${out}${err}\n`,
  );
  return { code, seconds };
}

/** Keeps each file's time from this run's reports for the next run's shards. */
async function rememberTimes(reports: string[]): Promise<void> {
  const times = { ...lastTimes };
  for (const report of reports) {
    const f = Bun.file(report);
    if (!(await f.exists())) continue;
    const sums: Record<string, number> = {};
    for (const m of (await f.text()).matchAll(/<testcase\b[^>]*\btime="([\d.]+)" file="([^"]+)"/g))
      sums[m[2]!] = (sums[m[2]!] ?? 0) + Number(m[1]);
    Object.assign(times, sums);
  }
  await Bun.write(TIMES_FILE, JSON.stringify(times, null, 1)).catch(() => {});
}

let parsed: Parsed;
try {
  parsed = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`test: ${(err as Error).message}`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'cb-test-reports-'));
const tasks: Task[] = [];
for (const [name, group] of parsed.groups) {
  const shards = shardsOf(group);
  shards.forEach((paths, i) => {
    const shardName = shards.length > 1 ? `${name} ${i + 1}/${shards.length}` : name;
    tasks.push({
      name: shardName,
      group: name,
      paths,
      timeoutMs: group.timeoutMs,
      env: group.env,
      report: join(scratch, `${name}-${i + 1}.xml`),
    });
  });
}

const started = performance.now();
const results = new Map<Task, { code: number; seconds: number }>();
const queue = [...tasks];
await Promise.all(
  Array.from({ length: Math.min(parsed.jobs, tasks.length) }, async () => {
    for (let task = queue.shift(); task; task = queue.shift())
      results.set(task, await runTask(task, parsed.passThrough));
  }),
);

const groupReports: string[] = [];
for (const [name] of parsed.groups) {
  const parts = tasks.filter((t) => t.group === name).map((t) => t.report);
  const out = parsed.junit ? `${parsed.junit}-${name}.xml` : join(scratch, `${name}.xml`);
  await mergeJunit(parts, out);
  groupReports.push(out);
}
const problems: string[] = [];
const totals = await junitTotals(groupReports, problems);
await rememberTimes(groupReports);
rmSync(scratch, { recursive: true, force: true });

const failed = tasks.filter((t) => results.get(t)!.code !== 0);
console.log(
  tasks
    .map(
      (t) =>
        `${t.name}: ${results.get(t)!.code === 0 ? 'ok' : `failed (exit ${results.get(t)!.code})`} in ${results.get(t)!.seconds} s`,
    )
    .join('; '),
);
for (const p of problems) console.log(`test: ${p}`);
console.log(`${totalsLine(totals)} in ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(failed.length || totals.failed ? 1 : 0);
