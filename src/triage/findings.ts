// Ranks templates into findings: what an operator should look at first. The score weighs the
// worst level, trouble signatures, bursts (a minute far above the template's usual rate), a rising
// rate over the window, and volume (logarithmically, so that chatty noise does not win).
import type { Level } from './log-level.ts';
import type { Signature } from './severity.ts';

export interface TemplateSummary {
  id: string;
  template: string;
  fingerprint: string;
  count: number;
  level: Level;
  signatures: Signature[];
  firstSeen?: string;
  lastSeen?: string;
  firstEvent: number;
  lastEvent: number;
  /** [minute, count] pairs, oldest first. */
  perMinute: [string, number][];
  /** Redacted exemplar events (first line plus continuation). */
  exemplars: string[];
}

export type FindingKind = 'error' | 'warning' | 'burst' | 'rising';

export interface Finding {
  rank: number;
  kind: FindingKind;
  score: number;
  reasons: string[];
  /** Busiest minute's count, when the template has timed events. */
  peakPerMinute?: number;
  template: TemplateSummary;
}

const LEVEL_WEIGHT: Record<Level, number> = {
  trace: 0.1,
  debug: 0.2,
  info: 1,
  notice: 2,
  warn: 10,
  error: 40,
  critical: 100,
};

export interface RankOptions {
  /** Most findings returned. */
  limit?: number;
}

/** Minutes from "YYYY-MM-DDTHH:MM" keys, for spans and thirds of the window. */
function minuteIndex(key: string): number {
  return Math.floor(Date.parse(key + ':00Z') / 60000);
}

/** A template's per-minute counts, oldest first, with minutes as numbers since the epoch. */
export interface MinuteSeries {
  readonly size: number;
  minuteAt(i: number): number;
  countAt(i: number): number;
}

// compact series that the pipeline hands over beside its summaries, so that ranking need not write
// out (and parse back) a [minute, count] pair for every minute of every template
const attached = new WeakMap<TemplateSummary, MinuteSeries>();

/** Lets rankFindings read `series` instead of the summary's perMinute pairs (the same counts). */
export function attachMinuteSeries(t: TemplateSummary, series: MinuteSeries): void {
  attached.set(t, series);
}

function seriesOf(t: TemplateSummary): MinuteSeries {
  const s = attached.get(t);
  if (s) return s;
  const pm = t.perMinute;
  return { size: pm.length, minuteAt: (i) => minuteIndex(pm[i]![0]), countAt: (i) => pm[i]![1] };
}

interface Window {
  start: number;
  end: number;
}

function windowOf(templates: TemplateSummary[]): Window | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const t of templates) {
    const pm = seriesOf(t);
    if (pm.size === 0) continue;
    start = Math.min(start, pm.minuteAt(0));
    end = Math.max(end, pm.minuteAt(pm.size - 1));
  }
  return Number.isFinite(start) ? { start, end } : undefined;
}

export function rankFindings(templates: TemplateSummary[], options: RankOptions = {}): Finding[] {
  const win = windowOf(templates);
  const out: Finding[] = [];
  for (const t of templates) {
    const reasons: string[] = [];
    let score = LEVEL_WEIGHT[t.level] * (1 + Math.log10(1 + t.count));
    if (t.signatures.length) {
      score *= 1 + 0.5 * t.signatures.length;
      reasons.push(`signatures: ${t.signatures.join(', ')}`);
    }
    let kind: FindingKind | undefined =
      t.level === 'error' || t.level === 'critical' ? 'error' : t.level === 'warn' ? 'warning' : undefined;
    let peak: number | undefined;
    const pm = win ? seriesOf(t) : undefined;
    if (win && pm && pm.size) {
      const span = win.end - win.start + 1;
      peak = 0;
      for (let i = 0; i < pm.size; i++) peak = Math.max(peak, pm.countAt(i));
      const mean = t.count / span;
      if (peak >= 10 && peak >= 5 * mean) {
        score *= 2;
        reasons.push(`burst: ${peak} in one minute against ${mean.toFixed(1)}/min on average`);
        kind ??= 'burst';
      }
      if (span >= 6 && t.count >= 10) {
        // compare the first and last thirds of the whole window
        const third = span / 3;
        let early = 0;
        let late = 0;
        for (let i = 0; i < pm.size; i++) {
          const c = pm.countAt(i);
          const at = pm.minuteAt(i) - win.start;
          if (at < third) early += c;
          else if (at >= span - third) late += c;
        }
        if (late >= 10 && late >= 3 * Math.max(early, 1)) {
          score *= 2;
          reasons.push(`rising: ${early} in the first third of the window, ${late} in the last`);
          if (kind !== 'error') kind = 'rising';
        }
      }
    }
    if (!kind) continue; // routine lines: not a finding
    out.push({ rank: 0, kind, score, reasons, ...(peak !== undefined ? { peakPerMinute: peak } : {}), template: t });
  }
  out.sort((a, b) => b.score - a.score || b.template.count - a.template.count);
  const limited = out.slice(0, options.limit ?? 50);
  limited.forEach((f, i) => {
    f.rank = i + 1;
  });
  return limited;
}
