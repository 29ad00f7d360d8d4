// The daemon's live container events (GET /events, followed): metadata only — container id and name,
// compose project, action, time and exit code. Labels other than the compose project, image names and
// the rest of the attributes are dropped here.

export interface DockerHostEvent {
  container_id: string;
  /** The container's name without the leading slash. */
  name: string;
  /** com.docker.compose.project, when set. */
  compose_project: string | null;
  /** "start", "die", "oom", "restart", "kill", "stop", "create", "destroy", "health_status: unhealthy", ... */
  action: string;
  /** Nanoseconds since the epoch, as a decimal string (exact). */
  time_nano: string;
  at: string;
  exit_code: number | null;
  /** For "kill": the signal number. */
  signal: number | null;
  /** The container's labels (the event's attributes less its own fields). */
  labels: Record<string, string>;
}

const OWN_FIELDS = new Set(['name', 'image', 'exitCode', 'signal', 'execID', 'container', 'execDuration']);

/** The actions the follower keeps; exec_* and attach/resize noise is dropped. */
const KEPT = /^(create|start|restart|die|oom|kill|stop|pause|unpause|destroy|rename|health_status(: .+)?)$/;

/** Splits a followed byte stream into complete lines, across chunk borders. */
export class EventLineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) this.onLine(l);
    // a runaway line without a newline is not kept forever
    if (this.rest.length > 1 << 20) this.rest = '';
  }
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** One event line of the daemon, or null for anything not a kept container event. */
export function parseHostEvent(line: string): DockerHostEvent | null {
  let e: RawEvent;
  try {
    e = JSON.parse(line) as RawEvent;
  } catch {
    return null;
  }
  if (e.Type !== undefined && e.Type !== 'container') return null;
  const action = e.Action ?? e.status;
  const id = e.Actor?.ID;
  if (typeof action !== 'string' || typeof id !== 'string' || !KEPT.test(action)) return null;
  const attrs = e.Actor?.Attributes ?? {};
  const nano = /"timeNano":(\d+)/.exec(line)?.[1] ?? String((e.time ?? 0) * 1e9);
  const ms = Number(nano.slice(0, -6) || '0');
  const int = (v: string | undefined) => (v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null);
  return {
    container_id: id,
    name: (attrs.name ?? id.slice(0, 12)).replace(/^\//, ''),
    compose_project: attrs['com.docker.compose.project'] ?? null,
    action,
    time_nano: nano,
    at: new Date(ms).toISOString(),
    exit_code: action === 'die' ? int(attrs.exitCode) : null,
    signal: action === 'kill' ? int(attrs.signal) : null,
    labels: Object.fromEntries(Object.entries(attrs).filter(([k]) => !OWN_FIELDS.has(k))),
  };
}
