// Where signals come from besides the live Docker events: a job's end. A failed job is `run_failed`;
// a successful log triage is read through its report for new error patterns, rate spikes and crash
// loops. Only what triage marks new (or worse) becomes a signal, so steady containers stay quiet.
import type { DockerGateway } from '../docker/gateway.ts';
import type { Logger } from '../log.ts';
import { listArtifactsOfRun } from '../store/artifacts.ts';
import { listJobsOfRun } from '../store/jobs.ts';
import type { Severity } from '../notify/message.ts';
import type { LogTriageReport } from '../tasks/log-triage-report.ts';
import type { ReportFinding } from '../tasks/log-triage-findings.ts';
import type { NotificationsCtx } from './notifications.ts';
import { ingestSignal, type SignalContainer, type WatchSignal } from './notify-signals.ts';
import { readArtifactText } from './runs.ts';

export interface SourcesCtx extends NotificationsCtx {
  logger: Logger;
  logsDir: string;
  docker: DockerGateway;
}

const SEVERITY: Record<string, Severity> = {
  critical: 'critical',
  error: 'error',
  warn: 'warning',
  warning: 'warning',
};

const hhmm = (iso: string | null) => (iso ? iso.slice(11, 16) : '?');

/** The signals a triage report holds: new error patterns, spikes, crash loops. */
export function signalsOfTriage(
  report: LogTriageReport,
  runId: number,
  containers: Map<string, SignalContainer>,
): WatchSignal[] {
  const out: WatchSignal[] = [];
  const containerOf = (name: string): SignalContainer =>
    containers.get(name) ?? { name, id: null, compose_project: null, labels: {} };
  for (const f of report.findings as ReportFinding[]) {
    const severity = SEVERITY[f.level];
    const first = new Date(f.first_seen ?? report.generated_at);
    if (f.kind === 'crash_loop') {
      const n = f.restarts?.window ?? f.count;
      out.push({
        event: 'crash_loop',
        severity: 'critical',
        incident_key: `crash_loop:${f.container}`,
        container: containerOf(f.container),
        title: `${f.container}: crash loop`,
        line: `${f.container}: crash loop, ${n} restart${n === 1 ? '' : 's'}`,
        count: n,
        first_seen: first,
        run_id: runId,
      });
      continue;
    }
    if (!severity) continue;
    if (f.status === 'new' && (severity === 'error' || severity === 'critical')) {
      out.push({
        event: 'new_error_pattern',
        severity,
        incident_key: `pattern:${f.container}:${f.fingerprint}`,
        container: containerOf(f.container),
        title: `${f.container}: new ${severity} pattern`,
        line: `${f.container}: new ${severity} ×${f.count} '${f.template.slice(0, 300)}' since ${hhmm(f.first_seen)}`,
        count: f.count,
        first_seen: first,
        run_id: runId,
      });
    } else if (f.spike) {
      out.push({
        event: 'error_spike',
        severity,
        incident_key: `spike:${f.container}:${f.fingerprint}`,
        container: containerOf(f.container),
        title: `${f.container}: ${severity} spike`,
        line: `${f.container}: ${severity} spike ×${f.count} '${f.template.slice(0, 300)}' (${Math.round(f.spike.factor * 10) / 10}× the usual rate)`,
        count: f.count,
        first_seen: first,
        run_id: runId,
      });
    }
  }
  return out;
}

/** Reads the end of one job and ingests its signals; returns them. */
export async function signalsOfJob(ctx: SourcesCtx, runId: number, jobId: number): Promise<WatchSignal[]> {
  const job = (await listJobsOfRun(ctx.db.sql, runId)).find((j) => Number(j.id) === jobId);
  if (!job) return [];
  const signals: WatchSignal[] = [];
  if (job.status === 'failed') {
    signals.push({
      event: 'run_failed',
      severity: 'error',
      incident_key: `run_failed:${runId}:${jobId}`,
      container: null,
      title: `run ${runId}: ${job.task} failed`,
      line: `run ${runId}: ${job.task} failed (${job.error_code ?? 'error'})`,
      count: 1,
      first_seen: job.finished_at ?? ctx.clock.now(),
      run_id: runId,
    });
  } else if (job.status === 'success' && job.task === 'log_triage') {
    const artifact = (await listArtifactsOfRun(ctx.db.sql, runId)).find(
      (a) => Number(a.job_id) === jobId && a.path.endsWith('log_triage.json'),
    );
    const text = artifact ? readArtifactText(ctx, { run_id: runId, path: artifact.path }) : null;
    if (text) {
      const report = JSON.parse(text) as LogTriageReport;
      const containers = new Map<string, SignalContainer>();
      const live = await ctx.docker.listContainers().catch(() => []);
      for (const c of live)
        containers.set(c.name, { name: c.name, id: c.id, compose_project: c.compose_project, labels: c.labels });
      signals.push(...signalsOfTriage(report, runId, containers));
    }
  }
  for (const s of signals) await ingestSignal(ctx, s);
  return signals;
}
