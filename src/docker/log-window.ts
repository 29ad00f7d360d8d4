// Log windows with exact bounds. Docker timestamps have nanoseconds; a JS Date has milliseconds. Bounds
// are normalised to Docker's fixed-width form (2026-01-01T12:00:00.123456789Z) so they compare with a
// line's ts as strings, at full precision. The window is half-open: since <= ts < until, so
// consecutive windows never count a line twice.

/** A Date, or an RFC 3339 string with up to 9 fractional digits (e.g. a line's own ts). */
export type LogTime = Date | string;

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i;

export class InvalidLogTimeError extends Error {
  override name = 'InvalidLogTimeError';
}

interface Instant {
  /** Whole seconds since the epoch. */
  seconds: number;
  /** Nanoseconds within the second, 9 digits. */
  nanos: string;
}

function instant(t: LogTime): Instant {
  if (t instanceof Date) {
    const ms = t.getTime();
    if (Number.isNaN(ms)) throw new InvalidLogTimeError('invalid date');
    const seconds = Math.floor(ms / 1000);
    return { seconds, nanos: String((ms - seconds * 1000) * 1_000_000).padStart(9, '0') };
  }
  const m = RFC3339.exec(t.trim());
  const base = m ? Date.parse(`${m[1]}${m[3]!.toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(base))
    throw new InvalidLogTimeError('expected an RFC 3339 time such as 2026-01-01T12:00:00.5Z');
  return { seconds: base / 1000, nanos: (m[2] ?? '').padEnd(9, '0') };
}

/** Docker's fixed-width UTC form, as its log timestamps are written. */
export function dockerTimestamp(t: LogTime): string {
  const { seconds, nanos } = instant(t);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** The API's since/until parameter: "<seconds>.<nanoseconds>". */
export function dockerApiTime(t: LogTime): string {
  const { seconds, nanos } = instant(t);
  return `${seconds}.${nanos}`;
}

/** A line's ts in the fixed-width UTC form (Docker already writes it so; other forms are converted). */
export function normaliseTs(ts: string): string {
  return ts.length === 30 && ts.charCodeAt(29) === 90 /* Z */ ? ts : RFC3339.test(ts) ? dockerTimestamp(ts) : ts;
}

export interface LogWindow {
  since?: LogTime;
  until?: LogTime;
}

/** Returns a test for "ts is inside the window", with bounds computed once. */
export function windowFilter(w: LogWindow): ((ts: string) => boolean) | null {
  const since = w.since === undefined ? null : dockerTimestamp(w.since);
  const until = w.until === undefined ? null : dockerTimestamp(w.until);
  if (since === null && until === null) return null;
  return (ts) => {
    const t = normaliseTs(ts);
    return (since === null || t >= since) && (until === null || t < until);
  };
}
