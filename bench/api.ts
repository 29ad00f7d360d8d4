// API benchmark: GET /api/runs?limit=20 through the whole app (front door, routing, auth guard, validation, logging,
// metrics) against a bare Bun.serve that runs the same SQL and returns the same JSON, on the same
// database of 10,000 runs, with wrk (64 connections). Rounds alternate between the two; medians printed.
//   bun bench/api.ts [rounds] [seconds]      (DATABASE_URL set: that server; unset: embedded PGlite)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { buildApp } from '../src/app.ts';
import { FailureThrottle } from '../src/auth/throttle.ts';
import { serveApp } from '../src/http/serve.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { openServer } from '../src/db/connect.ts';
import type { Database } from '../src/db/database.ts';
import { openEmbedded } from '../src/db/embedded.ts';
import { loadMigrations, migrate } from '../src/db/migrate.ts';
import { dockerEndpoint } from '../src/docker/client.ts';
import { createDockerGateway } from '../src/docker/gateway.ts';
import { EventBus } from '../src/events/bus.ts';
import { allowlistPolicy } from '../src/service/allowlist-policy.ts';
import { createLogger } from '../src/log.ts';
import { listRuns } from '../src/service/runs.ts';
import { TaskRegistry } from '../src/tasks/registry.ts';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 8);
if (!Bun.which('wrk')) {
  console.error('bench/api needs wrk (apt-get install wrk)');
  process.exit(1);
}

async function openBenchDatabase(): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), 'cb-bench-api-'));
    const db = await openEmbedded({ dataDir: join(dir, 'pg') });
    return { db, cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `cb_bench_${Date.now().toString(36)}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const db = await openServer(u.toString(), 10);
  return {
    db,
    cleanup: async () => {
      await db.close();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

async function seed(db: Database) {
  await db.sql`
    insert into runs (status, trigger, tasks, options, directive_name, directive_version, directive_level, directive_text, directive_sha256, created_at, started_at, finished_at)
    select (array['success','failed','partial','cancelled'])[1 + i % 4], (array['api','web','mcp','schedule'])[1 + i % 4],
           array['log_triage','gpu_report'], '{}'::jsonb, 'read-only-diagnostics', 1, 'D1', 'Explain the findings.', repeat('ab', 32),
           now() - make_interval(mins => 10000 - i), now() - make_interval(mins => 10000 - i), now() - make_interval(mins => 9999 - i)
    from generate_series(1, 10000) as i`;
  await db.sql`
    insert into llm_calls (run_id, endpoint, model, prompt_tokens, completion_tokens, total_tokens, duration_ms, status, attempt)
    select id, 'http://127.0.0.1:11434', 'llama3.2', 900, 120, 1020, 2000, 'ok', 1 from runs where id % 3 = 0`;
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
}

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** Runs wrk without blocking this process: both servers live in it. */
async function wrk(url: string): Promise<Result> {
  const p = Bun.spawn(['wrk', '-t2', '-c64', `-d${seconds}s`, '--latency', url], { stdout: 'pipe', stderr: 'pipe' });
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  if (/Non-2xx/.test(out) || !Number.isFinite(rps)) throw new Error(`wrk run failed:\n${out}\n${err}`);
  return { rps, p50, p99 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const { db, cleanup } = await openBenchDatabase();
try {
  await migrate(db.sql, loadMigrations());
  await seed(db);
  const config = loadConfig({});
  const events = new EventBus();
  const tasks = new TaskRegistry();
  const up = async () => ({ status: 'ok' as const });
  // The app as it runs in production: info logging (one JSON line per request), discarded here.
  const docker = createDockerGateway(
    dockerEndpoint(config.dockerHost),
    allowlistPolicy({ db, clock: systemClock, events }),
  );
  const logger = createLogger('info', () => {});
  const throttle = new FailureThrottle(config.auth.maxFailures, config.auth.failureWindowMs);
  const app = buildApp({
    config,
    db,
    logger,
    migrations: loadMigrations(),
    probes: { docker: up, llm: up },
    clock: systemClock,
    events,
    tasks,
    docker,
    throttle,
  });
  // through the front door (Host/Origin checks, counted bodies), as the appliance listens
  const appServer = serveApp(
    app,
    { config, db, clock: systemClock, throttle, logger },
    { hostname: '127.0.0.1', port: 0 },
  );
  const ctx = { db };
  const bare = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const limit = Number(new URL(req.url).searchParams.get('limit') ?? 50);
      return Response.json(await listRuns(ctx, { limit }));
    },
  });
  const path = '/api/runs?limit=20';
  const a = await (await fetch(`http://127.0.0.1:${appServer.port}${path}`)).text();
  const b = await (await fetch(`http://127.0.0.1:${bare.port}${path}`)).text();
  if (a !== b) throw new Error('the two servers answer differently');
  const ours: Result[] = [];
  const base: Result[] = [];
  for (let i = 0; i < rounds; i++) {
    // alternate the order so warm-up and drift do not favour one side
    if (i % 2 === 0) {
      ours.push(await wrk(`http://127.0.0.1:${appServer.port}${path}`));
      base.push(await wrk(`http://127.0.0.1:${bare.port}${path}`));
    } else {
      base.push(await wrk(`http://127.0.0.1:${bare.port}${path}`));
      ours.push(await wrk(`http://127.0.0.1:${appServer.port}${path}`));
    }
  }
  const m = (rs: Result[], k: keyof Result) => median(rs.map((r) => r[k]));
  const backend = db.backend === 'embedded' ? 'embedded PGlite' : 'PostgreSQL server';
  console.log(`GET ${path} on ${backend}, 10,000 runs, wrk 64 connections, ${rounds} rounds x ${seconds}s (medians)`);
  console.log(
    `  app (Elysia)   ${m(ours, 'rps').toFixed(0).padStart(7)} req/s   p50 ${m(ours, 'p50').toFixed(2)} ms   p99 ${m(ours, 'p99').toFixed(2)} ms`,
  );
  console.log(
    `  bare Bun.serve ${m(base, 'rps').toFixed(0).padStart(7)} req/s   p50 ${m(base, 'p50').toFixed(2)} ms   p99 ${m(base, 'p99').toFixed(2)} ms`,
  );
  console.log(
    `  throughput ratio app/bare: ${(m(ours, 'rps') / m(base, 'rps')).toFixed(3)}  (target >= 0.70; app p99 target < 25 ms)`,
  );
  appServer.stop(true);
  bare.stop(true);
} finally {
  await cleanup();
}
