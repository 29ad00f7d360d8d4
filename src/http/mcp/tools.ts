// MCP tools: thin adapters over src/service/, with the same TypeBox schemas the REST routes use as
// inputSchema and outputSchema, truthful annotations, the scope each needs, and a text rendering that
// names every item (lists page with a cursor instead of being cut). No tool approves a run.
import { Type, type TSchema } from '@sinclair/typebox';
import { checkReadiness } from '../../health.ts';
import * as allowlist from '../../service/allowlist.ts';
import * as lines from '../../service/container-lines.ts';
import * as containers from '../../service/containers.ts';
import * as directives from '../../service/directives.ts';
import * as patterns from '../../service/error-patterns.ts';
import * as gpu from '../../service/gpu.ts';
import * as inventory from '../../service/inventory.ts';
import * as runs from '../../service/runs.ts';
import { Id } from '../../service/schemas.ts';
import * as serviceMap from '../../service/service-map.ts';
import * as tokens from '../../service/tokens.ts';
import * as v from '../../service/view-schemas.ts';
import {
  changes,
  Cursor,
  NextCursor,
  NoInput,
  pageNote,
  pageOf,
  readOnly,
  strict,
  tool,
  withJson,
  type AnyTool,
  type ToolCall,
} from './tool-kit.ts';
import * as text from './tool-text.ts';
import { serviceContext } from '../../service/context.ts';
import { WATCH_TOOLS } from './watch-tools.ts';

const ById = Type.Object({ id: Id }, { additionalProperties: false });
const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: NextCursor, total: Type.Integer() });
const PAGE = 50;

const LaunchInput = Type.Composite(
  [
    runs.LaunchRunInput,
    Type.Object({
      wait_seconds: Type.Optional(
        Type.Integer({
          minimum: 0,
          maximum: 60,
          description: 'wait up to this long for the run to end (progress is reported)',
        }),
      ),
    }),
  ],
  { additionalProperties: false },
);

const TERMINAL = new Set(['success', 'partial', 'failed', 'cancelled']);

/** Waits for a run to end (or the time to pass), reporting finished jobs as progress. */
async function waitForRun(call: ToolCall, id: number, seconds: number): Promise<runs.RunDetail> {
  const ctx = serviceContext(call.deps);
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

const PagedInput = Type.Object({ cursor: Type.Optional(Cursor) }, { additionalProperties: false });

export const TOOLS: AnyTool[] = [
  tool({
    name: 'launch_run',
    description:
      'Launch a run of one or more tasks (log_triage, gpu_report, service_map) under a directive. Returns the run at once; wait_seconds waits for the end. ' +
      'log_triage options: {"containers": [names]} limits the run to those containers; names it cannot read are listed in the job result.',
    inputSchema: LaunchInput,
    outputSchema: v.RunDetail,
    annotations: changes('Launch a run', false),
    scope: 'operate',
    streams: true,
    async run(args, call) {
      const { wait_seconds, ...input } = args;
      const run = await runs.launchRun(serviceContext(call.deps), input, 'mcp');
      return wait_seconds ? waitForRun(call, run.id, wait_seconds) : run;
    },
    text: text.runDetail,
  }),
  tool({
    name: 'list_runs',
    description:
      'List runs, newest first, with filters and keyset pagination (before = the next_before of the previous page).',
    inputSchema: strict(runs.ListRunsQuery),
    outputSchema: v.RunPage,
    annotations: readOnly('List runs'),
    scope: 'read',
    run: (args, call) => runs.listRuns(serviceContext(call.deps), args),
    text: (r) =>
      (r.runs.map(text.runLine).join('\n') || 'no runs') +
      (r.next_before === null ? '' : `\n(next page: before=${r.next_before})`),
  }),
  tool({
    name: 'get_run',
    description: 'A run with its jobs, token totals, artifacts and directive snapshot.',
    inputSchema: ById,
    outputSchema: v.RunDetail,
    annotations: readOnly('Get a run'),
    scope: 'read',
    run: (args, call) => runs.getRun(serviceContext(call.deps), args.id),
    text: text.runDetail,
  }),
  tool({
    name: 'get_run_report',
    description: "A run's report: markdown, JSON artifacts and token totals.",
    inputSchema: ById,
    outputSchema: v.RunReport,
    annotations: readOnly('Get a run report'),
    scope: 'read',
    documentText: true,
    run: (args, call) => runs.getRunReport(serviceContext(call.deps), args.id),
    text: (r) => r.markdown,
  }),
  tool({
    name: 'cancel_run',
    description: 'Cancel a run: jobs not started are dropped, running ones are stopped. An ended run is refused (409).',
    inputSchema: ById,
    outputSchema: v.RunDetail,
    annotations: changes('Cancel a run', true, true),
    scope: 'operate',
    run: (args, call) => runs.cancelRun(serviceContext(call.deps), args.id),
    text: text.runDetail,
  }),
  tool({
    name: 'list_tasks',
    description: 'The tasks this appliance can run, with their options schemas.',
    inputSchema: NoInput,
    outputSchema: v.ItemsOf(v.TaskCatalogEntry),
    annotations: readOnly('List tasks'),
    scope: 'read',
    run: async (_args, call) => ({ items: call.deps.tasks.catalog() }),
    text: (r) =>
      r.items
        .map((t) => `${t.key}: ${t.title}. ${t.description}\n  options: ${JSON.stringify(t.options_schema)}`)
        .join('\n') || 'no tasks',
  }),
  tool({
    name: 'list_directives',
    description: 'Directives (standing instructions put into the model prompt), built-ins D1-D4 first.',
    inputSchema: NoInput,
    outputSchema: v.ItemsOf(v.DirectiveView),
    annotations: readOnly('List directives'),
    scope: 'read',
    run: async (_args, call) => ({ items: await directives.listDirectives(call.deps) }),
    text: (r) => r.items.map(text.directiveLine).join('\n') || 'no directives',
  }),
  tool({
    name: 'get_directive',
    description: 'A directive with its current text.',
    inputSchema: ById,
    outputSchema: v.DirectiveView,
    annotations: readOnly('Get a directive'),
    scope: 'read',
    run: (args, call) => directives.getDirective(call.deps, args.id),
    text: text.directive,
  }),
  tool({
    name: 'create_directive',
    description: 'Create a directive. D3 and D4 directives always need a person to approve their runs.',
    inputSchema: directives.CreateDirectiveInput,
    outputSchema: v.DirectiveView,
    annotations: changes('Create a directive', false),
    scope: 'operate',
    run: (args, call) => directives.createDirective(call.deps, args),
    text: (r) => `created ${text.directive(r)}`,
  }),
  tool({
    name: 'update_directive',
    description:
      'Edit a directive; a content change makes a new version (runs keep the snapshot they used). The same edit twice changes it once.',
    inputSchema: Type.Composite([ById, directives.UpdateDirectiveInput], { additionalProperties: false }),
    outputSchema: v.DirectiveView,
    annotations: changes('Update a directive', true),
    scope: 'operate',
    run: ({ id, ...change }, call) => directives.updateDirective(call.deps, id, change),
    text: text.directive,
  }),
  tool({
    name: 'list_containers',
    description: 'Containers on the Docker host (metadata only) with their allowlist state; 50 a page.',
    inputSchema: Type.Object(
      { scope: Type.Optional(containers.ContainerScope), cursor: Type.Optional(Cursor) },
      { additionalProperties: false },
    ),
    outputSchema: Paged(v.ContainerView),
    annotations: readOnly('List containers'),
    scope: 'read',
    run: async (args, call) => pageOf(await containers.listContainers(call.deps, args.scope), args.cursor, PAGE),
    text: (r) => (r.items.map(text.containerLine).join('\n') || 'no containers') + pageNote(r),
  }),
  tool({
    name: 'inspect_container',
    description:
      'State, restarts, health, image, ports, networks, labels and mounts of an allowlisted container (never environment values nor its command line).',
    inputSchema: Type.Object({ container: allowlist.ContainerRef }, { additionalProperties: false }),
    outputSchema: lines.ContainerState,
    annotations: readOnly('Inspect a container'),
    scope: 'read',
    run: (args, call) => lines.containerState(call.deps, args.container),
    text: (r) =>
      withJson(
        `${r.name}: ${r.state}${r.health ? ` (${r.health})` : ''}, ${r.restart_count} restarts, image ${r.image}`,
        r,
      ),
  }),
  tool({
    name: 'container_logs',
    description: `Recent log lines of an allowlisted container, secrets masked as for log triage: the last N (at most ${lines.MAX_RECENT_LINES}), or the first N since a time (page on with next_since).`,
    inputSchema: lines.RecentLinesInput,
    outputSchema: lines.RecentLines,
    annotations: readOnly('Read container logs'),
    scope: 'read',
    run: (args, call) => lines.recentContainerLines(call.deps, args),
    text: text.logLines,
  }),
  tool({
    name: 'get_allowlist',
    description: 'The containers Cyber-Brain may look inside; 50 a page.',
    inputSchema: PagedInput,
    outputSchema: Paged(v.AllowlistEntryView),
    annotations: readOnly('Get the allowlist'),
    scope: 'read',
    run: async (args, call) => pageOf(await allowlist.listAllowlist(call.deps), args.cursor, PAGE),
    text: (r) => (r.items.map(text.allowlistLine).join('\n') || 'the allowlist is empty') + pageNote(r),
  }),
  tool({
    name: 'set_allowlist',
    description:
      'Bring a container (by id, id prefix or name) to a state on the allowlist: add, enable, disable or remove. Asking for the state it already has changes nothing (changed: false).',
    inputSchema: allowlist.SetAllowlistInput,
    outputSchema: Type.Object({
      action: allowlist.AllowlistAction,
      container: Type.String(),
      changed: Type.Boolean(),
      entry: Type.Union([v.AllowlistEntryView, Type.Null()]),
    }),
    annotations: changes('Change the allowlist', true, true),
    scope: 'operate',
    run: (args, call) => allowlist.setAllowlist(call.deps, args),
    text: (r) =>
      `${r.container}: ${r.changed ? `${r.action} done` : `already as asked (${r.action}: nothing changed)`}${r.entry ? `\n${text.allowlistLine(r.entry)}` : ''}`,
  }),
  tool({
    name: 'take_inventory_snapshot',
    description: 'Record what the Docker host looks like now (containers, images, state, restarts, ports, networks).',
    inputSchema: NoInput,
    outputSchema: v.TakenSnapshot,
    annotations: changes('Take an inventory snapshot', false),
    scope: 'operate',
    run: (_args, call) => inventory.takeSnapshot(call.deps),
    text: (r) =>
      withJson(
        `snapshot ${r.id} taken with ${r.containers.length} containers: ${r.containers.map((c) => c.name).join(', ')}`,
        r,
      ),
  }),
  tool({
    name: 'get_inventory_diff',
    description: 'What changed between two inventory snapshots (default: the last two).',
    inputSchema: strict(inventory.DiffQuery),
    outputSchema: v.DiffView,
    annotations: readOnly('Diff inventory snapshots'),
    scope: 'read',
    run: (args, call) => inventory.diffSnapshots(call.deps, args),
    text: (r) =>
      withJson(
        `snapshot ${r.from.id} -> ${r.to.id}: ${Object.entries(r.counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`,
        r,
      ),
  }),
  tool({
    name: 'get_token_stats',
    description: 'Model token usage (counts only) grouped by model, task, directive or day.',
    inputSchema: strict(tokens.TokenStatsInput),
    outputSchema: v.TokenStatsView,
    annotations: readOnly('Token statistics'),
    scope: 'read',
    run: (args, call) => tokens.tokenStats(call.deps.db, args),
    text: text.tokenStats,
  }),
  tool({
    name: 'get_gpu_report',
    description: 'The latest successful GPU report: figures per GPU, GPU memory per allowlisted container, hotspots.',
    inputSchema: NoInput,
    outputSchema: gpu.GpuLatest,
    annotations: readOnly('Latest GPU report'),
    scope: 'read',
    run: (_args, call) => gpu.latestGpuReport(serviceContext(call.deps)),
    text: text.gpuLatest,
  }),
  tool({
    name: 'get_gpu_trend',
    description: 'GPU figures of the newest successful GPU reports, newest first, with the busiest GPU of each.',
    inputSchema: gpu.GpuTrendQuery,
    outputSchema: gpu.GpuTrend,
    annotations: readOnly('GPU trend'),
    scope: 'read',
    run: (args, call) => gpu.gpuTrend({ db: call.deps.db }, args),
    text: text.gpuTrend,
  }),
  tool({
    name: 'get_service_map',
    description:
      'The latest successful service map: containers, networks, volumes, published ports, edges with evidence, exposures, findings.',
    inputSchema: NoInput,
    outputSchema: serviceMap.ServiceMapLatest,
    annotations: readOnly('Latest service map'),
    scope: 'read',
    run: (_args, call) => serviceMap.latestServiceMap(serviceContext(call.deps)),
    text: text.serviceMap,
  }),
  tool({
    name: 'get_error_patterns',
    description:
      'Error and warning patterns of the latest log triage per container (state "current", the default, or "new": first seen in it), with counts, rates, restarts and crash loops. A triage that had nothing to read is a warning, not an all-clear.',
    inputSchema: patterns.ErrorPatternsQuery,
    outputSchema: patterns.ErrorPatternsNow,
    annotations: readOnly('Error patterns now'),
    scope: 'read',
    run: (args, call) => patterns.errorPatternsNow(serviceContext(call.deps), args.state),
    text: text.errorPatterns,
  }),
  tool({
    name: 'health',
    description:
      'Readiness (the database answers and is migrated) and whether Docker and the model server are reachable.',
    inputSchema: NoInput,
    outputSchema: v.HealthView,
    annotations: readOnly('Health'),
    scope: 'read',
    async run(_args, call) {
      const r = await checkReadiness({ db: call.deps.db, migrations: call.deps.migrations, probes: call.deps.probes });
      return { ...r, auth: { enabled: call.deps.config.auth.enabled } };
    },
    text: text.health,
  }),
  ...WATCH_TOOLS,
];

export const TOOLS_BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));
