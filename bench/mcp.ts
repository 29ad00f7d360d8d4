// MCP benchmark: round-trip of get_run over Streamable HTTP (the SDK's own client) against the same
// REST call, GET /api/runs/:id, on the same server and run, in one process. Rounds alternate; the
// medians and p99s of all samples are printed with their ratio. The MCP call goes through the SDK's
// Client and StreamableHTTPClientTransport as an agent's would; the server answers it as JSON (only
// launch_run answers as an event stream), and the content type it used is printed.
//   bun bench/mcp.ts [calls-per-round] [rounds]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const perRound = Number(process.argv[2] ?? 200);
const rounds = Number(process.argv[3] ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'cb-bench-mcp-'));
const db = await openEmbedded({ dataDir: join(dir, 'pg') });
try {
  await migrate(db.sql, loadMigrations());
  const [run] = await db.sql<{ id: number }[]>`
    insert into runs (status, trigger, tasks, directive_text, directive_sha256) values ('success', 'api', array['log_triage'], 'Explain.', repeat('ab', 32))
    returning id`;
  await db.sql`insert into jobs (run_id, task, status, attempt) values (${run!.id}, 'log_triage', 'success', 1)`;
  const config = loadConfig({});
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
  app.listen({ hostname: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${app.server!.port}`;
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`));
  await client.connect(transport);

  const probe = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': transport.sessionId!,
      'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 'probe',
      method: 'tools/call',
      params: { name: 'get_run', arguments: { id: run!.id } },
    }),
  });
  const answeredAs = probe.headers.get('content-type');
  await probe.text();

  const mcp: number[] = [];
  const rest: number[] = [];
  const timeMcp = async () => {
    const t = performance.now();
    const r = await client.callTool({ name: 'get_run', arguments: { id: run!.id } });
    if (r.isError) throw new Error('get_run failed');
    mcp.push(performance.now() - t);
  };
  const timeRest = async () => {
    const t = performance.now();
    const r = await fetch(`${base}/api/runs/${run!.id}`);
    await r.json();
    if (r.status !== 200) throw new Error('GET /api/runs/:id failed');
    rest.push(performance.now() - t);
  };
  for (let i = 0; i < 50; i++) await timeMcp(), await timeRest(); // warm-up
  mcp.length = 0;
  rest.length = 0;
  // Blocks, not call-by-call alternation: alternating slows the REST calls by 5-10% here (measured),
  // which would flatter the ratio.
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [timeMcp, timeRest] : [timeRest, timeMcp];
    for (const f of order) for (let i = 0; i < perRound; i++) await f();
  }
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  console.log(
    `get_run round-trip, ${rounds} rounds x ${perRound} calls each (embedded PGlite, one client, sequential)`,
  );
  console.log(`  MCP (Streamable HTTP)   median ${pct(mcp, 50).toFixed(3)} ms   p99 ${pct(mcp, 99).toFixed(3)} ms`);
  console.log(`  REST GET /api/runs/:id  median ${pct(rest, 50).toFixed(3)} ms   p99 ${pct(rest, 99).toFixed(3)} ms`);
  console.log(`  (the server answered the MCP call as ${answeredAs})`);
  console.log(
    `  ratio MCP/REST: median ${(pct(mcp, 50) / pct(rest, 50)).toFixed(2)}x, p99 ${(pct(mcp, 99) / pct(rest, 99)).toFixed(2)}x (target: within 2x)`,
  );
  await client.close();
  await app.stop(true);
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
