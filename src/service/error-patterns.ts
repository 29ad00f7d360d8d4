// "Errors now": the error and warning patterns of the latest successful log triage, per container,
// new or recurring, with their rates, and each container's restarts and crash loop; or why there is
// nothing to show (no triage yet, or a triage that had nothing to read: a warning, never an all-clear).
// A read model over the triage's JSON report (the only place the patterns are kept); the dashboard
// draws it, and REST/MCP can serve it as it is.
import type { Database } from '../db/database.ts';
import * as runs from './runs.ts';

export interface PatternNow {
  fingerprint: string;
  kind: string;
  level: 'critical' | 'error' | 'warn';
  /** `new`: first seen in this triage; `recurring`: seen by an earlier one. */
  status: 'new' | 'recurring';
  /** Redacted template text. */
  template: string;
  count: number;
  /** Events per hour over the window the container could log in; null when unknown. */
  per_hour: number | null;
  spike: boolean;
  last_seen: string | null;
  rank: number;
}

export interface ContainerErrorsNow {
  container: string;
  state: string | null;
  restarts: { window: number; total: number } | null;
  crash_loop: boolean;
  errors: number;
  warnings: number;
  patterns: PatternNow[];
}

export interface ErrorPatternsNow {
  /** none: no log triage has succeeded yet; warning: the latest had nothing to read. */
  status: 'ok' | 'warning' | 'none';
  status_reason: string | null;
  run_id: number | null;
  generated_at: string | null;
  /** Containers with trouble first (crash loops, then most error events), then the rest. */
  containers: ContainerErrorsNow[];
  /** The newest log triage run when it is not the one shown (it failed or is still going). */
  newer_run: { id: number; status: string } | null;
}

const TASK = 'log_triage';
const REPORT = 'log_triage.json';
const SCAN_RUNS = 50;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const LEVELS = new Set(['critical', 'error', 'warn']);

/** The newest successful triage's report, parsed; null when there is none. */
async function latestReport(ctx: { db: Database; logsDir: string }): Promise<{ runId: number; data: Obj; newest: runs.RunView | null } | null> {
  const { runs: list } = await runs.listRuns(ctx, { task: TASK, limit: SCAN_RUNS });
  for (const run of list) {
    if (run.status !== 'success' && run.status !== 'partial') continue;
    const detail = await runs.getRun(ctx, run.id);
    const job = detail.jobs.find((j) => j.task === TASK && j.status === 'success');
    const artifact = job && detail.artifacts.find((a) => a.job_id === job.id && a.path === REPORT);
    const text = artifact ? runs.readArtifactText(ctx, artifact) : null;
    if (text === null) continue;
    try {
      const data = JSON.parse(text) as unknown;
      if (isObj(data)) return { runId: run.id, data, newest: list[0] ?? null };
    } catch {
      // a damaged report is skipped: the next older one is shown
    }
  }
  return null;
}

function patternOf(f: Obj): PatternNow | null {
  const level = str(f.level);
  if (!level || !LEVELS.has(level)) return null;
  return {
    fingerprint: str(f.fingerprint) ?? '',
    kind: str(f.kind) ?? 'error',
    level: level as PatternNow['level'],
    status: f.status === 'new' ? 'new' : 'recurring',
    template: str(f.template) ?? '',
    count: num(f.count) ?? 0,
    per_hour: num(f.per_hour),
    spike: isObj(f.spike),
    last_seen: str(f.last_seen),
    rank: num(f.rank) ?? 0,
  };
}

export async function errorPatternsNow(ctx: { db: Database; logsDir: string }): Promise<ErrorPatternsNow> {
  const latest = await latestReport(ctx);
  if (!latest) return { status: 'none', status_reason: 'no log triage has finished yet', run_id: null, generated_at: null, containers: [], newer_run: null };
  const { data, runId, newest } = latest;
  const byName = new Map<string, ContainerErrorsNow>();
  for (const c of arr(data.containers)) {
    if (!isObj(c) || typeof c.name !== 'string') continue;
    const state = isObj(c.container) ? c.container : null;
    const restarts = state && isObj(state.restarts) ? state.restarts : null;
    const counts = isObj(c.counts) ? c.counts : {};
    byName.set(c.name, {
      container: c.name,
      state: state ? str(state.state) : null,
      restarts: restarts ? { window: num(restarts.window) ?? 0, total: num(restarts.total) ?? 0 } : null,
      crash_loop: state?.crash_loop === true,
      errors: num(counts.errors) ?? 0,
      warnings: num(counts.warnings) ?? 0,
      patterns: [],
    });
  }
  for (const f of arr(data.findings)) {
    if (!isObj(f) || typeof f.container !== 'string') continue;
    const p = patternOf(f);
    const c = byName.get(f.container);
    if (p && c) c.patterns.push(p);
  }
  const containers = [...byName.values()].sort(
    (a, b) => Number(b.crash_loop) - Number(a.crash_loop) || b.errors - a.errors || b.warnings - a.warnings || a.container.localeCompare(b.container),
  );
  // a report written before reports had a status says nothing was read by listing no container
  const status = data.status === 'warning' || byName.size === 0 ? 'warning' : 'ok';
  return {
    status,
    status_reason: status === 'warning' ? (str(data.status_reason) ?? 'nothing to read: no container was triaged') : null,
    run_id: runId,
    generated_at: str(data.generated_at),
    containers,
    newer_run: newest && newest.id !== runId ? { id: newest.id, status: newest.status } : null,
  };
}
