// Follows Docker's live event stream through the gateway: keeps a bounded history per container and
// turns OOM kills, non-zero exits, crash loops and unhealthy states into signals within seconds. After
// the stream breaks (dockerd restarted, socket gone) it reconnects with `since` = the last event seen,
// so nothing in between is lost; events seen twice across the seam are dropped.
import type { Clock } from '../clock.ts';
import type { DockerGateway } from '../docker/gateway.ts';
import type { DockerHostEvent } from '../docker/host-events.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import type { WatchSignal } from './notify-signals.ts';

export interface WatchOptions {
  /** Events kept per container. */
  historySize: number;
  /** Containers kept; the least recently active is dropped first. */
  maxContainers: number;
  /** This many exits within crashLoopWindowMs is a crash loop. */
  crashLoopExits: number;
  crashLoopWindowMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

export const DEFAULT_WATCH_OPTIONS: WatchOptions = {
  historySize: 50,
  maxContainers: 500,
  crashLoopExits: 3,
  crashLoopWindowMs: 10 * 60_000,
  reconnectMinMs: 500,
  reconnectMaxMs: 10_000,
};

export interface WatchDeps {
  docker: DockerGateway;
  clock: Clock;
  logger: Logger;
  onSignal: (s: WatchSignal) => Promise<unknown>;
}

interface ContainerTrack {
  name: string;
  compose_project: string | null;
  labels: Record<string, string>;
  events: DockerHostEvent[];
  unhealthySince: string | null;
}

/** A die right after one of these is an operator's stop or kill (or an OOM, announced as such). */
const STOPPED_BY = new Set(['kill', 'stop', 'oom']);
const STOP_SEAM_MS = 30_000;

const nanoMs = (nano: string) => Number(nano.slice(0, -6) || '0');

export class ContainerWatch {
  private readonly tracks = new Map<string, ContainerTrack>();
  private readonly options: WatchOptions;
  private controller: AbortController | null = null;
  private done: Promise<void> = Promise.resolve();
  private lastNano: string | null = null;
  private readonly seamKeys = new Set<string>();
  /** Connections made (1 + reconnects); for tests and /metrics. */
  connections = 0;
  private pending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: WatchDeps,
    options: Partial<WatchOptions> = {},
  ) {
    this.options = { ...DEFAULT_WATCH_OPTIONS, ...options };
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    this.lastNano ??= `${this.deps.clock.now().getTime()}000000`;
    this.done = this.loop(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.done;
    await Promise.all(this.pending);
    this.controller = null;
  }

  /** A container's recent events, oldest first (by name or id). */
  history(ref: string): DockerHostEvent[] {
    const direct = this.tracks.get(ref);
    if (direct) return [...direct.events];
    for (const [id, t] of this.tracks) if (t.name === ref || id.startsWith(ref)) return [...t.events];
    return [];
  }

  get containersTracked(): number {
    return this.tracks.size;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let wait = this.options.reconnectMinMs;
    while (!signal.aborted) {
      try {
        this.connections++;
        for await (const e of this.deps.docker.followEvents({ since: this.lastNano ?? undefined, signal })) {
          wait = this.options.reconnectMinMs;
          this.accept(e);
        }
      } catch (err) {
        if (signal.aborted) break;
        this.deps.logger.warn('docker event stream broke; reconnecting', { wait_ms: wait, ...errorFields(err) });
      }
      if (signal.aborted) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
      wait = Math.min(this.options.reconnectMaxMs, wait * 2);
    }
  }

  /** Takes one event (exported for unit tests through `feed`). */
  feed(e: DockerHostEvent): void {
    this.accept(e);
  }

  private accept(e: DockerHostEvent): void {
    const key = `${e.container_id}|${e.time_nano}|${e.action}`;
    // `since` is inclusive: the events of the last moment seen arrive again after a reconnect
    if (this.lastNano !== null && BigInt(e.time_nano) < BigInt(this.lastNano)) return;
    if (this.seamKeys.has(key)) return;
    if (this.lastNano === null || BigInt(e.time_nano) > BigInt(this.lastNano)) {
      this.lastNano = e.time_nano;
      this.seamKeys.clear();
    }
    this.seamKeys.add(key);

    const track = this.trackOf(e);
    const before = track.events.slice();
    track.events.push(e);
    if (track.events.length > this.options.historySize)
      track.events.splice(0, track.events.length - this.options.historySize);
    if (e.action === 'destroy') {
      this.tracks.delete(e.container_id);
      return;
    }
    for (const s of this.classify(e, track, before)) this.emit(s);
  }

  private trackOf(e: DockerHostEvent): ContainerTrack {
    let t = this.tracks.get(e.container_id);
    if (t) {
      // most recently active last: Map order is insertion order
      this.tracks.delete(e.container_id);
    } else {
      t = { name: e.name, compose_project: e.compose_project, labels: e.labels, events: [], unhealthySince: null };
      if (this.tracks.size >= this.options.maxContainers) {
        const oldest = this.tracks.keys().next().value;
        if (oldest !== undefined) this.tracks.delete(oldest);
      }
    }
    t.name = e.name;
    this.tracks.set(e.container_id, t);
    return t;
  }

  private classify(e: DockerHostEvent, t: ContainerTrack, before: DockerHostEvent[]): WatchSignal[] {
    const container = { name: t.name, id: e.container_id, compose_project: t.compose_project, labels: t.labels };
    const at = new Date(nanoMs(e.time_nano));
    const base = { container, first_seen: at, run_id: null };
    if (e.action === 'oom') {
      return [
        {
          ...base,
          event: 'oom_killed',
          severity: 'critical',
          incident_key: `oom:${t.name}:${e.time_nano}`,
          title: `${t.name}: killed out of memory`,
          line: `${t.name}: OOM killed at ${e.at.slice(11, 19)}`,
          count: 1,
        },
      ];
    }
    if (e.action === 'health_status: healthy') t.unhealthySince = null;
    if (e.action === 'health_status: unhealthy') {
      if (t.unhealthySince) return [];
      t.unhealthySince = e.time_nano;
      return [
        {
          ...base,
          event: 'unhealthy',
          severity: 'error',
          incident_key: `unhealthy:${t.name}:${e.time_nano}`,
          title: `${t.name}: unhealthy`,
          line: `${t.name}: health check failing since ${e.at.slice(11, 19)}`,
          count: 1,
        },
      ];
    }
    if (e.action !== 'die' || !e.exit_code) return [];
    const ms = nanoMs(e.time_nano);
    const exits = [...before, e].filter(
      (x) => x.action === 'die' && x.exit_code && ms - nanoMs(x.time_nano) <= this.options.crashLoopWindowMs,
    ).length;
    if (exits >= this.options.crashLoopExits) {
      return [
        {
          ...base,
          event: 'crash_loop',
          severity: 'critical',
          incident_key: `crash_loop:${t.name}`,
          title: `${t.name}: crash loop`,
          line: `${t.name}: crash loop, ${exits} exits in ${Math.round(this.options.crashLoopWindowMs / 60_000)} min (last code ${e.exit_code})`,
          count: exits,
        },
      ];
    }
    const stopped = before.some(
      (x) => STOPPED_BY.has(x.action) && ms - nanoMs(x.time_nano) <= STOP_SEAM_MS && x.time_nano <= e.time_nano,
    );
    if (stopped) return [];
    return [
      {
        ...base,
        event: 'container_died',
        severity: 'error',
        incident_key: `died:${t.name}:${e.time_nano}`,
        title: `${t.name}: exited with code ${e.exit_code}`,
        line: `${t.name}: exited with code ${e.exit_code} at ${e.at.slice(11, 19)}`,
        count: 1,
      },
    ];
  }

  private emit(s: WatchSignal): void {
    const p = this.deps
      .onSignal(s)
      .catch((err) =>
        this.deps.logger.warn('a container signal could not be recorded', { event: s.event, ...errorFields(err) }),
      );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
