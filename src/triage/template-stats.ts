// Running statistics of one template (or one variant of it): counts, worst level, signatures,
// first/last seen, per-minute counts and a few exemplar events. Mergeable, so that variants the
// miner later finds to be one template can be added together.
import { LEVEL_RANK, type Level } from './log-level.ts';
import type { LogEvent } from './multiline.ts';
import type { Signature } from './severity.ts';
import { detach } from './detach.ts';

/** A copy of an event that holds no slice of the caller's text (see detach.ts). */
function keep(ev: LogEvent): LogEvent {
  const out: LogEvent = { text: detach(ev.text), rest: ev.rest ? detach(ev.rest) : '', lines: ev.lines };
  if (ev.ts !== undefined) out.ts = detach(ev.ts);
  if (ev.exception !== undefined) out.exception = detach(ev.exception);
  return out;
}

export interface TemplateStats {
  count: number;
  level: Level;
  signatures: Set<Signature>;
  firstSeen?: string;
  lastSeen?: string;
  /** 1-based numbers of the first and last events, for lines without times. */
  firstEvent: number;
  lastEvent: number;
  /** Events per minute, keyed by "YYYY-MM-DDTHH:MM" (only for events with ISO-like times). */
  perMinute: Map<string, number>;
  /** Up to three events: the first, the first of the worst level, the latest. Raw: redact on output. */
  exemplars: LogEvent[];
  latest?: LogEvent;
  /** Masked tokens of the first event; the miner's variant of the template is computed from it. */
  tokens: string[];
  /** Level guessed from the first event's text, for later events whose logger gave none. */
  guessed?: Level;
  /** Level that the template's own signatures raise every event to. */
  floor: Level;
}

export function newStats(tokens: string[], level: Level, eventNo: number): TemplateStats {
  return { count: 0, level, signatures: new Set(), firstEvent: eventNo, lastEvent: eventNo, perMinute: new Map(), exemplars: [], tokens: tokens.map(detach), floor: 'trace' };
}

/** "2024-05-01T10:22:33.123Z" or "2024-05-01 10:22:33" -> "2024-05-01T10:22"; otherwise undefined. */
export function minuteOf(ts: string | undefined): string | undefined {
  if (!ts || ts.length < 16 || ts.charCodeAt(4) !== 45 || ts.charCodeAt(13) !== 58) return undefined;
  return ts.charCodeAt(10) === 84 ? ts.slice(0, 16) : ts.slice(0, 10) + 'T' + ts.slice(11, 16);
}

export function recordEvent(
  s: TemplateStats,
  ev: LogEvent,
  eventNo: number,
  level: Level,
  signatures: readonly Signature[],
  maxMinutes: number,
): void {
  s.count++;
  s.lastEvent = eventNo;
  for (const sig of signatures) s.signatures.add(sig);
  const worse = LEVEL_RANK[level] > LEVEL_RANK[s.level];
  if (worse) s.level = level;
  if (ev.ts !== undefined) {
    if (s.firstSeen === undefined || ev.ts < s.firstSeen) s.firstSeen = detach(ev.ts);
    if (s.lastSeen === undefined || ev.ts > s.lastSeen) s.lastSeen = detach(ev.ts);
    const minute = minuteOf(ev.ts);
    if (minute !== undefined) {
      const m = s.perMinute.get(minute);
      if (m !== undefined) s.perMinute.set(minute, m + 1);
      else if (s.perMinute.size < maxMinutes) s.perMinute.set(detach(minute), 1);
    }
  }
  if (s.exemplars.length === 0 || (worse && s.exemplars.length < 2)) s.exemplars.push(keep(ev));
  else s.latest = keep(ev);
}

export function mergeStats(into: TemplateStats, from: TemplateStats, maxMinutes: number): void {
  into.count += from.count;
  if (LEVEL_RANK[from.level] > LEVEL_RANK[into.level]) into.level = from.level;
  for (const sig of from.signatures) into.signatures.add(sig);
  if (from.firstSeen !== undefined && (into.firstSeen === undefined || from.firstSeen < into.firstSeen)) into.firstSeen = from.firstSeen;
  if (from.lastSeen !== undefined && (into.lastSeen === undefined || from.lastSeen > into.lastSeen)) into.lastSeen = from.lastSeen;
  into.firstEvent = Math.min(into.firstEvent, from.firstEvent);
  if (from.lastEvent > into.lastEvent) {
    into.lastEvent = from.lastEvent;
    if (from.latest) into.latest = from.latest;
  }
  for (const [k, v] of from.perMinute) {
    const m = into.perMinute.get(k);
    if (m !== undefined) into.perMinute.set(k, m + v);
    else if (into.perMinute.size < maxMinutes) into.perMinute.set(k, v);
  }
  for (const ex of from.exemplars) if (into.exemplars.length < 2) into.exemplars.push(ex);
}

/** The exemplars to show: up to three distinct events, oldest first. */
export function exemplarEvents(s: TemplateStats): LogEvent[] {
  const out = [...s.exemplars];
  if (s.latest && !out.includes(s.latest)) out.push(s.latest);
  return out.slice(0, 3);
}
