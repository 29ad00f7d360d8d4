// Says in the log whether the Docker host can be reached: once at start, and again whenever that changes,
// so someone reading the terminal of a first start knows why the container pages are empty.
import type { Probe } from '../health.ts';
import type { Logger } from '../log.ts';

/** Probes now (without delaying the caller) and then every `everyMs`; returns the function that stops it. */
export function watchDockerReachability(probe: Probe, where: string, logger: Logger, everyMs = 15_000): () => void {
  let last: 'ok' | 'down' | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = async () => {
    let now: 'ok' | 'down';
    let detail: string | undefined;
    try {
      const r = await probe();
      now = r.status === 'ok' ? 'ok' : 'down';
      detail = r.detail;
    } catch (err) {
      now = 'down';
      detail = (err as Error).message;
    }
    if (stopped) return;
    if (now === 'down' && last !== 'down')
      logger.warn(`Docker unreachable at ${where}: container features are off until it is`, { detail });
    if (now === 'ok' && last === 'down')
      logger.info(`Docker reachable at ${where}: container features are on`, { detail });
    last = now;
    timer = setTimeout(() => void check(), everyMs);
    timer.unref();
  };
  void check();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
