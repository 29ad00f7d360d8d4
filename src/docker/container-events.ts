// A container's lifecycle events from the daemon's event log (GET /events with since/until): starts,
// deaths with their exit codes, OOM kills, health changes. Plain data; the log triage turns them into
// restarts, exits and crash loops. Only the action, the time and the exit code are kept: the
// event's attributes also carry labels and image names, which are not needed here.

export interface DockerLifecycleEvent {
  /** "start", "die", "oom", "restart", "kill", "stop", "health_status: unhealthy", ... */
  action: string;
  /** Nanoseconds since the epoch, as a decimal string (exact; a number would round them). */
  time_nano: string;
  /** ISO time, milliseconds. */
  at: string;
  /** For "die": the exit code. */
  exit_code: number | null;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  time?: number;
  timeNano?: number | string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Parses the daemon's newline-separated JSON events, keeping those of one container. */
export function parseLifecycleEvents(text: string, containerId: string): DockerLifecycleEvent[] {
  const out: DockerLifecycleEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: RawEvent;
    try {
      e = JSON.parse(line) as RawEvent;
    } catch {
      continue;
    }
    if (e.Type !== undefined && e.Type !== 'container') continue;
    if (e.Actor?.ID !== undefined && e.Actor.ID !== containerId) continue;
    const action = e.Action ?? e.status;
    if (typeof action !== 'string') continue;
    // timeNano arrives as a JSON number past 2^53: its digits are read again from the text below
    const nano = /"timeNano":(\d+)/.exec(line)?.[1] ?? String(e.timeNano ?? (e.time ?? 0) * 1e9);
    const ms = Number(nano.slice(0, -6) || '0');
    const code = e.Actor?.Attributes?.exitCode;
    out.push({
      action,
      time_nano: nano,
      at: new Date(ms).toISOString(),
      exit_code: code !== undefined && /^-?\d+$/.test(code) ? Number(code) : null,
    });
  }
  return out.sort((a, b) =>
    BigInt(a.time_nano) < BigInt(b.time_nano) ? -1 : BigInt(a.time_nano) > BigInt(b.time_nano) ? 1 : 0,
  );
}

/**
 * Unix seconds and nine digits of nanoseconds, as the events API reads since/until ("s.nnnnnnnnn": the
 * digits after the point are read as a count of nanoseconds, so "s.123" would mean 123 ns).
 */
export function eventsApiTime(d: Date): string {
  const ms = d.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}
