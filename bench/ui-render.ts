// Web UI benchmark: server render time of the run page (GET /runs/:id, in process) for a run with a
// 1 MB markdown report, against serving the same report file as is (GET /api/artifacts/:id/content),
// in one run. Three cases: a report rendered when it was written (what the appliance does), a report
// never rendered before (e.g. after a restart), and a repeat view. Prints medians and ratios.
//   bun bench/ui-render.ts [runs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordArtifact } from '../src/artifacts/record.ts';
import { buildApp } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { openEmbedded } from '../src/db/embedded.ts';
import { loadMigrations, migrate } from '../src/db/migrate.ts';
import { dockerEndpoint } from '../src/docker/client.ts';
import { createDockerGateway } from '../src/docker/gateway.ts';
import { EventBus } from '../src/events/bus.ts';
import { createLogger } from '../src/log.ts';
import { allowlistPolicy } from '../src/service/allowlist-policy.ts';
import { TaskRegistry } from '../src/tasks/registry.ts';

const runs = Number(process.argv[2] ?? 7);
const REPORT_BYTES = 1024 * 1024;

/** A triage-like report of about 1 MB: a container table, then findings with templates and examples. */
function report(seed: number): string {
  const out = [
    `# Log triage ${seed}`,
    '',
    '## Containers',
    '',
    '| container | window | lines | errors | warnings | new patterns |',
    '|---|---|---|---|---|---|',
  ];
  for (let i = 0; i < 1500; i++)
    out.push(
      `| app-${seed}-${i} | 2026-11-25T00:00:00Z → 2026-11-26T00:00:00Z | ${i * 37} | ${i % 13} | ${i % 7} | ${i % 3} |`,
    );
  out.push('', '## Findings', '');
  let n = 0;
  while (out.join('\n').length < REPORT_BYTES) {
    for (let k = 0; k < 200; k++, n++) {
      out.push(
        `${n + 1}. **NEW error** [error] in \`app-${seed}-${n % 1500}\` ×${n * 3 + 1}, first 2026-11-26T0${n % 10}:00:00Z`,
        `   - template: \`upstream <*> failed: connection refused to <*>:<*> after <*> ms (attempt ${n})\``,
        `   - e.g. \`ERROR upstream db-${n} failed: connection refused to <ip>:5432 after ${n % 900} ms <script>alert(1)</script>\``,
      );
    }
  }
  return out.join('\n').slice(0, REPORT_BYTES) + '\n';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'cb-bench-ui-'));
const db = await openEmbedded({ dataDir: join(dir, 'pg') });
try {
  await migrate(db.sql, loadMigrations());
  const config = { ...loadConfig({}), logsDir: join(dir, 'logs') };
  const events = new EventBus();
  const up = async () => ({ status: 'ok' as const });
  const docker = createDockerGateway(
    dockerEndpoint(config.dockerHost),
    allowlistPolicy({ db, clock: systemClock, events }),
  );
  const app = buildApp({
    config,
    db,
    logger: createLogger('info', () => {}),
    migrations: loadMigrations(),
    probes: { docker: up, llm: up },
    clock: systemClock,
    events,
    tasks: new TaskRegistry(),
    docker,
  });
  const get = async (path: string) => {
    const t = performance.now();
    const res = await app.handle(new Request(`http://localhost${path}`));
    // the bytes as sent; decoding them is the client's work, not the server's
    const body = new Uint8Array(await res.arrayBuffer());
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body.slice(0, 200))}`);
    return { ms, bytes: body.byteLength };
  };
  /** A finished run with one log_triage job and its 1 MB report; announced (prerendered) or written silently. */
  const makeRun = async (seed: number, announce: boolean) => {
    const [run] = await db.sql<{ id: number }[]>`
      insert into runs (status, trigger, tasks, directive_text, directive_sha256) values ('success', 'api', array['log_triage'], 'Explain.', repeat('ab', 32)) returning id`;
    const [job] = await db.sql<
      { id: number }[]
    >`insert into jobs (run_id, task, status, attempt) values (${run!.id}, 'log_triage', 'success', 1) returning id`;
    const quiet = new EventBus();
    const artifact = await recordArtifact(
      { db, events: announce ? events : quiet, logsDir: config.logsDir },
      { runId: run!.id, jobId: job!.id },
      'log_triage.md',
      report(seed),
      {
        kind: 'report',
        mimeType: 'text/markdown',
      },
    );
    return { runId: run!.id, artifactId: artifact.id };
  };

  const prerendered: number[] = [];
  const cold: number[] = [];
  const repeat: number[] = [];
  const raw: number[] = [];
  let pageBytes = 0;
  await get(`/runs/${(await makeRun(0, false)).runId}`); // warm-up: JIT, templates
  for (let i = 1; i <= runs; i++) {
    const a = await makeRun(i, true);
    await Bun.sleep(1500); // the render happens off the request path, after the write
    const first = await get(`/runs/${a.runId}`);
    prerendered.push(first.ms);
    pageBytes = first.bytes;
    const b = await makeRun(1000 + i, false);
    cold.push((await get(`/runs/${b.runId}`)).ms);
    for (let k = 0; k < 5; k++) repeat.push((await get(`/runs/${b.runId}`)).ms);
    for (let k = 0; k < 5; k++) raw.push((await get(`/api/artifacts/${b.artifactId}/content`)).ms);
  }
  const base = median(raw);
  const row = (name: string, xs: number[]) =>
    console.log(
      `${name.padEnd(44)} median ${median(xs).toFixed(2).padStart(8)} ms  ratio to raw file ${(median(xs) / base).toFixed(2)}x`,
    );
  console.log(
    `run page with a ${(REPORT_BYTES / 1024 / 1024).toFixed(1)} MB markdown report (page ${(pageBytes / 1024 / 1024).toFixed(2)} MB), ${runs} runs`,
  );
  row('first view, rendered when written', prerendered);
  row('first view, never rendered (after a restart)', cold);
  row('repeat view', repeat);
  console.log(`${'baseline: the report file served as is'.padEnd(44)} median ${base.toFixed(2).padStart(8)} ms`);
  console.log(
    `target: under 50 ms -> ${median(prerendered) < 50 ? 'met' : 'NOT met'} for a first view of a report rendered when written`,
  );
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
