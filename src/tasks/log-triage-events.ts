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

export function eventsInWindow(
  state: InventoryContainer,
  previous: PreviousState | undefined,
  since: Date,
  until: Date,
): ContainerEvent[] {
  const out: ContainerEvent[] = [];
  const started = state.started_at ? Date.parse(state.started_at) : NaN;
  const created = Date.parse(state.created);
  if (!Number.isNaN(started) && inWindow(started, since, until)) {
    const knownStart = previous?.started_at?.getTime();
    const restarted = knownStart !== undefined ? started !== knownStart : started - created > FIRST_START_SLACK_MS;
    if (restarted)
      out.push({
        kind: 'restart',
        at: new Date(started).toISOString(),
        exit_code: null,
        restart_count: state.restart_count,
      });
  }
  const finished = state.finished_at ? Date.parse(state.finished_at) : NaN;
  if (state.state !== 'running' && !Number.isNaN(finished) && inWindow(finished, since, until)) {
    const kind: ContainerEventKind = state.oom_killed ? 'oom_kill' : 'exit';
    out.push({
      kind,
      at: new Date(finished).toISOString(),
      exit_code: state.exit_code,
      restart_count: state.restart_count,
    });
  }
  // restarts by the restart policy that left no start time in the window still show in the count
  const more = previous?.restart_count != null ? state.restart_count - previous.restart_count : 0;
  if (more > 0 && !out.some((e) => e.kind === 'restart')) {
    out.push({
      kind: 'restart',
      at: state.started_at ?? until.toISOString(),
      exit_code: null,
      restart_count: state.restart_count,
    });
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

/** The daemon's lifecycle events of a container, as the gateway gives them. */
export interface LifecycleEvent {
  action: string;
  at: string;
  exit_code: number | null;
}

/** Most entries a window lists per container (a crash loop of hours would list thousands). */
export const MAX_EVENTS = 200;

/** A container created this shortly before a window has its events read from its creation on. */
export const YOUNG_CONTAINER_MS = 60_000;

/**
 * Where to read a container's lifecycle events from: the window's start, or the container's creation
 * when that is just before it (only its very first start is not a restart, and it may lie before the
 * window while later ones fall inside).
 */
export function lifecycleSince(state: InventoryContainer, since: Date): Date {
  const created = Date.parse(state.created);
  return created < since.getTime() && created >= since.getTime() - YOUNG_CONTAINER_MS ? new Date(created) : since;
}

/**
 * One entry per restart, exit or OOM kill in the window, from the daemon's events (read from
 * lifecycleSince): a "die" is an exit (an OOM kill when an "oom" came just before it), and every
 * "start" but the container's first is a restart. Events before the window only tell whether the
 * container had started already. Restart counts on the entries run up to the container's RestartCount
 * at the end of the window.
 */
export function eventsFromLifecycle(
  list: LifecycleEvent[],
  state: InventoryContainer,
  since: Date,
): { events: ContainerEvent[]; restarts: number } {
  const out: ContainerEvent[] = [];
  // a container created long before the window started long ago; a young one's events are read from
  // its creation, so its first start is among them
  let started = Date.parse(state.created) < since.getTime() - YOUNG_CONTAINER_MS;
  let oomPending = false;
  let restarts = 0;
  for (const e of list) {
    const inWindow = Date.parse(e.at) >= since.getTime();
    if (e.action === 'oom') {
      oomPending = true;
    } else if (e.action === 'die') {
      if (inWindow)
        out.push({ kind: oomPending ? 'oom_kill' : 'exit', at: e.at, exit_code: e.exit_code, restart_count: 0 });
      oomPending = false;
      started = true;
    } else if (e.action === 'start') {
      if (started && inWindow) {
        restarts++;
        out.push({ kind: 'restart', at: e.at, exit_code: null, restart_count: 0 });
      }
      started = true;
      oomPending = false;
    }
  }
  // number the restarts backwards from the count the daemon holds now
  let n = state.restart_count;
  for (let i = out.length - 1; i >= 0; i--) {
    out[i]!.restart_count = Math.max(0, n);
    if (out[i]!.kind === 'restart') n--;
  }
  return { events: out.length > MAX_EVENTS ? out.slice(out.length - MAX_EVENTS) : out, restarts };
}

/** Restarts that make a crash loop: in the window, or since the container was created. */
export const CRASH_LOOP_RESTARTS = 3;

export interface CrashLoop {
  /** Restarts in the window, and the container's total (Docker's RestartCount). */
  restarts: { window: number; total: number };
  state: string;
  /** The last exit code seen, when any. */
  exit_code: number | null;
}

/** A container that has run this long since its last start is no longer looping. */
export const SETTLED_AFTER_MS = 10 * 60_000;

/**
 * A crash loop: ≥ 3 restarts in the window or since creation, or Docker restarting it right now. An
 * old restart count of a container that has run quietly for SETTLED_AFTER_MS since is history.
 */
export function crashLoopOf(state: InventoryContainer, restartsInWindow: number, until: Date): CrashLoop | null {
  const restarting = state.state === 'restarting';
  if (!restarting && restartsInWindow < CRASH_LOOP_RESTARTS && state.restart_count < CRASH_LOOP_RESTARTS) return null;
  const started = state.started_at ? Date.parse(state.started_at) : NaN;
  const settled = state.state === 'running' && until.getTime() - started > SETTLED_AFTER_MS;
  if (!restarting && restartsInWindow === 0 && (settled || Number.isNaN(started))) return null;
  return {
    restarts: { window: restartsInWindow, total: state.restart_count },
    state: state.state,
    exit_code: state.exit_code,
  };
}
