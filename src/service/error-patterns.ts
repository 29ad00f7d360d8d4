// "Errors now": the error and warning patterns of the latest successful log triage, per container,
// new or recurring, with their rates, and each container's restarts and crash loop; or why there is
// nothing to show (no triage yet, or a triage that had nothing to read: a warning, never an all-clear).
// A read model over the triage's JSON report (the only place the patterns are kept), typed once: the
// dashboard, GET /api/log-triage/patterns and the MCP tool all serve it.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './schemas.ts';
import { latestTaskFile, newestRun, NewestRun, type ResultsCtx } from './task-results.ts';

const TASK = 'log_triage';
const REPORT = 'log_triage.json';

/** What this view reads of a report (`log_triage.json`, schema cyber-brain.log_triage); other fields are not read. */
const ReportRead = Type.Object({
  generated_at: Type.String(),
  status: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('warning')])),
  status_reason: Type.Optional(Nullable(Type.String())),
  containers: Type.Array(
    Type.Object({
      name: Type.String(),
      counts: Type.Object({ errors: Type.Number(), warnings: Type.Number() }),
      container: Type.Optional(
        Nullable(
          Type.Object({
            state: Type.String(),
            restarts: Type.Optional(Type.Object({ window: Type.Number(), total: Type.Number() })),
            crash_loop: Type.Optional(Type.Boolean()),
          }),
        ),
      ),
    }),
  ),
  findings: Type.Array(
    Type.Object({
      rank: Type.Number(),
      container: Type.String(),
      kind: Type.String(),
      status: Type.String(),
      level: Type.String(),
      count: Type.Number(),
      template: Type.String(),
      fingerprint: Type.String(),
      first_seen: Nullable(Type.String()),
      last_seen: Nullable(Type.String()),
      per_hour: Type.Optional(Nullable(Type.Number())),
      spike: Type.Optional(Nullable(Type.Object({}))),
    }),
  ),
});
type ReportRead = Static<typeof ReportRead>;

export const PatternState = Type.Union([Type.Literal('current'), Type.Literal('new')], {
  description: 'current: every error and warning pattern of the latest triage; new: only those first seen in it',
});
export type PatternState = Static<typeof PatternState>;

export const PatternNow = Type.Object({
  fingerprint: Type.String(),
  kind: Type.String({ description: 'new_pattern, spike, error, crash_loop, ... (as in the report)' }),
  level: Type.Union([Type.Literal('critical'), Type.Literal('error'), Type.Literal('warn')]),
  status: Type.Union([Type.Literal('new'), Type.Literal('recurring')], {
    description: 'new: first seen in this triage',
  }),
  template: Type.String({ description: 'the redacted template, variable parts as <*>' }),
  count: Type.Integer(),
  per_hour: Nullable(
    Type.Number({ description: 'events per hour over the time the container could log in the window' }),
  ),
  spike: Type.Boolean(),
  first_seen: Nullable(Type.String()),
  last_seen: Nullable(Type.String()),
  rank: Type.Integer({ description: 'the rank in the triage report (1 = most important)' }),
});
export type PatternNow = Static<typeof PatternNow>;

export const ContainerErrorsNow = Type.Object({
  container: Type.String(),
  state: Nullable(Type.String()),
  restarts: Nullable(Type.Object({ window: Type.Integer(), total: Type.Integer() })),
  crash_loop: Type.Boolean(),
  errors: Type.Integer({ description: 'error and critical events in the window' }),
  warnings: Type.Integer(),
  patterns: Type.Array(PatternNow),
});
export type ContainerErrorsNow = Static<typeof ContainerErrorsNow>;

export const ErrorPatternsNow = Type.Object({
  state: PatternState,
  status: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('none')], {
    description: 'none: no log triage has succeeded yet; warning: the latest had nothing to read (never an all-clear)',
  }),
  status_reason: Nullable(Type.String()),
  run_id: Nullable(Type.Integer()),
  generated_at: Nullable(Type.String()),
  containers: Type.Array(ContainerErrorsNow, {
    description: 'containers with trouble first (crash loops, then most errors)',
  }),
  newer_run: NewestRun,
});
export type ErrorPatternsNow = Static<typeof ErrorPatternsNow>;

export const ErrorPatternsQuery = Type.Object({ state: Type.Optional(PatternState) }, { additionalProperties: false });

const LEVELS = new Set(['critical', 'error', 'warn']);

function patternOf(f: ReportRead['findings'][number]): PatternNow | null {
  if (!LEVELS.has(f.level)) return null;
  return {
    fingerprint: f.fingerprint,
    kind: f.kind,
    level: f.level as PatternNow['level'],
    status: f.status === 'new' ? 'new' : 'recurring',
    template: f.template,
    count: f.count,
    per_hour: f.per_hour ?? null,
    spike: f.spike != null,
    first_seen: f.first_seen,
    last_seen: f.last_seen,
    rank: f.rank,
  };
}

export async function errorPatternsNow(ctx: ResultsCtx, state: PatternState = 'current'): Promise<ErrorPatternsNow> {
  const [file, newest] = await Promise.all([latestTaskFile(ctx, TASK, REPORT, ReportRead), newestRun(ctx, TASK)]);
  if (!file)
    return {
      state,
      status: 'none',
      status_reason: 'no log triage has finished yet',
      run_id: null,
      generated_at: null,
      containers: [],
      newer_run: newest,
    };
  const data = file.data;
  const byName = new Map<string, ContainerErrorsNow>();
  for (const c of data.containers) {
    const s = c.container ?? null;
    byName.set(c.name, {
      container: c.name,
      state: s ? s.state : null,
      restarts: s?.restarts ? { window: s.restarts.window, total: s.restarts.total } : null,
      crash_loop: s?.crash_loop === true,
      errors: c.counts.errors,
      warnings: c.counts.warnings,
      patterns: [],
    });
  }
  for (const f of data.findings) {
    const p = patternOf(f);
    if (!p || (state === 'new' && p.status !== 'new')) continue;
    byName.get(f.container)?.patterns.push(p);
  }
  const containers = [...byName.values()].sort(
    (a, b) =>
      Number(b.crash_loop) - Number(a.crash_loop) ||
      b.errors - a.errors ||
      b.warnings - a.warnings ||
      a.container.localeCompare(b.container),
  );
  // a report written before reports had a status says nothing was read by listing no container
  const status = data.status === 'warning' || byName.size === 0 ? 'warning' : 'ok';
  return {
    state,
    status,
    status_reason: status === 'warning' ? (data.status_reason ?? 'nothing to read: no container was triaged') : null,
    run_id: file.run_id,
    generated_at: data.generated_at,
    containers,
    newer_run: newest && newest.id !== file.run_id ? newest : null,
  };
}

/** The new error patterns (error and critical) across containers, most important first. */
export function newErrorPatterns(now: ErrorPatternsNow): (PatternNow & { container: string })[] {
  return now.containers
    .flatMap((c) =>
      c.patterns.filter((p) => p.status === 'new' && p.level !== 'warn').map((p) => ({ ...p, container: c.container })),
    )
    .sort((a, b) => a.rank - b.rank);
}
