// Running statistics of one template (or one variant of it): counts, worst level, signatures,
// first/last seen, per-minute counts and a few exemplar events. Mergeable, so that variants the
// miner later finds to be one template can be added together.
// Per event nothing is allocated: the latest exemplar and the last-seen time are written into
// reusable character slots (see char-slot.ts), the minute into compact counters.
import { LEVEL_RANK, type Level } from './log-level.ts';
import type { LogEvent } from './multiline.ts';
import type { Signature } from './severity.ts';
import { CharSlot } from './char-slot.ts';
import { detach } from './detach.ts';
import { MinuteCounts, minuteNumber } from './minute-counts.ts';

/** A copy of an event that holds no slice of the caller's text (see detach.ts). */
function keep(ev: LogEvent): LogEvent {
  const out: LogEvent = { text: detach(ev.text), rest: ev.rest ? detach(ev.rest) : '', lines: ev.lines };
  if (ev.ts !== undefined) out.ts = detach(ev.ts);
  if (ev.exception !== undefined) out.exception = detach(ev.exception);
  return out;
}

// longest time text compared for last-seen (RFC 3339 with nanoseconds is 30)
const MAX_TIME_CHARS = 256;

export interface StatsLimits {
  /** Most distinct minutes counted. */
  maxMinutes: number;
  /** Longest exemplar text kept, in characters. */
  maxExemplarChars: number;
}

export interface TemplateStats {
  count: number;
  level: Level;
  signatures: Set<Signature>;
  firstSeen?: string;
  /** The latest time seen (empty until an event with a time). */
  lastSeen: CharSlot;
  /** Minute number of lastSeen and its date/time separator, when it has one (NaN otherwise). */
  lastMinute: number;
  lastSep: number;
  /** 1-based numbers of the first and last events, for lines without times. */
  firstEvent: number;
  lastEvent: number;
  /** Events per minute (only for events with ISO-like times), at most maxMinutes of them. */
  perMinute: MinuteCounts;
  /** Up to two events: the first, the first of a worse level. Copies: raw, redact on output. */
  exemplars: LogEvent[];
  /** Text of the latest event that is not one of `exemplars` (first line, '\n', continuation). */
  latest?: CharSlot;
  /** Masked tokens of the first event; the miner's variant of the template is computed from it. */
  tokens: string[];
  /** Level guessed from the first event's text, for later events whose logger gave none. */
  guessed?: Level;
  /** Level that the template's own signatures raise every event to. */
  floor: Level;
  limits: StatsLimits;
}

export function newStats(
  tokens: string[],
  level: Level,
  eventNo: number,
  limits: StatsLimits = { maxMinutes: 1440, maxExemplarChars: 1000 },
): TemplateStats {
  return {
    count: 0,
    level,
    signatures: new Set(),
    lastSeen: new CharSlot(MAX_TIME_CHARS),
    lastMinute: NaN,
    lastSep: 0,
    firstEvent: eventNo,
    lastEvent: eventNo,
    perMinute: new MinuteCounts(limits.maxMinutes),
    exemplars: [],
    tokens: tokens.map(detach),
    floor: 'trace',
    limits,
  };
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
): void {
  s.count++;
  s.lastEvent = eventNo;
  for (let i = 0; i < signatures.length; i++) s.signatures.add(signatures[i]!);
  const worse = LEVEL_RANK[level] > LEVEL_RANK[s.level];
  if (worse) s.level = level;
  const ts = ev.ts;
  if (ts !== undefined) {
    if (s.firstSeen === undefined || ts < s.firstSeen) s.firstSeen = detach(ts);
    const minute = minuteNumber(ts);
    const sep = ts.charCodeAt(10);
    // Times of one shape ("YYYY-MM-DD?HH:MM", same separator) in different minutes compare as
    // their minutes do; only within a minute, or for other shapes, are the characters compared.
    if (s.lastSeen.length === 0) setLastSeen(s, ts, minute, sep);
    else if (!Number.isNaN(minute) && !Number.isNaN(s.lastMinute) && sep === s.lastSep && minute !== s.lastMinute) {
      if (minute > s.lastMinute) setLastSeen(s, ts, minute, sep);
    } else if (s.lastSeen.compare(ts) > 0) setLastSeen(s, ts, minute, sep);
    if (!Number.isNaN(minute)) s.perMinute.add(minute);
  }
  if (s.exemplars.length === 0 || (worse && s.exemplars.length < 2)) s.exemplars.push(keep(ev));
  else (s.latest ??= new CharSlot(s.limits.maxExemplarChars)).set(ev.text, ev.rest);
}

function setLastSeen(s: TemplateStats, ts: string, minute: number, sep: number): void {
  s.lastSeen.set(ts);
  s.lastMinute = minute;
  s.lastSep = sep;
}

/** The last-seen time, when an event had one. */
export function lastSeenOf(s: TemplateStats): string | undefined {
  return s.lastSeen.length ? s.lastSeen.toString() : undefined;
}

export function mergeStats(into: TemplateStats, from: TemplateStats): void {
  into.count += from.count;
  if (LEVEL_RANK[from.level] > LEVEL_RANK[into.level]) into.level = from.level;
  for (const sig of from.signatures) into.signatures.add(sig);
  if (from.firstSeen !== undefined && (into.firstSeen === undefined || from.firstSeen < into.firstSeen))
    into.firstSeen = from.firstSeen;
  const fromLast = lastSeenOf(from);
  if (fromLast !== undefined && (into.lastSeen.length === 0 || into.lastSeen.compare(fromLast) > 0)) {
    into.lastSeen = from.lastSeen;
    into.lastMinute = from.lastMinute;
    into.lastSep = from.lastSep;
  }
  into.firstEvent = Math.min(into.firstEvent, from.firstEvent);
  if (from.lastEvent > into.lastEvent) {
    into.lastEvent = from.lastEvent;
    if (from.latest) into.latest = from.latest;
  }
  into.perMinute.addAll(from.perMinute);
  for (const ex of from.exemplars) if (into.exemplars.length < 2) into.exemplars.push(ex);
}

/** The exemplar texts to show (first line, then the continuation): up to three, oldest first. */
export function exemplarTexts(s: TemplateStats): string[] {
  const max = s.limits.maxExemplarChars;
  const out = s.exemplars.map((ev) => (ev.rest ? `${ev.text}\n${ev.rest}` : ev.text).slice(0, max));
  if (s.latest) out.push(s.latest.toString());
  return out.slice(0, 3);
}
