// With a PostgreSQL server, several Cyber-Brain instances share one database: this relays each
// instance's events to the others through LISTEN/NOTIFY, so a cancel reaches the worker running the job
// at once and queued work wakes every runner. Embedded PGlite has one session and no LISTEN: no relay.
import type { Database } from '../db/database.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import type { EventBus } from './bus.ts';

export const EVENTS_CHANNEL = 'cyber_brain_events';

interface Wire {
  from: string;
  type: string;
  data: Record<string, unknown>;
}

/** Starts relaying; returns the function that stops it. */
export async function startEventRelay(
  db: Database,
  bus: EventBus,
  instanceId: string,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (!db.canListen) return async () => {};
  const listening = await db.sql.listen(EVENTS_CHANNEL, (payload) => {
    let msg: Wire;
    try {
      msg = JSON.parse(payload) as Wire;
    } catch {
      return;
    }
    if (msg.from === instanceId || typeof msg.type !== 'string') return;
    bus.publish(msg.type, msg.data ?? {}, msg.from);
  });
  // One NOTIFY at a time: sent in parallel over the pool's connections they can commit out of order,
  // and another instance would then see a job "running" after "cancelled".
  let sending: Promise<void> = Promise.resolve();
  const unsubscribe = bus.subscribe((event) => {
    if (event.origin !== undefined) return;
    const payload = JSON.stringify({ from: instanceId, type: event.type, data: event.data } satisfies Wire);
    sending = sending
      .then(async () => void (await db.sql.notify(EVENTS_CHANNEL, payload)))
      .catch((err) => logger.warn('event relay failed', errorFields(err)));
  });
  return async () => {
    unsubscribe();
    await sending;
    await listening.unlisten().catch(() => {});
  };
}
