// Run-to-run memory, the pure part: given what this window saw and what earlier windows remembered
// (by fingerprint only), classify each template `new` or `recurring`, find the error templates that
// went away (`resolved`), and the rate spikes (this window's rate far above the earlier rate, with
// evidence: a count floor, a practical factor, and a significance test on both counts, see
// rate-test.ts). Seconds are the time a pattern could have been seen: the caller never counts the
// lookback before a container existed.
import { LEVEL_RANK, type Level } from './log-level.ts';
import { rateIncreasePValue } from './rate-test.ts';

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
  /** Chance of a rate this high if the pattern had kept its earlier rate. */
  pValue: number;
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
  /** Largest p-value (see rate-test.ts) that still counts as a spike. */
  maxPValue: number;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = { minCount: 10, factor: 3, maxPValue: 0.001 };

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
    if (perHour < rule.factor * earlierPerHour) continue;
    const pValue = rateIncreasePValue({
      count: t.count,
      seconds: windowSeconds,
      earlierCount: k.total_count,
      earlierSeconds: k.observed_seconds,
    });
    if (pValue <= rule.maxPValue) {
      spikes.set(t.fingerprint, {
        fingerprint: t.fingerprint,
        count: t.count,
        perHour,
        earlierPerHour,
        factor: earlierPerHour > 0 ? perHour / earlierPerHour : Infinity,
        pValue,
      });
    }
  }
  const resolved = previousWindow.filter((p) => isError(p.level) && !present.has(p.fingerprint));
  return { status, resolved, spikes };
}

/** The worse of two levels (memory keeps a template's worst). */
export function worseLevel(a: string, b: string): string {
  return (LEVEL_RANK[a as Level] ?? 0) >= (LEVEL_RANK[b as Level] ?? 0) ? a : b;
}

/**
 * Seconds of [since, until) in which a container could have logged: never before it was created
 * (a first window's lookback of a day over a two-minute-old container is two minutes).
 */
export function observableSeconds(since: Date, until: Date, createdAt: Date | null): number {
  const from = createdAt && createdAt.getTime() > since.getTime() ? createdAt.getTime() : since.getTime();
  return Math.max(0, (until.getTime() - from) / 1000);
}
