// Ranks the findings of all containers of one triage job into one list, most important first:
// severity first (critical > error > warning > info), so that no routine line ranks above trouble;
// within a severity new patterns, then worsening ones (rate spikes), then recurring ones; then those
// that followed a container event, then the triage's own score. A crash-looping container is a
// critical finding of its own, tied to the error patterns logged just before its restarts. Text that
// leaves here (template, exemplars) is redacted.
import { redact } from '../redact/index.ts';
import type { Finding, FindingKind, TemplateSummary } from '../triage/index.ts';
import { LEVEL_RANK } from '../triage/log-level.ts';
import type { Spike, TemplateStatus } from '../triage/run-memory.ts';
import { fingerprint } from '../triage/fingerprint.ts';
import { eventBefore, type ContainerEvent, type CrashLoop } from './log-triage-events.ts';

export type ReportFindingKind = FindingKind | 'spike' | 'crash_loop';

export interface ReportFinding {
  rank: number;
  container: string;
  kind: ReportFindingKind;
  /** `new`: first time this container logged the pattern; `recurring`: seen in an earlier run. */
  status: TemplateStatus;
  level: string;
  count: number;
  score: number;
  /** The template, variable parts as <*>, redacted. */
  template: string;
  fingerprint: string;
  first_seen: string | null;
  last_seen: string | null;
  peak_per_minute: number | null;
  reasons: string[];
  /** Events per hour over the seconds the window could see (null when unknown). */
  per_hour: number | null;
  spike: { per_hour: number; earlier_per_hour: number; factor: number; p_value: number } | null;
  /** crash_loop: restarts in the window and the container's total. */
  restarts: { window: number; total: number } | null;
  /** The container event this pattern first appeared after (within 15 minutes). */
  after_event: ContainerEvent | null;
  /** Up to three redacted example events. */
  exemplars: string[];
}

export interface ContainerFindings {
  container: string;
  findings: Finding[];
  templates: TemplateSummary[];
  status: Map<string, TemplateStatus>;
  spikes: Map<string, Spike>;
  events: ContainerEvent[];
  /** Seconds the window could see (see observableSeconds); 0 when unknown. */
  seconds?: number;
  crashLoop?: { loop: CrashLoop; status: TemplateStatus } | null;
}

const atLeast = (level: string, floor: 'warn' | 'error') =>
  (LEVEL_RANK[level as keyof typeof LEVEL_RANK] ?? 0) >= LEVEL_RANK[floor];

const SEVERITY: Record<string, number> = { critical: 0, error: 1, warn: 2 };
const severityOf = (f: ReportFinding) => SEVERITY[f.level] ?? 3;
const novelty = (f: ReportFinding) => (f.status === 'new' ? 0 : f.spike ? 1 : 2);
// a pattern that names a known kind of trouble (see severity.ts) before routine lines of its level
const named = (f: ReportFinding) => (f.reasons.some((r) => r.startsWith('signatures: ')) ? 0 : 1);

function compare(a: ReportFinding, b: ReportFinding): number {
  return (
    severityOf(a) - severityOf(b) ||
    (a.kind === 'crash_loop' ? 0 : 1) - (b.kind === 'crash_loop' ? 0 : 1) ||
    novelty(a) - novelty(b) ||
    (a.after_event ? 0 : 1) - (b.after_event ? 0 : 1) ||
    named(a) - named(b) ||
    b.score - a.score ||
    b.count - a.count
  );
}

const round = (n: number) => Math.round(n * 100) / 100;

function toReport(c: ContainerFindings, t: TemplateSummary, finding: Finding | undefined): ReportFinding {
  const status = c.status.get(t.fingerprint) ?? 'new';
  const spike = c.spikes.get(t.fingerprint);
  const after = atLeast(t.level, 'warn') ? eventBefore(t.firstSeen, c.events) : undefined;
  const reasons = [status === 'new' ? 'new pattern: not seen in earlier runs' : 'recurring: seen in earlier runs'];
  if (spike)
    reasons.push(`spike: ${round(spike.perHour)}/h in this window against ${round(spike.earlierPerHour)}/h before`);
  if (after) reasons.push(`first seen after the container's ${after.kind.replace('_', ' ')} at ${after.at}`);
  reasons.push(...(finding?.reasons ?? []));
  const seconds = c.seconds ?? 0;
  return {
    rank: 0,
    container: c.container,
    kind: finding?.kind ?? 'spike',
    status,
    level: t.level,
    count: t.count,
    score: round(finding?.score ?? 0),
    template: redact(t.template).text,
    fingerprint: t.fingerprint,
    first_seen: t.firstSeen ?? null,
    last_seen: t.lastSeen ?? null,
    peak_per_minute: finding?.peakPerMinute ?? null,
    reasons,
    per_hour: seconds > 0 ? round((t.count / seconds) * 3600) : null,
    spike: spike
      ? {
          per_hour: round(spike.perHour),
          earlier_per_hour: round(spike.earlierPerHour),
          factor: round(spike.factor),
          p_value: spike.pValue,
        }
      : null,
    restarts: null,
    after_event: after ?? null,
    // the triage redacts exemplars already; again here so that this module's output is safe on its own
    exemplars: t.exemplars.map((e) => redact(e).text),
  };
}

/** Warn-or-worse patterns logged in the last minute before the container's last exit: what it died of. */
function beforeRestarts(c: ContainerFindings): TemplateSummary[] {
  const exits = c.events.filter((e) => e.kind !== 'restart');
  const lastExit = exits.length ? Date.parse(exits[exits.length - 1]!.at) : NaN;
  const trouble = c.templates.filter((t) => atLeast(t.level, 'warn'));
  const near = Number.isNaN(lastExit)
    ? []
    : trouble.filter((t) => {
        const last = t.lastSeen ? Date.parse(t.lastSeen) : NaN;
        return !Number.isNaN(last) && last <= lastExit + 1000 && lastExit - last <= 60_000;
      });
  return (near.length ? near : trouble).sort((a, b) => b.count - a.count).slice(0, 3);
}

function crashLoopFinding(c: ContainerFindings, loop: CrashLoop, status: TemplateStatus): ReportFinding {
  const related = beforeRestarts(c);
  const r = loop.restarts;
  const reasons = [
    status === 'new'
      ? 'new: the container was not crash-looping at the last run'
      : 'recurring: the container was crash-looping at the last run too',
    `${r.window} restarts in this window, ${r.total} since the container was created${loop.state === 'restarting' ? '; Docker is restarting it now' : ''}`,
  ];
  if (loop.exit_code !== null) reasons.push(`last exit code ${loop.exit_code}`);
  for (const t of related)
    reasons.push(`before the restarts: [${t.level}] ${redact(t.template).text.slice(0, 200)} (×${t.count})`);
  const last = c.events.length ? c.events[c.events.length - 1]! : null;
  return {
    rank: 0,
    container: c.container,
    kind: 'crash_loop',
    status,
    level: 'critical',
    count: r.window,
    score: 0,
    template: `container restarting in a loop: ${r.window} restarts in this window, ${r.total} in all`,
    fingerprint: fingerprint(`crash_loop\u0000${c.container}`),
    first_seen: c.events.find((e) => e.kind === 'restart')?.at ?? null,
    last_seen: last?.at ?? null,
    peak_per_minute: null,
    reasons,
    per_hour: c.seconds ? round((r.window / c.seconds) * 3600) : null,
    spike: null,
    restarts: { window: r.window, total: r.total },
    after_event: null,
    exemplars: related.flatMap((t) => t.exemplars.slice(0, 1)).map((e) => redact(e).text),
  };
}

export function rankAcrossContainers(all: ContainerFindings[], limit = 100): ReportFinding[] {
  return rankAllContainers(all, limit).findings;
}

/** The ranked findings (at most `limit`) and how many there were in all. */
export function rankAllContainers(all: ContainerFindings[], limit = 100): { findings: ReportFinding[]; total: number } {
  const out: ReportFinding[] = [];
  for (const c of all) {
    if (c.crashLoop) out.push(crashLoopFinding(c, c.crashLoop.loop, c.crashLoop.status));
    const covered = new Set<string>();
    for (const f of c.findings) {
      covered.add(f.template.fingerprint);
      out.push(toReport(c, f.template, f));
    }
    // spikes of templates the triage did not call findings (routine levels) still count
    for (const t of c.templates)
      if (c.spikes.has(t.fingerprint) && !covered.has(t.fingerprint)) out.push(toReport(c, t, undefined));
  }
  out.sort(compare);
  const kept = out.slice(0, limit);
  kept.forEach((f, i) => {
    f.rank = i + 1;
  });
  return { findings: kept, total: out.length };
}

/** The findings in the triage digest's shape (for the prompt), with the run-to-run verdicts as reasons. */
export function asDigestFindings(findings: ReportFinding[], templates: Map<string, TemplateSummary>): Finding[] {
  return findings.map((f) => {
    const t = templates.get(`${f.container}\u0000${f.fingerprint}`);
    const base: TemplateSummary = t
      ? { ...t, template: f.template, exemplars: f.exemplars }
      : {
          id: f.fingerprint,
          template: f.template,
          fingerprint: f.fingerprint,
          count: f.count,
          level: 'info',
          signatures: [],
          firstEvent: 0,
          lastEvent: 0,
          perMinute: [],
          exemplars: f.exemplars,
        };
    const kind: FindingKind = f.kind === 'spike' ? 'burst' : f.kind === 'crash_loop' ? 'error' : f.kind;
    return {
      rank: f.rank,
      kind,
      score: f.score,
      reasons: [`container ${f.container}`, ...f.reasons],
      template: base,
      ...(f.peak_per_minute !== null ? { peakPerMinute: f.peak_per_minute } : {}),
    };
  });
}
