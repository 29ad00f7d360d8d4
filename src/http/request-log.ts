// One structured log line per request: method, path (no query string: it may hold tokens), status, ms.
import { Elysia } from 'elysia';
import type { Logger } from '../log.ts';

export function requestLog(logger: Logger) {
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: 'request-log' })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, responseValue }) => {
      const t = started.get(request);
      const status = responseValue instanceof Response ? responseValue.status : Number(set.status ?? 200);
      logger.info('request', {
        method: request.method,
        path: new URL(request.url).pathname,
        status,
        ms: t === undefined ? undefined : Math.round((performance.now() - t) * 10) / 10,
      });
    });
}
