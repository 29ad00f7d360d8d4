// The test command: each group of tests/ runs in a bun test process of its own, one after the other.
// One process for the whole suite grew slow and hung late browser navigations after several hundred
// tests with real services; separate processes keep each group as it is when run alone.
//
//   bun scripts/test.ts [GROUP ...] [--junit PREFIX] [bun test options ...]
//
// GROUP: unit, integration, abuse, e2e (the default: all four) or image (only when named: it builds the
// binary and the Dockerfile; see README). A test file or folder instead runs just that, in one process.
// --junit PREFIX writes PREFIX-GROUP.xml for each group.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface Group {
  paths: string[];
  timeoutMs: number;
  env?: Record<string, string>;
}

const GROUPS: Record<string, Group> = {
  unit: { paths: ['./tests/unit/'], timeoutMs: 30_000 },
  integration: { paths: ['./tests/integration/'], timeoutMs: 30_000 },
  // hostile-caller reproductions against the real process (bodies, hosts, sessions, throttling, outage)
  abuse: { paths: ['./tests/abuse/'], timeoutMs: 60_000 },
  e2e: { paths: ['./tests/e2e/'], timeoutMs: 30_000 },
  image: { paths: ['./tests/image/'], timeoutMs: 60_000, env: { CB_IMAGE_CHECK: '1' } },
};
const DEFAULT_GROUPS = ['unit', 'integration', 'abuse', 'e2e'];

function parseArgs(argv: string[]): { groups: [string, Group][]; junit?: string; passThrough: string[] } {
  const groups: [string, Group][] = [];
  const files: string[] = [];
  const passThrough: string[] = [];
  let junit: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--junit') junit = argv[++i] ?? '';
    else if (arg.startsWith('--junit=')) junit = arg.slice('--junit='.length);
    else if (arg in GROUPS) groups.push([arg, GROUPS[arg]!]);
    else if (!arg.startsWith('-') && existsSync(arg)) files.push(arg);
    else passThrough.push(arg);
  }
  if (junit !== undefined && (junit === '' || junit.startsWith('-'))) throw new Error('--junit needs a file prefix');
  if (files.length) groups.push(['files', { paths: files, timeoutMs: 30_000 }]);
  return { groups: groups.length ? groups : DEFAULT_GROUPS.map((g) => [g, GROUPS[g]!]), junit, passThrough };
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`test: ${(err as Error).message}`);
  process.exit(2);
}

const root = join(import.meta.dir, '..');
const results: { name: string; code: number; seconds: number }[] = [];
for (const [name, group] of parsed.groups) {
  const args = ['bun', 'test', '--timeout', String(group.timeoutMs), ...group.paths, ...parsed.passThrough];
  if (parsed.junit) args.push('--reporter=junit', `--reporter-outfile=${parsed.junit}-${name}.xml`);
  console.log(`== ${name} (${group.paths.join(' ')})`);
  const started = performance.now();
  const proc = Bun.spawn(args, { cwd: root, env: { ...process.env, ...group.env }, stdio: ['inherit', 'inherit', 'inherit'] });
  const code = await proc.exited;
  results.push({ name, code, seconds: Math.round((performance.now() - started) / 1000) });
}

const failed = results.filter((r) => r.code !== 0);
console.log(results.map((r) => `${r.name}: ${r.code === 0 ? 'ok' : `failed (exit ${r.code})`} in ${r.seconds} s`).join('; '));
process.exit(failed.length ? 1 : 0);
