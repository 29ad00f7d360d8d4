// Events per minute of one template, compact: minute numbers and counts in two typed arrays kept in
// time order. Log lines arrive nearly in order, so a count is almost always an append or an
// increment of the last slot; an out-of-order minute is placed by binary search. At most `max`
// distinct minutes are kept (later new minutes are dropped), so a template costs at most 12 bytes
// a minute however many lines it has.
import { detach } from './detach.ts';

/**
 * "2024-05-01T10:22:33.123Z" or "2024-05-01 10:22:33" -> minutes since 1970-01-01T00:00 (UTC, as
 * written); NaN when the text does not start with such a date and time.
 */
let memoPrefix = '';
let memoMinute = NaN;

export function minuteNumber(ts: string | undefined): number {
  // consecutive lines mostly share their minute: reuse the last answer when the first 16 match
  if (ts !== undefined && memoPrefix.length === 16 && ts.startsWith(memoPrefix)) return memoMinute;
  const m = readMinute(ts);
  if (!Number.isNaN(m)) {
    memoPrefix = detach(ts!.slice(0, 16));
    memoMinute = m;
  }
  return m;
}

function readMinute(ts: string | undefined): number {
  if (
    ts === undefined ||
    ts.length < 16 ||
    ts.charCodeAt(4) !== 45 ||
    ts.charCodeAt(7) !== 45 ||
    ts.charCodeAt(13) !== 58
  )
    return NaN;
  const sep = ts.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return NaN;
  const y = digits(ts, 0, 4);
  const mo = digits(ts, 5, 2);
  const d = digits(ts, 8, 2);
  const h = digits(ts, 11, 2);
  const mi = digits(ts, 14, 2);
  if (!(y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59)) return NaN; // NaN fails too
  return daysFromCivil(y, mo, d) * 1440 + h * 60 + mi;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// keys already written, shared by every template that counted that minute
const KEYS = new Map<number, string>();

/** Minute number -> "YYYY-MM-DDTHH:MM". */
export function minuteKey(minute: number): string {
  let key = KEYS.get(minute);
  if (key === undefined) {
    if (KEYS.size >= 100_000) KEYS.clear();
    KEYS.set(minute, (key = new Date(minute * 60_000).toISOString().slice(0, 16)));
  }
  return key;
}

export class MinuteCounts {
  private minutes = new Float64Array(8);
  private counts = new Uint32Array(8);
  size = 0;

  constructor(private readonly max: number) {}

  add(minute: number, n = 1): void {
    const size = this.size;
    const last = size > 0 ? this.minutes[size - 1]! : -Infinity;
    if (minute === last) {
      this.counts[size - 1]! += n;
      return;
    }
    if (minute > last) {
      this.insert(size, minute, n);
      return;
    }
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.minutes[mid]! < minute) lo = mid + 1;
      else hi = mid;
    }
    if (this.minutes[lo] === minute) this.counts[lo]! += n;
    else this.insert(lo, minute, n);
  }

  private insert(at: number, minute: number, n: number): void {
    if (this.size >= this.max) return;
    if (this.size === this.minutes.length) {
      const cap = Math.min(this.max, this.size * 2);
      const m = new Float64Array(cap);
      const c = new Uint32Array(cap);
      m.set(this.minutes);
      c.set(this.counts);
      this.minutes = m;
      this.counts = c;
    }
    if (at < this.size) {
      this.minutes.copyWithin(at + 1, at, this.size);
      this.counts.copyWithin(at + 1, at, this.size);
    }
    this.minutes[at] = minute;
    this.counts[at] = n;
    this.size++;
  }

  /** The i-th minute (oldest first) as minutes since the epoch, and its count. */
  minuteAt(i: number): number {
    return this.minutes[i]!;
  }

  countAt(i: number): number {
    return this.counts[i]!;
  }

  /** Adds another template's counts (within this one's cap). */
  addAll(other: MinuteCounts): void {
    for (let i = 0; i < other.size; i++) this.add(other.minutes[i]!, other.counts[i]!);
  }

  /** [minute key, count] pairs, oldest first. */
  entries(): [string, number][] {
    const out: [string, number][] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = [minuteKey(this.minutes[i]!), this.counts[i]!];
    return out;
  }
}
