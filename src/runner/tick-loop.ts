// The loop the scheduler and the notifier share: a tick now, then one every interval while running; a
// failed tick is reported and the loop goes on; a wake-up ends the current wait early.

export interface TickLoopOptions {
  running: () => boolean;
  tick: () => Promise<unknown>;
  intervalMs: number;
  onError: (err: unknown) => void;
  /** Receives the function that ends the current wait (the owner calls it on stop or on news). */
  setWake: (wake: () => void) => void;
}

export async function tickLoop(o: TickLoopOptions): Promise<void> {
  while (o.running()) {
    try {
      await o.tick();
    } catch (err) {
      o.onError(err);
    }
    if (!o.running()) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, o.intervalMs);
      o.setWake(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
