import { Elysia } from 'elysia';
import { checkReadiness, type ReadinessDeps } from '../health.ts';
import { errorBody } from './errors.ts';

export function healthRoutes(deps: ReadinessDeps & { auth: { enabled: boolean; reason: string } }) {
  return new Elysia({ name: 'health' })
    .get('/healthz', () => ({ status: 'ok' }), { detail: { summary: 'Liveness: the process answers; touches nothing' } })
    .get(
      '/readyz',
      async ({ set }) => {
        const r = await checkReadiness(deps);
        if (!r.ready) {
          set.status = 503;
          return errorBody(r.reason, r.message);
        }
        return { status: 'ready', database: r.database, docker: r.docker, llm: r.llm, auth: { enabled: deps.auth.enabled, reason: deps.auth.reason } };
      },
      { detail: { summary: 'Readiness: database reachable and migrated; Docker and model reported' } },
    );
}
