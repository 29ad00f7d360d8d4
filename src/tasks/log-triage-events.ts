// Container events inside a triage window (restart, exit, OOM kill), read from the container's state
// at the end of the window and the state the previous window recorded; and which event a template's
// first occurrence followed, so a report can put "restarted at 03:12" next to the errors after it.
import type { InventoryContainer } from '../docker/types.ts';

export type ContainerEventKind = 'restart' | 'exit' | 'oom_kill';

export interface ContainerEvent {
  kind: ContainerEventKind;
  /** ISO time of the event. */
  at: string;
  exit_code: number | null;
  restart_count: number;
}

/** What the previous window recorded of the container's state. */
export interface PreviousState {
  restart_count: number | null;
  started_at: Date | null;
}

const inWindow = (t: number, since: Date, until: Date) => t >= since.getTime() && t < until.getTime();

/** A start this long after creation is a restart, not the first start. */
const FIRST_START_SLACK_MS = 2000;

export function eventsInWindow(state: InventoryContainer, previous: PreviousState | undefined, since: Date, until: Date): ContainerEvent[] {
  const out: ContainerEvent[] = [];
  const started = state.started_at ? Date.parse(state.started_at) : NaN;
  const created = Date.parse(state.created);
  if (!Number.isNaN(started) && inWindow(started, since, until)) {
    const knownStart = previous?.started_at?.getTime();
    const restarted = knownStart !== undefined ? started !== knownStart : started - created > FIRST_START_SLACK_MS;
    if (restarted) out.push({ kind: 'restart', at: new Date(started).toISOString(), exit_code: null, restart_count: state.restart_count });
  }
  const finished = state.finished_at ? Date.parse(state.finished_at) : NaN;
  if (state.state !== 'running' && !Number.isNaN(finished) && inWindow(finished, since, until)) {
    const kind: ContainerEventKind = state.oom_killed ? 'oom_kill' : 'exit';
    out.push({ kind, at: new Date(finished).toISOString(), exit_code: state.exit_code, restart_count: state.restart_count });
  }
  // restarts by the restart policy that left no start time in the window still show in the count
  const more = previous?.restart_count != null ? state.restart_count - previous.restart_count : 0;
  if (more > 0 && !out.some((e) => e.kind === 'restart')) {
    out.push({ kind: 'restart', at: state.started_at ?? until.toISOString(), exit_code: null, restart_count: state.restart_count });
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** How long after an event a template's first occurrence still counts as following it. */
export const FOLLOWS_WITHIN_MS = 15 * 60_000;

/** The latest event at or before `firstSeen` (a log line's RFC 3339 time), within FOLLOWS_WITHIN_MS. */
export function eventBefore(firstSeen: string | undefined, events: ContainerEvent[]): ContainerEvent | undefined {
  if (!firstSeen || events.length === 0) return undefined;
  const t = Date.parse(firstSeen);
  if (Number.isNaN(t)) return undefined;
  let found: ContainerEvent | undefined;
  for (const e of events) {
    const at = Date.parse(e.at);
    // event times have milliseconds; a line logged in the same millisecond counts as after it
    if (at <= t && t - at <= FOLLOWS_WITHIN_MS) found = e;
  }
  return found;
}
