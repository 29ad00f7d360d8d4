// REST adapter for log triage windows: what each job covered per container, and where each container's
// next window starts (the per-container form of /api/runs/since-last-success for log_triage).
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as triage from '../../service/log-triage.ts';
import { fromQueryString } from '../params.ts';
import * as v from '../../service/view-schemas.ts';

export function logTriageRoutes(deps: AppDeps) {
  return new Elysia()
    .get('/log-triage/windows', ({ query }) => triage.listTriageWindows(deps, query), {
      query: fromQueryString(triage.WindowsQuery),
      response: { 200: v.TriageWindowPage },
      detail: {
        summary:
          'Log triage windows per job and container (since, until, lines, bytes, truncated, status), newest first',
        tags: ['log triage'],
      },
    })
    .get('/log-triage/next-windows', () => triage.nextTriageWindows(deps), {
      response: { 200: t.Array(v.NextTriageWindow) },
      detail: {
        summary: "Where each container's next log triage window starts: the end of its last successful one",
        tags: ['log triage'],
      },
    });
}
