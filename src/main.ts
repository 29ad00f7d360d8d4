// Process entry: config -> folders -> database -> migrations -> runner -> listen; graceful stop on
// SIGTERM/SIGINT (stop accepting, finish in-flight requests, give running jobs back, close the database).
//   serve (default)  start the appliance
//   migrate          apply pending migrations and exit
//   healthcheck      exit 0 when GET /healthz of the configured HOST/PORT answers ok, else 1
//   mine, triage     the log tools of src/cli.ts (no server, database or Docker)
// The compiled binary starts in src/bin.ts, which hands everything but the light commands to runCli.
import { buildApp } from './app.ts';
import { systemClock } from './clock.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { migrate, shippedMigrations } from './db/migrate.ts';
import { dockerEndpoint } from './docker/client.ts';
import { createDockerGateway } from './docker/gateway.ts';
import { workerImagePolicy } from './service/worker-images.ts';
import { dockerProbe } from './docker/probe.ts';
import { watchDockerReachability } from './docker/reachability.ts';
import { EventBus } from './events/bus.ts';
import { startEventRelay } from './events/pg-relay.ts';
import { ensureWritableFolder } from './folders.ts';
import { cachedProbe } from './health.ts';
import { FailureThrottle } from './auth/throttle.ts';
import { serveApp } from './http/serve.ts';
import { llmClientFromConfig } from './llm/client.ts';
import { llmProbe } from './llm/probe.ts';
import { McpSessions } from './http/mcp/sessions.ts';
import { createLogger, errorFields, type Logger } from './log.ts';
import { removeStaleTempFiles } from './artifacts/files.ts';
import { Runner } from './runner/runner.ts';
import { Scheduler } from './runner/scheduler.ts';
import { Notifier } from './runner/notifier.ts';
import { ContainerWatch } from './service/container-watch.ts';
import { ingestSignal } from './service/notify-signals.ts';
import { allowlistPolicy } from './service/allowlist-policy.ts';
import { recordStart } from './store/app-meta.ts';
import { productTasks } from './tasks/index.ts';
import type { TaskRegistry } from './tasks/registry.ts';

/** A start-up failure: one line on stderr, non-zero exit. */
function fail(message: string, code = 1): never {
  process.stderr.write(`cyber-brain: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(code);
}

async function prepare(): Promise<{ config: Config; logger: Logger; db: Database }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    fail((err as Error).message, 2);
  }
  const logger = createLogger(config.logLevel);
  for (const w of config.warnings) logger.warn(w);
  try {
    ensureWritableFolder('CYBER_BRAIN_LOGS', config.logsDir);
    ensureWritableFolder('CYBER_BRAIN_UPLOADS', config.uploadsDir);
  } catch (err) {
    fail((err as Error).message, 2);
  }
  let db: Database;
  const opening = performance.now();
  try {
    // A first start says what it is doing before the one step that writes a whole new database.
    const onCreating = (dir: string) => logger.info('creating the database …', { data_dir: dir });
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onCreating });
  } catch (err) {
    fail((err as Error).message);
  }
  if (db.created)
    logger.info('embedded database created', {
      from: db.created,
      data_dir: config.dataDir,
      ms: Math.round(performance.now() - opening),
    });
  return { config, logger, db };
}

async function runMigrations(db: Database, logger: Logger) {
  let files: Awaited<ReturnType<typeof shippedMigrations>>;
  try {
    files = await shippedMigrations();
    const applied = await migrate(db.sql, files);
    logger.info('migrations', { applied, total: files.length });
  } catch (err) {
    await db.close();
    fail((err as Error).message);
  }
  return files;
}

export interface CliOptions {
  /** The tasks this process can run, built from the validated configuration (tests bring their own). */
  tasks: (config: Config) => TaskRegistry;
}

async function serve(options: CliOptions): Promise<void> {
  const startedAt = performance.now();
  const { config, logger, db } = await prepare();
  const migrations = await runMigrations(db, logger);
  await recordStart(db.sql, new Date());
  const tasks = options.tasks(config);
  const removed = removeStaleTempFiles(config.logsDir);
  if (removed) logger.warn('removed partial artifact files left by an earlier crash', { files: removed });

  const events = new EventBus();
  const dockerEp = dockerEndpoint(config.dockerHost);
  const docker = createDockerGateway(
    dockerEp,
    allowlistPolicy({ db, clock: systemClock, events }),
    undefined,
    workerImagePolicy({ db, clock: systemClock }),
  );
  const runner = new Runner(
    {
      db,
      tasks,
      clock: systemClock,
      events,
      logger: logger.child({ component: 'runner' }),
      logsDir: config.logsDir,
      llm: llmClientFromConfig(config, { sql: db.sql, logger: logger.child({ component: 'llm' }) }),
      contextTokens: config.llm.contextTokens,
      docker,
    },
    {
      concurrency: config.runner.concurrency,
      leaseMs: config.runner.leaseMs,
      heartbeatMs: Math.max(100, Math.floor(config.runner.leaseMs / 3)),
      pollMs: 1000,
    },
  );

  const mcpSessions = new McpSessions(
    config.mcp.maxSessions,
    config.mcp.sessionIdleMs,
    config.mcp.maxSessionsPerCaller,
  );
  const throttle = new FailureThrottle(config.auth.maxFailures, config.auth.failureWindowMs);
  const app = buildApp({
    mcpSessions,
    throttle,
    config,
    db,
    logger,
    migrations,
    clock: systemClock,
    events,
    docker,
    tasks,
    probes: {
      docker: cachedProbe(dockerProbe(dockerEp)),
      llm: cachedProbe(llmProbe(config.llm.baseUrl, config.llm.apiKey)),
    },
  });
  try {
    serveApp(app, { config, db, clock: systemClock, throttle, logger }, { hostname: config.host, port: config.port });
  } catch (err) {
    await db.close();
    fail(
      `cannot listen on ${config.host}:${config.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const server = app.server!;
  const stopRelay = await startEventRelay(db, events, runner.owner, logger);
  // Embedded: the folder lock makes this the only process on the database, so running jobs are orphans.
  await runner.start(db.backend === 'embedded');
  const scheduler = new Scheduler(
    { db, clock: systemClock, events, tasks, logger: logger.child({ component: 'scheduler' }) },
    { tickMs: 1000, owner: runner.owner },
  );
  scheduler.start();
  const notifyLog = logger.child({ component: 'notify' });
  const notifier = new Notifier(
    {
      db,
      clock: systemClock,
      events,
      logger: notifyLog,
      logsDir: config.logsDir,
      docker,
      notify: config.notify,
      owner: runner.owner,
    },
    // woken early for groups and jobs; the tick only catches retries and other instances' work
    { tickMs: 2000 },
  );
  notifier.start();
  const watch = config.notify.watchDockerEvents
    ? new ContainerWatch({
        docker,
        clock: systemClock,
        logger: logger.child({ component: 'watch' }),
        onSignal: (s) => ingestSignal({ db, clock: systemClock, events }, s),
      })
    : null;
  watch?.start();
  const stopDockerWatch = watchDockerReachability(dockerProbe(dockerEp), dockerEp.display, logger);
  // Start-up leaves tens of megabytes of garbage (the WebAssembly files read to compile them, a first
  // start's unpacked cluster archive) that an idle appliance would otherwise keep until the collector
  // next runs; one full collection now returns it.
  setTimeout(() => Bun.gc(true), 100).unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // A hung database must not keep a stopping process alive for ever.
    setTimeout(() => {
      logger.error('stop did not complete in time; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    const graceful = server.stop(false);
    const timedOut = await Promise.race([
      graceful.then(() => false),
      Bun.sleep(config.shutdownGraceMs).then(() => true),
    ]);
    if (timedOut) {
      logger.warn('in-flight requests did not finish in time; closing them', { grace_ms: config.shutdownGraceMs });
      await server.stop(true);
    }
    stopDockerWatch();
    await mcpSessions.closeAll();
    await scheduler.stop();
    await watch?.stop();
    await notifier.stop();
    await runner.stop();
    await stopRelay();
    await db.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // only now: whoever waits for this line may stop the process at once, and must find it listening for that
  logger.info('listening', {
    url: `http://${server.hostname}:${server.port}`,
    database: db.backend,
    startup_ms: Math.round(performance.now() - startedAt),
  });
}

async function migrateOnly(): Promise<void> {
  const { logger, db } = await prepare();
  await runMigrations(db, logger);
  await db.close();
}

async function runTool(argv: string[]): Promise<void> {
  const { main } = await import('./cli.ts');
  process.exitCode = await main(argv);
}

export function runCli(argv: string[], options: CliOptions): void {
  const command = argv[0] ?? 'serve';
  const commands: Record<string, () => Promise<void>> = {
    serve: () => serve(options),
    migrate: migrateOnly,
    healthcheck: async () => {
      const { healthcheck } = await import('./cli/healthcheck.ts');
      process.exitCode = await healthcheck(process.env);
    },
    mine: () => runTool(argv),
    triage: () => runTool(argv),
  };
  const run = commands[command];
  if (!run) fail(`unknown command "${command}"; expected one of: ${Object.keys(commands).join(', ')}`, 2);
  run().catch((err) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'fatal', ...errorFields(err) })}\n`);
    process.exit(1);
  });
}

if (import.meta.main) runCli(process.argv.slice(2), { tasks: productTasks });
