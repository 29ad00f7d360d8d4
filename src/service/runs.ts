// Runs: launch under a directive snapshot, list, read, report, approve/deny, cancel. One function per
// capability, shared by REST, MCP and the web UI.
import { Type, type Static } from '@sinclair/typebox';
import { readFileSync } from 'node:fs';
import { artifactView } from '../artifacts/record.ts';
import { resolveArtifactFile } from '../artifacts/files.ts';
import type { ArtifactView } from '../artifacts/view.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { findArtifact, listArtifactsOfRun } from '../store/artifacts.ts';
import { findDirective, findDirectiveByName } from '../store/directives.ts';
import * as jobsStore from '../store/jobs.ts';
import * as store from '../store/runs.ts';
import { runTokenTotals, type TokenTotals } from '../store/run-tokens.ts';
import { sha256Hex } from './directives.ts';
import { Id, MAX_DIRECTIVE_CHARS, OneOf, TaskKey } from './schemas.ts';
import { assertValid } from './validate.ts';
import { RUN_STATUSES, RUN_TRIGGERS } from '../statuses.ts';

import type { RunsCtx } from './context.ts';

export type { RunsCtx };

/** The directive every run uses when the launch names none. */
export const DEFAULT_DIRECTIVE = 'read-only-diagnostics';

export const LaunchRunInput = Type.Object(
  {
    tasks: Type.Optional(
      Type.Array(TaskKey, { minItems: 1, maxItems: 16, uniqueItems: true, description: 'default: every task' }),
    ),
    directive_id: Type.Optional(Id),
    directive_text: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_DIRECTIVE_CHARS,
        description: 'a custom instruction instead of a directive',
      }),
    ),
    options: Type.Optional(
      Type.Record(TaskKey, Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()), {
        description: 'per-task options, e.g. {"service_map": {"scope": "all"}}',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LaunchRunInput = Static<typeof LaunchRunInput>;

const RunStatus = OneOf(RUN_STATUSES);
const RunTrigger = OneOf(RUN_TRIGGERS);

export const ListRunsQuery = Type.Object(
  {
    status: Type.Optional(RunStatus),
    task: Type.Optional(TaskKey),
    trigger: Type.Optional(RunTrigger),
    directive: Type.Optional(Id),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListRunsQuery = Static<typeof ListRunsQuery>;

export interface JobView {
  id: number;
  task: string;
  status: jobsStore.JobStatus;
  attempt: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  result: Record<string, unknown> | null;
  error_code: string | null;
  error: string | null;
  tokens: TokenTotals;
}

export interface RunView {
  id: number;
  status: store.RunStatus;
  trigger: store.RunTrigger;
  tasks: string[];
  options: Record<string, Record<string, unknown>>;
  directive: {
    id: number | null;
    name: string | null;
    version: number | null;
    level: string | null;
    sha256: string;
    text: string;
  };
  approval_required: boolean;
  decided_by: string | null;
  decided_at: string | null;
  cancel_requested: boolean;
  error_summary: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  tokens: TokenTotals;
  /** The schedule that launched it, when trigger is "schedule". */
  schedule_id: number | null;
}

export interface RunDetail extends RunView {
  jobs: JobView[];
  artifacts: ArtifactView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function runView(row: store.RunRow, tokens: TokenTotals): RunView {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    tasks: row.tasks,
    options: row.options,
    directive: {
      id: row.directive_id,
      name: row.directive_name,
      version: row.directive_version,
      level: row.directive_level,
      sha256: row.directive_sha256,
      text: row.directive_text,
    },
    approval_required: row.approval_required,
    decided_by: row.decided_by,
    decided_at: iso(row.decided_at),
    cancel_requested: row.cancel_requested,
    error_summary: row.error_summary,
    created_at: row.created_at.toISOString(),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    tokens,
    schedule_id: row.schedule_id ?? null,
  };
}

function jobView(j: jobsStore.JobRow, tokens: TokenTotals): JobView {
  return {
    id: j.id,
    task: j.task,
    status: j.status,
    attempt: j.attempt,
    created_at: j.created_at.toISOString(),
    started_at: iso(j.started_at),
    finished_at: iso(j.finished_at),
    duration_ms: j.started_at && j.finished_at ? j.finished_at.getTime() - j.started_at.getTime() : null,
    result: j.result,
    error_code: j.error_code,
    error: j.error,
    tokens,
  };
}

/** Resolves the directive snapshot for a launch: a named directive, a custom text, or the default. */
async function snapshotFor(
  ctx: Pick<RunsCtx, 'db'>,
  input: LaunchRunInput,
): Promise<store.NewRun['directive'] & { approvalRequired: boolean }> {
  if (input.directive_id !== undefined && input.directive_text !== undefined) {
    throw badRequest('give either directive_id or directive_text, not both');
  }
  if (input.directive_text !== undefined) {
    const text = input.directive_text.trim();
    if (!text) throw badRequest('directive_text is empty');
    return { id: null, name: null, version: null, level: null, text, sha256: sha256Hex(text), approvalRequired: false };
  }
  const row =
    input.directive_id !== undefined
      ? await findDirective(ctx.db.sql, input.directive_id)
      : await findDirectiveByName(ctx.db.sql, DEFAULT_DIRECTIVE);
  if (!row)
    throw input.directive_id !== undefined
      ? notFound(`directive ${input.directive_id}`)
      : new AppError(409, 'no_default_directive', `the default directive "${DEFAULT_DIRECTIVE}" is missing`);
  if (!row.active) throw new AppError(409, 'directive_inactive', `directive "${row.name}" is inactive`);
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    level: row.level,
    text: row.body,
    sha256: sha256Hex(row.body),
    approvalRequired: row.approval_required,
  };
}

/** A launch checked and resolved (tasks, options, directive snapshot), ready to be inserted. */
export type PreparedLaunch = Omit<store.NewRun, 'trigger' | 'now' | 'scheduleId'>;

/** Validates a launch and resolves its options and directive snapshot; writes nothing. */
export async function prepareLaunch(ctx: Pick<RunsCtx, 'db' | 'tasks'>, raw: LaunchRunInput): Promise<PreparedLaunch> {
  const input = assertValid(LaunchRunInput, raw, 'launch');
  const tasks = input.tasks ?? ctx.tasks.keys();
  if (tasks.length === 0) throw new AppError(409, 'no_tasks', 'this installation has no tasks to run');
  const unknown = tasks.filter((t) => !ctx.tasks.get(t));
  if (unknown.length) throw badRequest(`unknown task: ${unknown.join(', ')}`, { known: ctx.tasks.keys() });
  const options: Record<string, Record<string, unknown>> = {};
  for (const [task, given] of Object.entries(input.options ?? {})) {
    if (!tasks.includes(task)) throw badRequest(`options given for task ${task}, which this run does not include`);
    const r = ctx.tasks.resolveOptions(task, given);
    if (!r.ok) throw badRequest(`invalid options: ${r.problems[0]}`, r.problems);
    options[task] = r.value;
  }
  for (const task of tasks) {
    if (options[task]) continue;
    const r = ctx.tasks.resolveOptions(task, {});
    if (r.ok) options[task] = r.value;
  }
  const snap = await snapshotFor(ctx, input);
  const { approvalRequired, ...directive } = snap;
  return { tasks, options, directive, approvalRequired };
}

/** Tells listeners about a run just inserted: its status first, then wakes the runners. */
export function announceLaunch(ctx: Pick<RunsCtx, 'events'>, row: store.RunRow): void {
  ctx.events.publish('run.status', { run_id: row.id, status: row.status, trigger: row.trigger });
  if (row.status === 'queued') ctx.events.publish('jobs.queued', { run_id: row.id });
}

/** The answer for a run as launched (no tokens, no artifacts yet). */
export function launchedView(row: store.RunRow, jobs: jobsStore.JobRow[]): RunDetail {
  return { ...runView(row, emptyTokens()), jobs: jobs.map((j) => jobView(j, emptyTokens())), artifacts: [] };
}

export async function launchRun(ctx: RunsCtx, raw: LaunchRunInput, trigger: store.RunTrigger): Promise<RunDetail> {
  const prepared = await prepareLaunch(ctx, raw);
  const { run: row, jobs } = await store.insertRunWithJobs(ctx.db.sql, { ...prepared, trigger, now: ctx.clock.now() });
  // The answer is the run as launched (a runner may claim it a moment later), and its queued event
  // goes out before the runner is woken, so listeners see queued before running.
  const launched = launchedView(row, jobs);
  announceLaunch(ctx, row);
  return launched;
}

export async function getRun(ctx: Pick<RunsCtx, 'db'>, id: number): Promise<RunDetail> {
  const row = await store.findRun(ctx.db.sql, id);
  if (!row) throw notFound(`run ${id}`);
  const [jobs, artifacts, tokens] = await Promise.all([
    jobsStore.listJobsOfRun(ctx.db.sql, id),
    listArtifactsOfRun(ctx.db.sql, id),
    runTokenTotals(ctx.db.sql, id),
  ]);
  return {
    ...runView(row, tokens.run),
    jobs: jobs.map((j) => jobView(j, tokens.byJob.get(j.id) ?? emptyTokens())),
    artifacts: artifacts.map(artifactView),
  };
}

const emptyTokens = (): TokenTotals => ({ prompt: 0, completion: 0, total: 0, calls: 0 });

export async function listRuns(
  ctx: Pick<RunsCtx, 'db'>,
  q: ListRunsQuery,
): Promise<{ runs: RunView[]; next_before: number | null }> {
  const limit = q.limit ?? 50;
  const rows = await store.listRuns(ctx.db.sql, {
    status: q.status as store.RunStatus | undefined,
    task: q.task,
    trigger: q.trigger as store.RunTrigger | undefined,
    directiveId: q.directive,
    before: q.before,
    limit,
  });
  const views = rows.map((r) =>
    runView(r, { prompt: r.prompt_tokens, completion: r.completion_tokens, total: r.total_tokens, calls: r.llm_calls }),
  );
  return { runs: views, next_before: rows.length === limit ? rows[rows.length - 1]!.id : null };
}

export async function approveRun(ctx: RunsCtx, id: number, by: string): Promise<RunDetail> {
  return decide(ctx, id, true, by);
}

export async function denyRun(ctx: RunsCtx, id: number, by: string): Promise<RunDetail> {
  return decide(ctx, id, false, by);
}

async function decide(ctx: RunsCtx, id: number, approve: boolean, by: string): Promise<RunDetail> {
  const row = await store.decideRun(ctx.db.sql, id, approve, by, ctx.clock.now());
  if (!row) {
    const exists = await store.findRun(ctx.db.sql, id);
    if (!exists) throw notFound(`run ${id}`);
    throw new AppError(409, 'not_awaiting_approval', `run ${id} is ${exists.status}, not awaiting approval`);
  }
  const decided = await getRun(ctx, id);
  ctx.events.publish('run.status', { run_id: id, status: row.status });
  if (approve) ctx.events.publish('jobs.queued', { run_id: id });
  return decided;
}

export async function cancelRun(ctx: RunsCtx, id: number): Promise<RunDetail> {
  const row = await store.requestCancel(ctx.db.sql, id, ctx.clock.now());
  if (!row) {
    const exists = await store.findRun(ctx.db.sql, id);
    if (!exists) throw notFound(`run ${id}`);
    throw new AppError(409, 'run_finished', `run ${id} already ended (${exists.status})`);
  }
  ctx.events.publish('run.cancel_requested', { run_id: id });
  // Jobs not yet started are cancelled already; with none running the run ends now.
  const refreshed = await store.refreshRunStatus(ctx.db.sql, id, ctx.clock.now());
  if (refreshed) ctx.events.publish('run.status', { run_id: id, status: refreshed.status });
  return getRun(ctx, id);
}

export async function listRunArtifacts(ctx: Pick<RunsCtx, 'db'>, id: number): Promise<ArtifactView[]> {
  if (!(await store.findRun(ctx.db.sql, id))) throw notFound(`run ${id}`);
  return (await listArtifactsOfRun(ctx.db.sql, id)).map(artifactView);
}

/** The text of a run's artifact file, or null when it is missing from the logs folder. */
export function readArtifactText(
  ctx: Pick<RunsCtx, 'logsDir'>,
  a: Pick<ArtifactView, 'run_id' | 'path'>,
): string | null {
  try {
    return readFileSync(resolveArtifactFile(ctx.logsDir, a.run_id, a.path), 'utf8');
  } catch {
    return null;
  }
}

/** An artifact's record and the checked absolute path of its file (streamed by the caller). */
export async function locateArtifact(
  ctx: Pick<RunsCtx, 'db' | 'logsDir'>,
  id: number,
): Promise<{ artifact: ArtifactView; file: string }> {
  const row = await findArtifact(ctx.db.sql, id);
  if (!row) throw notFound(`artifact ${id}`);
  return { artifact: artifactView(row), file: resolveArtifactFile(ctx.logsDir, row.run_id, row.path) };
}

export interface RunReport {
  markdown: string;
  json: { run: RunView; jobs: JobView[]; artifacts: ArtifactView[]; reports: Record<string, unknown> };
  tokens: TokenTotals;
}

/** The run's report: its jobs' markdown reports under a header, and its JSON artifacts, with token totals. */
export async function getRunReport(ctx: Pick<RunsCtx, 'db' | 'logsDir'>, id: number): Promise<RunReport> {
  const detail = await getRun(ctx, id);
  const { jobs, artifacts, ...run } = detail;
  const lines = [
    `# Run ${run.id}: ${run.status}`,
    '',
    `- Tasks: ${run.tasks.join(', ')}`,
    `- Directive: ${run.directive.name ? `${run.directive.name} v${run.directive.version} (${run.directive.level})` : 'custom instruction'}`,
    `- Started: ${run.started_at ?? 'not started'}; finished: ${run.finished_at ?? 'not finished'}`,
    `- Tokens: ${run.tokens.total} (${run.tokens.prompt} prompt, ${run.tokens.completion} completion) in ${run.tokens.calls} model calls`,
  ];
  if (run.error_summary) lines.push(`- Problems: ${run.error_summary}`);
  const reports: Record<string, unknown> = {};
  for (const job of jobs) {
    lines.push('', `## ${job.task}: ${job.status}`);
    if (job.error) lines.push('', `Error (${job.error_code}): ${job.error}`);
    for (const a of artifacts.filter((x) => x.job_id === job.id)) {
      let text: string;
      try {
        text = readFileSync(resolveArtifactFile(ctx.logsDir, a.run_id, a.path), 'utf8');
      } catch {
        lines.push('', `(artifact ${a.path} is missing from the logs folder)`);
        continue;
      }
      if (a.mime_type === 'text/markdown') lines.push('', text.trim());
      else if (a.mime_type === 'application/json') {
        try {
          reports[a.path] = JSON.parse(text);
        } catch {
          reports[a.path] = null;
        }
      }
    }
  }
  return { markdown: lines.join('\n') + '\n', json: { run, jobs, artifacts, reports }, tokens: run.tokens };
}

/** Where the next window of a task starts: the end of its last successful job. */
export async function sinceLastSuccess(ctx: Pick<RunsCtx, 'db' | 'tasks'>, task: string) {
  if (!ctx.tasks.get(task)) throw badRequest(`unknown task: ${task}`, { known: ctx.tasks.keys() });
  const job = await jobsStore.lastSuccessfulJob(ctx.db.sql, task);
  return {
    task,
    since: job?.finished_at?.toISOString() ?? null,
    last_success: job ? { job_id: job.id, run_id: job.run_id, finished_at: job.finished_at!.toISOString() } : null,
  };
}
