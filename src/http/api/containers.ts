// REST adapter for containers: the live list (metadata, open to all) and the inside-reads (inspect,
// logs, top, stats), which the Docker gateway refuses with 403 off the allowlist.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import { ContainerRef } from '../../service/allowlist.ts';
import * as containers from '../../service/containers.ts';
import { fromQueryString } from '../params.ts';
import * as v from '../../service/view-schemas.ts';

const RefParams = t.Object({ ref: ContainerRef });
const LogsQuery = t.Object(
  {
    since: t.Optional(t.String({ maxLength: 40, description: 'RFC 3339 time, up to nanoseconds; inclusive' })),
    until: t.Optional(t.String({ maxLength: 40, description: 'RFC 3339 time, up to nanoseconds; exclusive' })),
    tail: t.Optional(t.Integer({ minimum: 0, maximum: 1_000_000, description: 'only the last N lines Docker has' })),
    limit: t.Optional(t.Integer({ minimum: 1, maximum: containers.MAX_LOG_LINES, default: 1000 })),
  },
  { additionalProperties: false },
);

export function containerRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/containers' })
    .get('/', ({ query }) => containers.listContainers(deps, query.scope), {
      query: t.Object({ scope: t.Optional(containers.ContainerScope) }),
      response: { 200: t.Array(v.ContainerView) },
      detail: {
        summary: 'Containers on the Docker host (metadata, live), each with its allowlist state',
        tags: ['containers'],
      },
    })
    .get('/:ref', ({ params }) => containers.inspectContainer(deps, params.ref), {
      params: RefParams,
      response: { 200: v.ContainerDetails },
      detail: {
        summary: 'Inspect an allowlisted container (environment as variable names only)',
        tags: ['containers'],
      },
    })
    .get(
      '/:ref/logs',
      ({ params, query, request }) =>
        containers.readContainerLogs(deps, params.ref, { ...query, signal: request.signal }),
      {
        params: RefParams,
        query: fromQueryString(LogsQuery),
        response: { 200: v.LogsView },
        detail: { summary: 'Log lines of an allowlisted container in a window [since, until)', tags: ['containers'] },
      },
    )
    .get('/:ref/top', ({ params }) => containers.containerTop(deps, params.ref), {
      params: RefParams,
      response: { 200: v.ContainerTop },
      detail: { summary: 'Processes of an allowlisted container', tags: ['containers'] },
    })
    .get('/:ref/stats', ({ params }) => containers.containerStats(deps, params.ref), {
      params: RefParams,
      response: { 200: v.ContainerStats },
      detail: { summary: 'One-shot resource figures of an allowlisted container', tags: ['containers'] },
    });
}
