// REST adapter for the read models of task results: the latest GPU report, the GPU trend, the latest
// service map, the error patterns of the latest log triage. The same schemas type the answers here, in OpenAPI and in the MCP tools.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as patterns from '../../service/error-patterns.ts';
import * as gpu from '../../service/gpu.ts';
import * as serviceMap from '../../service/service-map.ts';
import { fromQueryString } from '../params.ts';
import { serviceContext } from '../../service/context.ts';

export function taskResultRoutes(deps: AppDeps) {
  const ctx = serviceContext(deps);
  return new Elysia()
    .get('/gpu/latest', () => gpu.latestGpuReport(ctx), {
      response: { 200: gpu.GpuLatest },
      detail: {
        summary: 'The latest successful GPU report: figures per GPU, GPU memory per container, hotspots',
        tags: ['gpu'],
      },
    })
    .get('/gpu/trend', ({ query }) => gpu.gpuTrend(ctx, query), {
      query: fromQueryString(gpu.GpuTrendQuery),
      response: { 200: gpu.GpuTrend },
      detail: {
        summary: 'GPU figures of the newest successful GPU reports (from the samples each kept), newest first',
        tags: ['gpu'],
      },
    })
    .get('/service-map/latest', () => serviceMap.latestServiceMap(ctx), {
      response: { 200: serviceMap.ServiceMapLatest },
      detail: {
        summary: 'The latest successful service map: nodes, edges with evidence, exposures, findings',
        tags: ['service map'],
      },
    })
    .get('/log-triage/patterns', ({ query }) => patterns.errorPatternsNow(ctx, query.state), {
      query: patterns.ErrorPatternsQuery,
      response: { 200: patterns.ErrorPatternsNow },
      detail: {
        summary:
          'Error and warning patterns of the latest log triage per container (state=current, the default, or new), with restarts and crash loops',
        tags: ['log triage'],
      },
    });
}
