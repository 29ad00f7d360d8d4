// The log triage report: log_triage.json (the data; its shape is LogTriageReport below, versioned by
// `schema` + `version`) and log_triage.md (the same, for people). Template and example text in it is
// redacted; the model's analysis is the only free text and is never stored anywhere else.
//
// log_triage.json, version 1:
//   schema "cyber-brain.log_triage", version 1, run_id, job_id, generated_at, directive {name, version, sha256}
//   status ok|warning, status_reason: "warning" when the triage had nothing to read (no container to
//     triage, or none could be read): never an all-clear
//   nothing_new: true when no container logged a line in its window
//   containers[]: name, id, status ok|failed, error_code, window {since, until, first_window, seconds
//     (that the container could log in), lines, triaged_lines, bytes, truncated}, counts {events,
//     templates, errors, warnings, new_templates, recurring_templates, resolved_templates, spikes,
//     binary_lines, capped_lines}, container {state, health, exit_code, oom_killed, started_at,
//     restarts {window, total, previous_total}, crash_loop} (null when not read), events[] {kind
//     restart|exit|oom_kill, at, exit_code, restart_count}: one per restart, exit or OOM kill in the
//     window, resolved[] {fingerprint, level, last_count}
//   findings[]: ranked, most important first (see ReportFinding in log-triage-findings.ts), at most
//     100; findings_total: how many there were in all
//   analysis {status ok|not_configured|failed|skipped, model, reason, text}
//   digest {context_tokens, answer_reserve, budget_tokens, prompt_tokens, tokens, included, omitted,
//     omitted_findings[] {rank, container, fingerprint}}
//   tokens {prompt, completion, total}; redactions {kind: count}
import type { TriageResult } from '../triage/index.ts';
import { LEVEL_RANK } from '../triage/log-level.ts';
import type { MemoryVerdict } from '../triage/run-memory.ts';
import type { ContainerEvent } from './log-triage-events.ts';
import type { ReportFinding } from './log-triage-findings.ts';

export const REPORT_SCHEMA = 'cyber-brain.log_triage';
export const REPORT_VERSION = 1;

export interface ContainerReport {
  name: string;
  id: string;
  status: 'ok' | 'failed';
  error_code: string | null;
  window: {
    since: string;
    until: string;
    first_window: boolean;
    seconds?: number;
    lines: number;
    triaged_lines: number;
    bytes: number;
    truncated: boolean;
  };
  counts: {
    events: number;
    templates: number;
    errors: number;
    warnings: number;
    new_templates: number;
    recurring_templates: number;
    resolved_templates: number;
    spikes: number;
    binary_lines: number;
    capped_lines: number;
  };
  /** The container's state at the end of the window (null when it was not read, or for a file). */
  container: ContainerState | null;
  events: ContainerEvent[];
  resolved: { fingerprint: string; level: string; last_count: number }[];
}

export interface ContainerState {
  state: string;
  health: string | null;
  exit_code: number | null;
  oom_killed: boolean;
  started_at: string | null;
  restarts: { window: number; total: number; previous_total: number | null };
  crash_loop: boolean;
}

export interface AnalysisReport {
  status: 'ok' | 'not_configured' | 'failed' | 'skipped';
  model: string | null;
  /** Why there is no analysis (codes and numbers only). */
  reason: string | null;
  text: string | null;
}

export interface DigestReport {
  context_tokens: number;
  answer_reserve: number;
  budget_tokens: number;
  prompt_tokens: number;
  tokens: number;
  included: number;
  omitted: number;
  omitted_findings: { rank: number; container: string; fingerprint: string }[];
}

export interface LogTriageReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  /** null when produced by the command line */
  run_id: number | null;
  job_id: number | null;
  generated_at: string;
  directive: { name: string | null; version: number | null; sha256: string };
  status: 'ok' | 'warning';
  status_reason: string | null;
  nothing_new: boolean;
  containers: ContainerReport[];
  findings: ReportFinding[];
  findings_total: number;
  analysis: AnalysisReport;
  digest: DigestReport | null;
  tokens: { prompt: number; completion: number; total: number };
  redactions: Record<string, number>;
}

/** "warning" when there was nothing to read: no container to triage, or none could be read. */
export function reportStatus(containers: ContainerReport[]): {
  status: 'ok' | 'warning';
  status_reason: string | null;
} {
  if (containers.length === 0)
    return { status: 'warning', status_reason: 'nothing to read: no allowlisted, enabled container to triage' };
  if (containers.every((c) => c.status === 'failed'))
    return { status: 'warning', status_reason: 'nothing to read: no container could be read' };
  return { status: 'ok', status_reason: null };
}

/** A container's counts: events logged at error and above, at warn, and the memory's verdicts. */
export function countsOf(r: TriageResult, verdict: MemoryVerdict): ContainerReport['counts'] {
  const sum = (min: number, max: number) =>
    r.templates.reduce((n, x) => n + (LEVEL_RANK[x.level] >= min && LEVEL_RANK[x.level] <= max ? x.count : 0), 0);
  const fresh = [...verdict.status.values()].filter((s) => s === 'new').length;
  return {
    events: r.events,
    templates: r.templates.length,
    errors: sum(LEVEL_RANK.error, LEVEL_RANK.critical),
    warnings: sum(LEVEL_RANK.warn, LEVEL_RANK.warn),
    new_templates: fresh,
    recurring_templates: r.templates.length - fresh,
    resolved_templates: verdict.resolved.length,
    spikes: verdict.spikes.size,
    binary_lines: r.binaryLines,
    capped_lines: r.cappedLines,
  };
}

/** Container events the markdown lists per container. */
const EVENTS_LISTED = 20;

/** Findings the markdown report lists in full; the rest are counted (the JSON has up to 100). */
export const MARKDOWN_FINDINGS = 25;

/** Table cells and inline code must not break the markdown: one line, no pipes or backticks. */
const cell = (s: string, max = 200) => {
  const one = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
};

function eventSummary(events: ContainerEvent[]): string {
  const n = (k: ContainerEvent['kind']) => events.filter((e) => e.kind === k).length;
  const parts = [
    [n('restart'), 'restart'],
    [n('exit'), 'exit'],
    [n('oom_kill'), 'OOM kill'],
  ] as const;
  return parts
    .filter(([c]) => c > 0)
    .map(([c, w]) => `${c} ${w}${c === 1 ? '' : 's'}`)
    .join(', ');
}

function eventText(e: ContainerEvent): string {
  if (e.kind === 'restart') return `restarted at ${e.at} (restart count ${e.restart_count})`;
  if (e.kind === 'oom_kill') return `killed for lack of memory (OOM) at ${e.at}`;
  return `exited with code ${e.exit_code ?? '?'} at ${e.at}`;
}

export function renderMarkdown(r: LogTriageReport): string {
  const out: string[] = ['# Log triage', ''];
  if (r.status === 'warning')
    out.push(`**Warning: ${r.status_reason ?? 'nothing to read'}.** This is not an all-clear.`, '');
  if (r.containers.length === 0)
    out.push('No allowlisted, enabled container to triage: add containers to the allowlist.', '');
  else if (r.nothing_new) out.push('**Nothing new since the last run**: no container logged a line in its window.', '');

  if (r.containers.length) {
    out.push(
      '## Containers',
      '',
      '| container | window | lines | errors | warnings | new patterns | restarts | events |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of r.containers) {
      const w = c.window;
      const lines =
        c.status === 'failed'
          ? `not read (${c.error_code})`
          : `${w.lines}${w.truncated ? ` (truncated: first ${w.triaged_lines} triaged)` : ''}`;
      const events = eventSummary(c.events);
      const span = w.since ? `${w.since} → ${w.until}${w.first_window ? ' (first run: lookback)' : ''}` : 'whole input';
      const k = c.container?.restarts;
      const restarts = k ? `${k.window} (total ${k.total})${c.container!.crash_loop ? ' **crash loop**' : ''}` : '';
      out.push(
        `| ${cell(c.name)} | ${span} | ${lines} | ${c.counts.errors} | ${c.counts.warnings} | ${c.counts.new_templates} | ${restarts} | ${events} |`,
      );
    }
    const quiet = r.containers.filter((c) => c.status === 'ok' && c.window.lines === 0);
    if (quiet.length && !r.nothing_new)
      out.push('', `Nothing new since the last run from: ${quiet.map((c) => cell(c.name)).join(', ')}.`);
    const truncated = r.containers.filter((c) => c.window.truncated);
    for (const c of truncated)
      out.push(
        '',
        `**Truncated**: ${cell(c.name)} logged ${c.window.lines} lines; only the first ${c.window.triaged_lines} were triaged (LOG_TRIAGE_MAX_LINES).`,
      );
    for (const c of r.containers.filter((x) => x.counts.binary_lines > 0))
      out.push(
        '',
        `${cell(c.name)} wrote ${c.counts.binary_lines} lines of binary output: counted, not read as log lines.`,
      );
    out.push('');
  }

  out.push('## Findings', '');
  if (r.findings.length === 0)
    out.push(
      r.status === 'warning'
        ? 'No findings, because nothing was read.'
        : 'No errors, warnings or spikes in the windows.',
      '',
    );
  for (const f of r.findings.slice(0, MARKDOWN_FINDINGS)) {
    const when = f.first_seen ? `, first ${f.first_seen}, last ${f.last_seen}` : '';
    const rate = f.per_hour !== null ? `, ${f.per_hour}/h` : '';
    const count =
      f.kind === 'crash_loop' && f.restarts
        ? `${f.restarts.window} restarts (total ${f.restarts.total})`
        : `×${f.count}${rate}`;
    out.push(
      `${f.rank}. **${f.status === 'new' ? 'NEW ' : ''}${f.kind}** [${f.level}] in \`${cell(f.container)}\` ${count}${when}`,
    );
    // sub-items are indented past the item's number, whatever its width ("1. ", "10. ", "100. ")
    const pad = ' '.repeat(String(f.rank).length + 2);
    out.push(`${pad}- template: \`${cell(f.template, 300)}\``);
    if (f.after_event) out.push(`${pad}- after the container ${eventText(f.after_event)}`);
    out.push(`${pad}- why: ${cell(f.reasons.join('; '), 500)}`);
    for (const ex of f.exemplars.slice(0, 2)) out.push(`${pad}- e.g. \`${cell(ex, 300)}\``);
  }
  const more = Math.max(r.findings_total, r.findings.length) - Math.min(r.findings.length, MARKDOWN_FINDINGS);
  if (more > 0)
    out.push(
      '',
      `…and ${more} more finding${more === 1 ? '' : 's'} (log_triage.json lists the first ${r.findings.length}).`,
    );
  if (r.findings.length) out.push('');

  // a file has no container events: say nothing rather than "no restarts"
  const fromDocker = r.containers.some((c) => c.container !== null);
  if (fromDocker) out.push('## Container events', '');
  const withEvents = r.containers.filter((c) => c.events.length);
  if (fromDocker && !withEvents.length) out.push('No restarts, exits or OOM kills in the windows.');
  for (const c of withEvents) {
    // a crash loop of hours has hundreds: the latest are listed, the rest counted
    const shown = c.events.slice(-EVENTS_LISTED);
    if (c.events.length > shown.length)
      out.push(
        `- ${cell(c.name)}: ${c.events.length - shown.length} earlier events in the window (see log_triage.json)`,
      );
    for (const e of shown) {
      const after = r.findings.filter(
        (f) => f.container === c.name && f.after_event?.at === e.at && f.after_event.kind === e.kind,
      );
      const follow = after.length
        ? `; followed by finding${after.length > 1 ? 's' : ''} ${after.map((f) => `#${f.rank} (${f.level}, ×${f.count})`).join(', ')}`
        : '';
      out.push(`- ${cell(c.name)} ${eventText(e)}${follow}`);
    }
  }
  if (fromDocker) out.push('');

  out.push('## Changes since the last run', '');
  for (const c of r.containers.filter((x) => x.status === 'ok')) {
    const k = c.counts;
    out.push(
      `- ${cell(c.name)}: ${k.new_templates} new patterns, ${k.recurring_templates} recurring, ${k.resolved_templates} error patterns resolved (seen last time, absent now), ${k.spikes} spikes`,
    );
    for (const x of c.resolved)
      out.push(`  - resolved: ${x.level} pattern ${x.fingerprint} (×${x.last_count} last time)`);
  }
  out.push('');

  out.push('## Analysis', '');
  if (r.analysis.status === 'ok' && r.analysis.text) out.push(r.analysis.text.trim());
  else out.push(`No analysis: ${r.analysis.reason ?? 'not requested'}. The findings above are complete without it.`);
  out.push('');

  out.push('## Digest and tokens', '');
  if (r.digest) {
    const d = r.digest;
    out.push(
      `- Digest: ${d.tokens} tokens of a ${d.budget_tokens}-token budget (context ${d.context_tokens}, answer reserve ${d.answer_reserve}, prompt ≈ ${d.prompt_tokens}); findings included: ${d.included}, left out: ${d.omitted}`,
    );
    if (d.omitted_findings.length)
      out.push(
        `- Left out to fit: ${d.omitted_findings.map((o) => `#${o.rank} (${cell(o.container)} ${o.fingerprint})`).join(', ')}`,
      );
  } else out.push('- No digest was built.');
  out.push(`- Tokens: ${r.tokens.total} (${r.tokens.prompt} prompt, ${r.tokens.completion} completion)`);
  const red = Object.entries(r.redactions).filter(([, n]) => n > 0);
  out.push(`- Redactions: ${red.length ? red.map(([k, n]) => `${k} ${n}`).join(', ') : 'none'}`);
  out.push(
    `- Directive: ${r.directive.name ? `${cell(r.directive.name)}${r.directive.version !== null ? ` v${r.directive.version}` : ''}` : 'custom instruction'} (sha256 ${r.directive.sha256.slice(0, 12)})`,
  );
  return out.join('\n') + '\n';
}
