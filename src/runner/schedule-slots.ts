// Slot arithmetic for schedules, pure: which slot is due now, and the next ones. A cron schedule's
// slots are its cron times (croner, in the process's time zone); an interval schedule's slots are
// anchor + k * every_seconds. After downtime only the LATEST missed slot is due, so a missed stretch
// runs once, not once per slot.
import { Cron } from 'croner';

export interface SlotTiming {
  cron: string | null;
  every_seconds: number | null;
  anchor_at: Date;
  done_through: Date;
}

/** A cron expression croner accepts, or the reason it does not (no callback, never started). */
export function checkCron(expr: string): string | null {
  try {
    const c = new Cron(expr, { paused: true });
    if (!c.nextRun(new Date())) return 'it never fires';
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern:\s*/, '').slice(0, 200);
  }
}

/** The newest slot at or before `now` that is after done_through, or null when none is due. */
export function dueSlot(t: SlotTiming, now: Date): Date | null {
  let latest: Date | null = null;
  if (t.every_seconds !== null) {
    const every = t.every_seconds * 1000;
    const k = Math.floor((now.getTime() - t.anchor_at.getTime()) / every);
    if (k >= 1) latest = new Date(t.anchor_at.getTime() + k * every);
  } else if (t.cron !== null) {
    latest = new Cron(t.cron, { paused: true }).previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
  }
  return latest && latest.getTime() > t.done_through.getTime() ? latest : null;
}

/** The next `n` slots after max(now, done_through). */
export function nextSlots(t: SlotTiming, now: Date, n: number): Date[] {
  const from = Math.max(now.getTime(), t.done_through.getTime());
  if (t.every_seconds !== null) {
    const every = t.every_seconds * 1000;
    const k = Math.max(1, Math.floor((from - t.anchor_at.getTime()) / every) + 1);
    return Array.from({ length: n }, (_, i) => new Date(t.anchor_at.getTime() + (k + i) * every));
  }
  if (t.cron !== null) return new Cron(t.cron, { paused: true }).nextRuns(n, new Date(from));
  return [];
}
