// Run-to-run memory, the pure part: given what this window saw and what earlier windows remembered
// (by fingerprint only), classify each template `new` or `recurring`, find the error templates that
// went away (`resolved`), and the rate spikes (this window's rate far above the earlier rate).
import { LEVEL_RANK, type Level } from './log-level.ts';

export type TemplateStatus = 'new' | 'recurring';

/** What memory keeps of a template: a fingerprint and numbers. */
export interface RememberedTemplate {
  fingerprint: string;
  level: string;
  total_count: number;
  last_count: number;
  /** Seconds of windows observed since it was first seen. */
  observed_seconds: number;
  runs_seen: number;
}

export interface SeenNow {
  fingerprint: string;
  level: Level;
  count: number;
}

export interface Spike {
  fingerprint: string;
  count: number;
  perHour: number;
  earlierPerHour: number;
  /** perHour / earlierPerHour. */
  factor: number;
}

export interface MemoryVerdict {
  status: Map<string, TemplateStatus>;
  /** Error templates the previous window saw that this one did not. */
  resolved: RememberedTemplate[];
  spikes: Map<string, Spike>;
}

export interface SpikeRule {
  /** Fewest events in this window to call it a spike (a handful is noise). */
  minCount: number;
  /** How many times the earlier rate this window's rate must reach. */
  factor: number;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = { minCount: 10, factor: 5 };

const isError = (level: string) => (LEVEL_RANK[level as Level] ?? 0) >= LEVEL_RANK.error;

export function judgeAgainstMemory(
  now: SeenNow[],
  known: RememberedTemplate[],
  previousWindow: RememberedTemplate[],
  windowSeconds: number,
  rule: SpikeRule = DEFAULT_SPIKE_RULE,
): MemoryVerdict {
  const byFp = new Map(known.map((k) => [k.fingerprint, k]));
  const present = new Set(now.map((t) => t.fingerprint));
  const status = new Map<string, TemplateStatus>();
  const spikes = new Map<string, Spike>();
  for (const t of now) {
    const k = byFp.get(t.fingerprint);
    status.set(t.fingerprint, k ? 'recurring' : 'new');
    if (!k || k.observed_seconds <= 0 || windowSeconds <= 0 || t.count < rule.minCount) continue;
    const perHour = (t.count / windowSeconds) * 3600;
    const earlierPerHour = (k.total_count / k.observed_seconds) * 3600;
    if (perHour >= rule.factor * earlierPerHour) {
      spikes.set(t.fingerprint, { fingerprint: t.fingerprint, count: t.count, perHour, earlierPerHour, factor: perHour / earlierPerHour });
    }
  }
  const resolved = previousWindow.filter((p) => isError(p.level) && !present.has(p.fingerprint));
  return { status, resolved, spikes };
}

/** The worse of two levels (memory keeps a template's worst). */
export function worseLevel(a: string, b: string): string {
  return (LEVEL_RANK[a as Level] ?? 0) >= (LEVEL_RANK[b as Level] ?? 0) ? a : b;
}
