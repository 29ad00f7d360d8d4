// The in-process event bus: status changes, artifacts, snapshots. Subscribers (SSE, MCP notifications,
// the runner) get every event in publish order. With a PostgreSQL server the runner also relays events
// through LISTEN/NOTIFY so several instances see each other's changes.

export interface AppEvent {
  /** Monotonic within this process; SSE uses it as the event id. */
  id: number;
  type: string;
  at: string;
  data: Record<string, unknown>;
  /** Set when the event came from another instance (through the database); such events are not relayed again. */
  origin?: string;
}

export type EventListener = (event: AppEvent) => void;

/** How many recent events are kept so an SSE client can resume with Last-Event-ID. */
const REPLAY_SIZE = 1000;

export class EventBus {
  private listeners = new Set<EventListener>();
  private readonly recentEvents: AppEvent[] = [];
  // Ids start from the boot time in microseconds, so an id from before a restart is never reused.
  private nextId: number;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.nextId = Date.now() * 1000;
  }

  publish(type: string, data: Record<string, unknown>, origin?: string): AppEvent {
    const event: AppEvent = { id: this.nextId++, type, at: this.now().toISOString(), data };
    if (origin !== undefined) event.origin = origin;
    this.recentEvents.push(event);
    if (this.recentEvents.length > REPLAY_SIZE) this.recentEvents.shift();
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a failing subscriber must not break the publisher or the others
      }
    }
    return event;
  }

  /**
   * Events after the given id, oldest first; `complete` is false when some were already dropped from
   * the replay buffer (the client should reload its state).
   */
  since(lastId: number): { events: AppEvent[]; complete: boolean } {
    const events = this.recentEvents.filter((e) => e.id > lastId);
    const oldestKept = this.recentEvents[0]?.id ?? this.nextId;
    return { events, complete: lastId >= oldestKept - 1 };
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
