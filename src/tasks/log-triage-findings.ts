// Ranks the findings of all containers of one triage job into one list, most important first:
// new error patterns, then rate spikes and new warnings, then errors that followed a container event
// (restart, exit, OOM kill), then the rest by the triage's own score. Text that leaves here (template,
// exemplars) is redacted.
import { redact } from '../redact/index.ts';
import type { Finding, FindingKind, TemplateSummary } from '../triage/index.ts';
import { LEVEL_RANK } from '../triage/log-level.ts';
import type { Spike, TemplateStatus } from '../triage/run-memory.ts';
import { eventBefore, type ContainerEvent } from './log-triage-events.ts';

export type ReportFindingKind = FindingKind | 'spike';

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
  spike: { per_hour: number; earlier_per_hour: number; factor: number } | null;
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
}

const atLeast = (level: string, floor: 'warn' | 'error') => (LEVEL_RANK[level as keyof typeof LEVEL_RANK] ?? 0) >= LEVEL_RANK[floor];

function tier(f: ReportFinding): number {
  if (f.status === 'new' && atLeast(f.level, 'error')) return 0;
  if (f.spike || (f.status === 'new' && atLeast(f.level, 'warn'))) return 1;
  if (f.after_event && atLeast(f.level, 'warn')) return 2;
  return 3;
}

const round = (n: number) => Math.round(n * 100) / 100;

function toReport(c: ContainerFindings, t: TemplateSummary, finding: Finding | undefined): ReportFinding {
  const status = c.status.get(t.fingerprint) ?? 'new';
  const spike = c.spikes.get(t.fingerprint);
  const after = atLeast(t.level, 'warn') ? eventBefore(t.firstSeen, c.events) : undefined;
  const reasons = [status === 'new' ? 'new pattern: not seen in earlier runs' : 'recurring: seen in earlier runs'];
  if (spike) reasons.push(`spike: ${round(spike.perHour)}/h in this window against ${round(spike.earlierPerHour)}/h before`);
  if (after) reasons.push(`first seen after the container's ${after.kind.replace('_', ' ')} at ${after.at}`);
  reasons.push(...(finding?.reasons ?? []));
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
    spike: spike ? { per_hour: round(spike.perHour), earlier_per_hour: round(spike.earlierPerHour), factor: round(spike.factor) } : null,
    after_event: after ?? null,
    // the triage redacts exemplars already; again here so that this module's output is safe on its own
    exemplars: t.exemplars.map((e) => redact(e).text),
  };
}

export function rankAcrossContainers(all: ContainerFindings[], limit = 100): ReportFinding[] {
  const out: ReportFinding[] = [];
  for (const c of all) {
    const covered = new Set<string>();
    for (const f of c.findings) {
      covered.add(f.template.fingerprint);
      out.push(toReport(c, f.template, f));
    }
    // spikes of templates the triage did not call findings (routine levels) still count
    for (const t of c.templates) if (c.spikes.has(t.fingerprint) && !covered.has(t.fingerprint)) out.push(toReport(c, t, undefined));
  }
  out.sort((a, b) => tier(a) - tier(b) || b.score - a.score || b.count - a.count);
  const kept = out.slice(0, limit);
  kept.forEach((f, i) => (f.rank = i + 1));
  return kept;
}

/** The findings in the triage digest's shape (for the prompt), with the run-to-run verdicts as reasons. */
export function asDigestFindings(findings: ReportFinding[], templates: Map<string, TemplateSummary>): Finding[] {
  return findings.map((f) => {
    const t = templates.get(`${f.container}\u0000${f.fingerprint}`);
    const base: TemplateSummary = t
      ? { ...t, template: f.template, exemplars: f.exemplars }
      : { id: f.fingerprint, template: f.template, fingerprint: f.fingerprint, count: f.count, level: 'info', signatures: [], firstEvent: 0, lastEvent: 0, perMinute: [], exemplars: f.exemplars };
    const kind: FindingKind = f.kind === 'spike' ? 'burst' : f.kind;
    return { rank: f.rank, kind, score: f.score, reasons: [`container ${f.container}`, ...f.reasons], template: base, ...(f.peak_per_minute !== null ? { peakPerMinute: f.peak_per_minute } : {}) };
  });
}
