// The notification loop: closes due groups into the outbox and sends what is queued. It polls (two
// indexed reads per tick) and is woken early when a group is opened with a shorter window, and when a
// job of this instance ends (its findings may be worth a message).
import type { EventBus } from '../events/bus.ts';
import { errorFields } from '../log.ts';
import { deliverDue, flushGroups, type DeliveryCtx } from '../service/notify-delivery.ts';
import { signalsOfJob, type SourcesCtx } from '../service/notify-sources.ts';
import { tickLoop } from './tick-loop.ts';

export interface NotifierOptions {
  tickMs: number;
}

export class Notifier {
  private stopped = true;
  private done: Promise<void> = Promise.resolve();
  private wakeUp: () => void = () => {};
  private unsubscribe: () => void = () => {};
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: DeliveryCtx & SourcesCtx & { events: EventBus },
    private readonly options: NotifierOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.ctx.events.subscribe((e) => {
      if (e.type === 'notify.pending' && typeof e.data.due_at === 'string') this.wakeAt(Date.parse(e.data.due_at));
      // only jobs this instance ran: another instance reads its own
      if (
        e.type === 'job.status' &&
        e.origin === undefined &&
        (e.data.status === 'success' || e.data.status === 'failed')
      ) {
        this.track(
          signalsOfJob(this.ctx, Number(e.data.run_id), Number(e.data.job_id)).catch((err) =>
            this.ctx.logger.warn('reading a job for notifications failed', errorFields(err)),
          ),
        );
      }
    });
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.wakeUp();
    await this.done;
    await Promise.all(this.inFlight);
  }

  /** One pass (tests call it directly). */
  async tick(): Promise<{ made: number; attempts: number }> {
    const made = await flushGroups(this.ctx);
    const attempts = await deliverDue(this.ctx);
    return { made, attempts };
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private wakeAt(ms: number): void {
    const delay = Math.max(0, ms - this.ctx.clock.now().getTime());
    if (delay >= this.options.tickMs) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.wakeUp();
    }, delay + 5);
    this.timers.add(t);
  }

  private loop(): Promise<void> {
    return tickLoop({
      running: () => !this.stopped,
      tick: () => this.tick(),
      intervalMs: this.options.tickMs,
      onError: (err) => this.ctx.logger.error('notifier tick failed', errorFields(err)),
      setWake: (wake) => {
        this.wakeUp = wake;
      },
    });
  }
}
