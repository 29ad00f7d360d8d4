// Liveness and readiness. /readyz is public (for probes) but says only ready / not ready unless the
// caller shows a read token or a session: its details name the Docker socket and model endpoint.
import { Elysia } from 'elysia';
import { checkReadiness, type ReadinessDeps } from '../health.ts';
import { errorBody } from './errors.ts';
import { principalOf } from './principal.ts';

export function healthRoutes(deps: ReadinessDeps & { auth: { enabled: boolean; reason: string } }) {
  return new Elysia({ name: 'health' })
    .get('/healthz', () => ({ status: 'ok' }), {
      detail: { summary: 'Liveness: the process answers; touches nothing' },
    })
    .get(
      '/readyz',
      async (ctx) => {
        const { set } = ctx;
        const r = await checkReadiness(deps);
        const detailed = principalOf(ctx) !== null;
        if (!r.ready) {
          set.status = 503;
          return detailed ? errorBody(r.reason, r.message) : errorBody('not_ready', 'not ready');
        }
        if (!detailed) return { status: 'ready' };
        return {
          status: 'ready',
          database: r.database,
          docker: r.docker,
          llm: r.llm,
          auth: { enabled: deps.auth.enabled, reason: deps.auth.reason },
        };
      },
      { detail: { summary: 'Readiness: database reachable and migrated; Docker and model reported' } },
    );
}
