// The log_triage task: for each allowlisted, enabled container, the log lines since its last
// successful triage streamed through the pure triage, judged against run-to-run memory (fingerprints
// only), restarts noted, one model call on a digest that fits LLM_CONTEXT_TOKENS, and the report
// written as artifacts. The database gets windows, fingerprints and counts; never log text.
import { Type, type Static } from '@sinclair/typebox';
import { logTriageSettings } from '../config.ts';
import { knownSecretsFor } from '../docker/known-secrets.ts';
import type { ContainerSummary } from '../docker/types.ts';
import { addCounts, redact, type KnownValues, type RedactionKind } from '../redact/index.ts';
import { listAllowlist } from '../store/allowlist.ts';
import * as store from '../store/triage.ts';
import { judgeAgainstMemory, observableSeconds, worseLevel } from '../triage/run-memory.ts';
import {
  CRASH_LOOP_RESTARTS,
  crashLoopOf,
  eventsFromLifecycle,
  lifecycleSince,
  eventsInWindow,
  type ContainerEvent,
} from './log-triage-events.ts';
import { analyse } from './log-triage-analysis.ts';
import { rankAllContainers, type ContainerFindings } from './log-triage-findings.ts';
import {
  countsOf,
  reportStatus,
  REPORT_SCHEMA,
  REPORT_VERSION,
  renderMarkdown,
  type ContainerReport,
  type LogTriageReport,
} from './log-triage-report.ts';
import { unreadableContainers, unreadableText } from './log-triage-unreadable.ts';
import { readWindow, type WindowRead } from './log-triage-window.ts';
import type { TaskContext, TaskDefinition, TaskSummary } from './task.ts';

export interface LogTriageDefaults {
  /** LOG_TRIAGE_LOOKBACK: how far back a container's first window reaches, in minutes. */
  lookbackMinutes: number;
  /** LOG_TRIAGE_MAX_LINES: most lines triaged per container and window. */
  maxLines: number;
}

function optionsSchema(d: LogTriageDefaults) {
  return Type.Object(
    {
      containers: Type.Optional(
        Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' }), {
          maxItems: 100,
          uniqueItems: true,
          description: 'only these allowlisted containers (names or ids); default: all enabled ones',
        }),
      ),
      lookback_minutes: Type.Integer({
        minimum: 1,
        maximum: 60 * 24 * 90,
        default: d.lookbackMinutes,
        description: "first window's reach back",
      }),
      max_lines: Type.Integer({
        minimum: 1,
        maximum: 50_000_000,
        default: d.maxLines,
        description: 'most lines triaged per container',
      }),
    },
    { additionalProperties: false },
  );
}

type Options = Static<ReturnType<typeof optionsSchema>>;

interface Target {
  name: string;
  id: string;
}

/** Allowlisted, enabled containers as they are live now (an entry follows its container by name). */
async function targets(ctx: TaskContext, only: string[] | undefined): Promise<Target[]> {
  const entries = (await listAllowlist(ctx.db.sql)).filter((e) => e.enabled);
  const live: ContainerSummary[] = await ctx.docker.listContainers();
  const out: Target[] = [];
  for (const e of entries) {
    const c = live.find((x) => x.id === e.container_id) ?? live.find((x) => x.name === e.name);
    const name = c?.name ?? e.name;
    if (only && !only.some((o) => o === name || e.container_id.startsWith(o))) continue;
    out.push({ name, id: c?.id ?? e.container_id });
  }
  return out;
}

/** A short, safe name for a failure (never the message: it could quote something it read). */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[a-z_]{1,40}$/.test(code)) return code;
  return err instanceof Error ? err.name.slice(0, 40) : 'error';
}

interface ContainerOutcome {
  report: ContainerReport;
  findings: ContainerFindings | null;
  window: store.NewWindow;
  memory: { seconds: number; seen: store.SeenTemplate[] } | null;
}

async function triageContainer(
  ctx: TaskContext,
  t: Target,
  until: Date,
  options: Options,
  redactions: Partial<Record<RedactionKind, number>>,
  knownValues: KnownValues,
): Promise<ContainerOutcome> {
  const sql = ctx.db.sql;
  const previous = await store.lastSuccessfulWindow(sql, t.name);
  const since = previous ? previous.until : new Date(until.getTime() - options.lookback_minutes * 60_000);
  const base = { since: since.toISOString(), until: until.toISOString(), first_window: !previous };
  const window: store.NewWindow = {
    job_id: ctx.jobId,
    run_id: ctx.runId,
    container_name: t.name,
    container_id: t.id,
    since,
    until,
    lines: 0,
    triaged_lines: 0,
    bytes: 0,
    truncated: false,
    templates: 0,
    errors: 0,
    warnings: 0,
    new_templates: 0,
    restart_count: null,
    started_at: null,
    status: 'ok',
    error_code: null,
    created_at: ctx.clock.now(),
  };
  let read: WindowRead;
  let events: ContainerEvent[];
  let state: Awaited<ReturnType<typeof ctx.docker.inspect>>;
  let restarts: number;
  try {
    state = await ctx.docker.inspect(t.id);
    window.restart_count = state.restart_count;
    window.started_at = state.started_at ? new Date(state.started_at) : null;
    try {
      // the daemon's own record of every start, death and OOM kill in the window
      const lifecycle = eventsFromLifecycle(
        await ctx.docker.lifecycleEvents(t.id, { since: lifecycleSince(state, since), until }),
        state,
        since,
      );
      events = lifecycle.events;
      restarts = lifecycle.restarts;
    } catch (err) {
      ctx.signal.throwIfAborted();
      // no event log (an old daemon, events pruned): what the state at both ends of the window tells
      ctx.logger.warn('log triage read no container events; using the restart count', {
        container: t.name,
        error_code: errorCode(err),
      });
      events = eventsInWindow(state, previous, since, until);
      const before = previous?.restart_count;
      restarts =
        before != null ? Math.max(0, state.restart_count - before) : events.filter((e) => e.kind === 'restart').length;
    }
    read = await readWindow(ctx.docker, t.id, { since, until }, options.max_lines, ctx.signal, knownValues);
  } catch (err) {
    ctx.signal.throwIfAborted();
    const code = errorCode(err);
    ctx.logger.warn('log triage could not read a container', { container: t.name, error_code: code });
    const zero = {
      events: 0,
      templates: 0,
      errors: 0,
      warnings: 0,
      new_templates: 0,
      recurring_templates: 0,
      resolved_templates: 0,
      spikes: 0,
      binary_lines: 0,
      capped_lines: 0,
    };
    return {
      report: {
        name: t.name,
        id: t.id,
        status: 'failed',
        error_code: code,
        window: { ...base, seconds: 0, lines: 0, triaged_lines: 0, bytes: 0, truncated: false },
        counts: zero,
        container: null,
        events: [],
        resolved: [],
      },
      findings: null,
      window: { ...window, status: 'failed', error_code: code },
      memory: null,
    };
  }
  const r = read.result;
  addCounts(redactions, r.redactions);
  // the seconds in which the container could have logged: a rate is never spread over a lookback
  // that reaches back before the container existed
  const seconds = observableSeconds(
    since,
    until,
    Number.isNaN(Date.parse(state.created)) ? null : new Date(state.created),
  );
  const loop = crashLoopOf(state, restarts, until);
  const wasLooping = previous?.restart_count != null && previous.restart_count >= CRASH_LOOP_RESTARTS;
  const fps = r.templates.map((x) => x.fingerprint);
  const known = await store.knownTemplates(sql, t.name, fps);
  const lastTime = previous ? await store.templatesLastSeenInJob(sql, t.name, previous.job_id) : [];
  const verdict = judgeAgainstMemory(
    r.templates.map((x) => ({ fingerprint: x.fingerprint, level: x.level, count: x.count })),
    known,
    lastTime,
    seconds,
  );
  const knownLevel = new Map(known.map((k) => [k.fingerprint, k.level]));
  const counts = countsOf(r, verdict);
  Object.assign(window, {
    lines: read.lines,
    triaged_lines: read.triagedLines,
    bytes: read.bytes,
    truncated: read.truncated,
    templates: counts.templates,
    errors: counts.errors,
    warnings: counts.warnings,
    new_templates: counts.new_templates,
  });
  return {
    report: {
      name: t.name,
      id: t.id,
      status: 'ok',
      error_code: null,
      window: {
        ...base,
        seconds,
        lines: read.lines,
        triaged_lines: read.triagedLines,
        bytes: read.bytes,
        truncated: read.truncated,
      },
      counts,
      container: {
        state: state.state,
        health: state.health,
        exit_code: state.exit_code,
        oom_killed: state.oom_killed,
        started_at: state.started_at,
        restarts: { window: restarts, total: state.restart_count, previous_total: previous?.restart_count ?? null },
        crash_loop: loop !== null,
      },
      events,
      resolved: verdict.resolved.map((x) => ({ fingerprint: x.fingerprint, level: x.level, last_count: x.last_count })),
    },
    findings: {
      container: t.name,
      findings: r.findings,
      templates: r.templates,
      status: verdict.status,
      spikes: verdict.spikes,
      events,
      seconds,
      crashLoop: loop ? { loop, status: wasLooping ? 'recurring' : 'new' } : null,
    },
    window,
    memory: {
      seconds,
      seen: r.templates.map((x) => ({
        fingerprint: x.fingerprint,
        level: worseLevel(x.level, knownLevel.get(x.fingerprint) ?? 'trace'),
        count: x.count,
      })),
    },
  };
}

async function run(ctx: TaskContext, applianceSecrets: readonly string[]): Promise<TaskSummary> {
  const options = ctx.options as Options;
  // the window ends where this job started, so the next window starts exactly there
  const until = (await store.jobStartedAt(ctx.db.sql, ctx.jobId)) ?? ctx.clock.now();
  const redactions: Partial<Record<RedactionKind, number>> = {};
  const outcomes: ContainerOutcome[] = [];
  const chosen = await targets(ctx, options.containers);
  const unreadable = options.containers
    ? unreadableContainers(
        options.containers,
        chosen,
        await listAllowlist(ctx.db.sql),
        await ctx.docker.listContainers(),
      )
    : [];
  if (unreadable.length)
    ctx.logger.warn('named containers cannot be read', { containers: unreadable.map((u) => u.container) });
  // the containers' env values and the appliance's secrets, masked wherever a line shows them; held
  // in this run's memory only
  const known = await knownSecretsFor(
    ctx.docker,
    chosen.map((t) => t.id),
    applianceSecrets,
  );
  for (const t of chosen) {
    ctx.signal.throwIfAborted();
    outcomes.push(await triageContainer(ctx, t, until, options, redactions, known));
  }

  const perContainer = outcomes.flatMap((o) => (o.findings ? [o.findings] : []));
  const ranked = rankAllContainers(perContainer);
  const findings = ranked.findings;
  const containers = outcomes.map((o) => o.report);
  const lines = containers.reduce((n, c) => n + c.window.lines, 0);
  const templateCount = containers.reduce((n, c) => n + c.counts.templates, 0);

  // one model call per job, on the digest; without a model (or when it fails) the report stands alone
  const { analysis, digest, tokens } = await analyse({
    directive: ctx.directive.text,
    contextTokens: ctx.llm.contextTokens,
    model: ctx.llm.configured ? ctx.llm.model : null,
    chat: async (messages, maxTokens) => {
      const answer = await ctx.llm.chat(messages, { maxTokens, temperature: 0.2 });
      ctx.signal.throwIfAborted();
      if (!answer.ok) return { ok: false, reason: `${answer.error}, ${answer.attempts} attempts` };
      const u = answer.usage;
      return {
        ok: true,
        text: answer.text,
        usage: { prompt: u.promptTokens, completion: u.completionTokens, total: u.totalTokens },
      };
    },
    findings,
    templates: new Map(
      perContainer.flatMap((c) => c.templates.map((x) => [`${c.container}\u0000${x.fingerprint}`, x] as const)),
    ),
    totals: { lines, templates: templateCount, containers: containers.map((c) => c.name) },
  });
  addCounts(redactions, ctx.llm.redactions());

  const report: LogTriageReport = {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    run_id: ctx.runId,
    job_id: ctx.jobId,
    generated_at: ctx.clock.now().toISOString(),
    directive: { name: ctx.directive.name, version: ctx.directive.version, sha256: ctx.directive.sha256 },
    ...reportStatus(containers),
    nothing_new: containers.length > 0 && containers.every((c) => c.status === 'ok' && c.window.lines === 0),
    containers,
    findings,
    findings_total: ranked.total,
    analysis: analysis.text ? { ...analysis, text: redact(analysis.text).text } : analysis,
    digest,
    tokens,
    redactions: Object.fromEntries(Object.entries(redactions).map(([k, n]) => [k, n ?? 0])),
  };
  ctx.signal.throwIfAborted();
  await ctx.writeArtifact('log_triage.json', JSON.stringify(report, null, 2) + '\n', {
    kind: 'report',
    mimeType: 'application/json',
  });
  await ctx.writeArtifact('log_triage.md', renderMarkdown(report), { kind: 'report', mimeType: 'text/markdown' });

  // windows and memory last, together: a job that got this far has its report
  ctx.signal.throwIfAborted();
  await ctx.db.sql.begin(async (tx) => {
    for (const o of outcomes) {
      const inserted = await store.insertWindow(tx, o.window);
      if (!inserted || !o.memory) continue;
      await store.addObservedSeconds(tx, o.window.container_name, o.memory.seconds);
      await store.recordTemplates(
        tx,
        { containerName: o.window.container_name, runId: ctx.runId, jobId: ctx.jobId, seconds: o.memory.seconds },
        o.memory.seen,
      );
    }
  });

  const ok = containers.filter((c) => c.status === 'ok');
  const total = (k: keyof ContainerReport['counts']) => ok.reduce((n, c) => n + c.counts[k], 0);
  return {
    containers: containers.length,
    containers_failed: containers.length - ok.length,
    lines,
    bytes: ok.reduce((n, c) => n + c.window.bytes, 0),
    truncated_containers: ok.filter((c) => c.window.truncated).length,
    templates: templateCount,
    findings: findings.length,
    errors: total('errors'),
    warnings: total('warnings'),
    new_templates: total('new_templates'),
    resolved_templates: total('resolved_templates'),
    spikes: total('spikes'),
    container_events: containers.reduce((n, c) => n + c.events.length, 0),
    nothing_new: report.nothing_new,
    status: report.status,
    ...(report.status_reason ? { status_reason: report.status_reason } : {}),
    restarts: containers.reduce((n, c) => n + (c.container?.restarts.window ?? 0), 0),
    crash_loops: containers.filter((c) => c.container?.crash_loop).length,
    analysis: analysis.status,
    digest_tokens: digest?.tokens ?? 0,
    digest_omitted: digest?.omitted ?? 0,
    unreadable: unreadableText(unreadable),
  };
}

/** The variables' values; the defaults where one is invalid (the start is then refused, with one line, by loadConfig). */
function settingsFromEnvironment(): LogTriageDefaults {
  try {
    return logTriageSettings();
  } catch {
    return logTriageSettings({});
  }
}

/** `applianceSecrets`: CYBER_BRAIN_TOKEN, the database password, the model key (see redact/appliance). */
export function logTriageTask(
  defaults: LogTriageDefaults = settingsFromEnvironment(),
  applianceSecrets: readonly string[] = [],
): TaskDefinition {
  return {
    key: 'log_triage',
    title: 'Log triage',
    description:
      'What went wrong since the last run, and what is NEW: each allowlisted container’s logs since its last successful triage, grouped into patterns, ranked, compared with earlier runs, explained by the local model.',
    optionsSchema: optionsSchema(defaults),
    concurrency: 1,
    run: (ctx) => run(ctx, applianceSecrets),
  };
}
