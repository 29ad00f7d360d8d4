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
      const path = new URL(request.url).pathname;
      const fields = {
        method: request.method,
        path,
        status,
        ms: t === undefined ? undefined : Math.round((performance.now() - t) * 10) / 10,
      };
      // an answered liveness probe (the image's HEALTHCHECK asks every 2 s) would bury every other line
      if (path === '/healthz' && status === 200) logger.debug('request', fields);
      else logger.info('request', fields);
    });
}
