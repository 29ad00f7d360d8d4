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

export class EventBus {
  private listeners = new Set<EventListener>();
  private nextId = 1;

  constructor(private readonly now: () => Date = () => new Date()) {}

  publish(type: string, data: Record<string, unknown>, origin?: string): AppEvent {
    const event: AppEvent = { id: this.nextId++, type, at: this.now().toISOString(), data };
    if (origin !== undefined) event.origin = origin;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a failing subscriber must not break the publisher or the others
      }
    }
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
