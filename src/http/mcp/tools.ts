// MCP tools: thin adapters over src/service/, with the same TypeBox schemas the REST routes use as
// inputSchema, truthful annotations, and the scope each needs. No tool approves a run.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import type { AppDeps } from '../../app.ts';
import type { Scope } from '../../auth/scope.ts';
import * as allowlist from '../../service/allowlist.ts';
import * as containers from '../../service/containers.ts';
import * as directives from '../../service/directives.ts';
import * as inventory from '../../service/inventory.ts';
import * as runs from '../../service/runs.ts';
import { Id } from '../../service/schemas.ts';
import * as tokens from '../../service/tokens.ts';
import { assertValid } from '../../service/validate.ts';
import { WATCH_TOOLS } from './watch-tools.ts';

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolCall {
  deps: AppDeps;
  /** Who calls, for audit fields. */
  actor: string;
  /** Sends a progress notification when the client asked for them. */
  progress(done: number, total: number, message: string): Promise<void>;
  signal: AbortSignal;
}

export interface ToolDefinition<S extends TSchema = TSchema> {
  name: string;
  description: string;
  inputSchema: S;
  annotations: ToolAnnotations;
  scope: Scope;
  /**
   * The tool may take long and report progress (call.progress): its answer goes out as an event
   * stream, so notifications reach the client as they happen. Other tools are answered as plain JSON.
   */
  streams?: boolean;
  run(args: Static<S>, call: ToolCall): Promise<unknown>;
  /** A short text rendering of the result for clients that show text only. */
  text(result: unknown): string;
}

const readOnly = (title: string): ToolAnnotations => ({ title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
const changes = (title: string, idempotent: boolean, destructive = false): ToolAnnotations => ({ title, readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: false });

const NoInput = Type.Object({}, { additionalProperties: false });
const ById = Type.Object({ id: Id }, { additionalProperties: false });

/** The same object schema refusing unknown fields (an agent's typo should be an error, not ignored). */
function strict<T extends TObject>(schema: T): T {
  return Type.Object(schema.properties, { ...(schema.description ? { description: schema.description } : {}), additionalProperties: false }) as unknown as T;
}

function tool<S extends TSchema>(def: ToolDefinition<S>): ToolDefinition {
  return def as unknown as ToolDefinition;
}

const runsCtx = (deps: AppDeps): runs.RunsCtx => ({ db: deps.db, clock: deps.clock, events: deps.events, tasks: deps.tasks, logsDir: deps.config.logsDir });
const count = (label: string) => (r: unknown) => `${Array.isArray(r) ? r.length : 0} ${label}`;

const LaunchInput = Type.Composite(
  [
    runs.LaunchRunInput,
    Type.Object({ wait_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 60, description: 'wait up to this long for the run to end (progress is reported)' })) }),
  ],
  { additionalProperties: false },
);

const TERMINAL = new Set(['success', 'partial', 'failed', 'cancelled']);

/** Waits for a run to end (or the time to pass), reporting finished jobs as progress. */
async function waitForRun(call: ToolCall, id: number, seconds: number): Promise<runs.RunDetail> {
  const ctx = runsCtx(call.deps);
  const deadline = Date.now() + seconds * 1000;
  let reported = -1;
  for (;;) {
    const run = await runs.getRun(ctx, id);
    const done = run.jobs.filter((j) => TERMINAL.has(j.status)).length;
    if (done !== reported) {
      reported = done;
      await call.progress(done, run.jobs.length, `${done} of ${run.jobs.length} jobs finished (${run.status})`);
    }
    if (TERMINAL.has(run.status) || Date.now() >= deadline || call.signal.aborted) return run;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, Math.min(1000, Math.max(0, deadline - Date.now())));
      const off = call.deps.events.subscribe((e) => {
        if ((e.type === 'run.status' || e.type === 'job.status') && e.data.run_id === id) finish();
      });
      function finish() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }
}

const runText = (r: unknown) => {
  const run = r as runs.RunView;
  return `run ${run.id}: ${run.status}; tasks ${run.tasks.join(', ')}; ${run.tokens.total} tokens`;
};

export const TOOLS: ToolDefinition[] = [
  tool({
    name: 'launch_run',
    description: 'Launch a run of one or more tasks (log_triage, gpu_report, service_map) under a directive. Returns the run id at once; wait_seconds waits for the end.',
    inputSchema: LaunchInput,
    annotations: changes('Launch a run', false),
    scope: 'operate',
    streams: true,
    async run(args, call) {
      const { wait_seconds, ...input } = args;
      const run = await runs.launchRun(runsCtx(call.deps), input, 'mcp');
      return wait_seconds ? waitForRun(call, run.id, wait_seconds) : run;
    },
    text: runText,
  }),
  tool({
    name: 'list_runs',
    description: 'List runs, newest first, with filters and keyset pagination (before = the next_before of the previous page).',
    inputSchema: strict(runs.ListRunsQuery),
    annotations: readOnly('List runs'),
    scope: 'read',
    run: (args, call) => runs.listRuns(runsCtx(call.deps), args),
    text: (r) => (r as { runs: runs.RunView[] }).runs.map(runText).join('\n') || 'no runs',
  }),
  tool({
    name: 'get_run',
    description: 'A run with its jobs, token totals, artifacts and directive snapshot.',
    inputSchema: ById,
    annotations: readOnly('Get a run'),
    scope: 'read',
    run: (args, call) => runs.getRun(runsCtx(call.deps), args.id),
    text: runText,
  }),
  tool({
    name: 'get_run_report',
    description: "A run's report: markdown, JSON artifacts and token totals.",
    inputSchema: ById,
    annotations: readOnly('Get a run report'),
    scope: 'read',
    run: (args, call) => runs.getRunReport(runsCtx(call.deps), args.id),
    text: (r) => (r as runs.RunReport).markdown,
  }),
  tool({
    name: 'cancel_run',
    description: 'Cancel a run: jobs not started are dropped, running ones are stopped.',
    inputSchema: ById,
    annotations: changes('Cancel a run', true, true),
    scope: 'operate',
    run: (args, call) => runs.cancelRun(runsCtx(call.deps), args.id),
    text: runText,
  }),
  tool({
    name: 'list_tasks',
    description: 'The tasks this appliance can run, with their options schemas.',
    inputSchema: NoInput,
    annotations: readOnly('List tasks'),
    scope: 'read',
    run: async (_args, call) => call.deps.tasks.catalog(),
    text: (r) => (r as { key: string; title: string }[]).map((t) => `${t.key}: ${t.title}`).join('\n') || 'no tasks',
  }),
  tool({
    name: 'list_directives',
    description: 'Directives (standing instructions put into the model prompt), built-ins D1-D4 first.',
    inputSchema: NoInput,
    annotations: readOnly('List directives'),
    scope: 'read',
    run: (_args, call) => directives.listDirectives(call.deps),
    text: (r) => (r as directives.DirectiveView[]).map((d) => `${d.id} ${d.name} (${d.level}, v${d.version})`).join('\n'),
  }),
  tool({
    name: 'get_directive',
    description: 'A directive with its current text.',
    inputSchema: ById,
    annotations: readOnly('Get a directive'),
    scope: 'read',
    run: (args, call) => directives.getDirective(call.deps, args.id),
    text: (r) => (r as directives.DirectiveView).body,
  }),
  tool({
    name: 'create_directive',
    description: 'Create a directive. D3 and D4 directives always need a person to approve their runs.',
    inputSchema: directives.CreateDirectiveInput,
    annotations: changes('Create a directive', false),
    scope: 'operate',
    run: (args, call) => directives.createDirective(call.deps, args),
    text: (r) => `directive ${(r as directives.DirectiveView).id} created`,
  }),
  tool({
    name: 'update_directive',
    description: 'Edit a directive; a content change makes a new version (runs keep the snapshot they used).',
    inputSchema: Type.Composite([ById, directives.UpdateDirectiveInput], { additionalProperties: false }),
    annotations: changes('Update a directive', true),
    scope: 'operate',
    run: ({ id, ...change }, call) => directives.updateDirective(call.deps, id, change),
    text: (r) => `directive ${(r as directives.DirectiveView).id} is at version ${(r as directives.DirectiveView).version}`,
  }),
  tool({
    name: 'list_containers',
    description: 'Containers on the Docker host (metadata only) with their allowlist state.',
    inputSchema: Type.Object({ scope: Type.Optional(containers.ContainerScope) }, { additionalProperties: false }),
    annotations: readOnly('List containers'),
    scope: 'read',
    run: (args, call) => containers.listContainers(call.deps, args.scope),
    text: count('containers'),
  }),
  tool({
    name: 'get_allowlist',
    description: 'The containers Cyber-Brain may look inside.',
    inputSchema: NoInput,
    annotations: readOnly('Get the allowlist'),
    scope: 'read',
    run: (_args, call) => allowlist.listAllowlist(call.deps),
    text: count('allowlist entries'),
  }),
  tool({
    name: 'set_allowlist',
    description: 'Change the allowlist: add a container (by id, prefix or name), enable, disable or remove an entry.',
    inputSchema: Type.Object(
      {
        action: Type.Union([Type.Literal('add'), Type.Literal('enable'), Type.Literal('disable'), Type.Literal('remove')]),
        container: allowlist.ContainerRef,
        description: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    annotations: changes('Change the allowlist', true, true),
    scope: 'operate',
    async run(args, call) {
      if (args.action === 'add') return allowlist.addToAllowlist(call.deps, { container: args.container, ...(args.description ? { description: args.description } : {}) });
      // Entries are keyed by container id; agents usually know the name, so accept either.
      const entries = await allowlist.listAllowlist(call.deps);
      const entry = entries.find((e) => e.name === args.container || e.container_id.startsWith(args.container));
      const key = entry?.container_id ?? assertValid(allowlist.AllowlistKey, args.container, 'container id');
      if (args.action === 'remove') return allowlist.removeFromAllowlist(call.deps, key);
      return allowlist.updateAllowlistEntry(call.deps, key, { enabled: args.action === 'enable' });
    },
    text: (r) => `allowlist entry ${(r as { container_id: string }).container_id}`,
  }),
  tool({
    name: 'take_inventory_snapshot',
    description: 'Record what the Docker host looks like now (containers, images, state, restarts, ports, networks).',
    inputSchema: NoInput,
    annotations: changes('Take an inventory snapshot', false),
    scope: 'operate',
    run: (_args, call) => inventory.takeSnapshot(call.deps),
    text: (r) => `snapshot ${(r as inventory.TakenSnapshot).id} taken with ${(r as inventory.TakenSnapshot).containers.length} containers`,
  }),
  tool({
    name: 'get_inventory_diff',
    description: 'What changed between two inventory snapshots (default: the last two).',
    inputSchema: strict(inventory.DiffQuery),
    annotations: readOnly('Diff inventory snapshots'),
    scope: 'read',
    run: (args, call) => inventory.diffSnapshots(call.deps, args),
    text: (r) => JSON.stringify(r).slice(0, 2000),
  }),
  tool({
    name: 'get_token_stats',
    description: 'Model token usage (counts only) grouped by model, task, directive or day.',
    inputSchema: strict(tokens.TokenStatsInput),
    annotations: readOnly('Token statistics'),
    scope: 'read',
    run: (args, call) => tokens.tokenStats(call.deps.db, args),
    text: (r) => JSON.stringify(r).slice(0, 2000),
  }),
  tool({
    name: 'health',
    description: 'Whether the database, Docker and the model server are reachable.',
    inputSchema: NoInput,
    annotations: readOnly('Health'),
    scope: 'read',
    async run(_args, call) {
      const [docker, llm] = await Promise.all([call.deps.probes.docker(), call.deps.probes.llm()]);
      await call.deps.db.sql`select 1`;
      return { database: { status: 'ok', backend: call.deps.db.backend }, docker, llm, auth: { enabled: call.deps.config.auth.enabled } };
    },
    text: (r) => {
      const h = r as { docker: { status: string }; llm: { status: string } };
      return `database ok; docker ${h.docker.status}; model ${h.llm.status}`;
    },
  }),
  ...WATCH_TOOLS,
];

export const TOOLS_BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));
