// The scheduler loop: every tick it launches the due slots this instance wins (service/schedules).
// Ticks are frequent and cheap (one indexed read); a schedule change wakes it at once.
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import { launchDueSlots, type SchedulesCtx, type SlotOutcome } from '../service/schedules.ts';
import { tickLoop } from './tick-loop.ts';

export interface SchedulerOptions {
  tickMs: number;
  owner: string;
}

export class Scheduler {
  private stopped = true;
  private done: Promise<void> = Promise.resolve();
  private wakeUp: () => void = () => {};
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly ctx: SchedulesCtx & { logger: Logger; events: EventBus },
    private readonly options: SchedulerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.ctx.events.subscribe((e) => {
      if (e.type === 'schedule.changed') this.wakeUp();
    });
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.wakeUp();
    await this.done;
  }

  /** One pass: launches what is due now. Tests with a manual clock call it directly. */
  async tick(): Promise<SlotOutcome[]> {
    return launchDueSlots(this.ctx, this.options.owner);
  }

  private loop(): Promise<void> {
    return tickLoop({
      running: () => !this.stopped,
      tick: () => this.tick(),
      intervalMs: this.options.tickMs,
      onError: (err) => this.ctx.logger.error('scheduler tick failed', errorFields(err)),
      setWake: (wake) => {
        this.wakeUp = wake;
      },
    });
  }
}
