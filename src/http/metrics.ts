// GET /metrics (Prometheus text) and /metrics/json. Request counts and job durations are counted in
// this process; runs, queue depth and model usage are read from the database at scrape time, so they
// survive restarts and agree across instances.
import { Elysia } from 'elysia';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import type { EventBus } from '../events/bus.ts';
import { llmTotalsByModel, queuedJobs, runCountsByTaskAndStatus } from '../store/metrics.ts';

export function createMetrics(deps: { db: Database; events: EventBus }) {
  const registry = new Registry();
  const httpRequests = new Counter({
    name: 'cyberbrain_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'cyberbrain_job_duration_seconds',
    help: 'Duration of finished jobs by task and status',
    labelNames: ['task', 'status'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const dockerErrors = new Counter({
    name: 'cyberbrain_docker_api_errors_total',
    help: 'Failed Docker API calls',
    labelNames: ['operation'],
    registers: [registry],
  });
  new Gauge({
    name: 'cyberbrain_jobs',
    help: 'Jobs in the database by task and status',
    labelNames: ['task', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await runCountsByTaskAndStatus(deps.db.sql)) this.set({ task: r.task, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'cyberbrain_queue_depth',
    help: 'Jobs waiting for a worker',
    registers: [registry],
    async collect() {
      this.set(await queuedJobs(deps.db.sql));
    },
  });
  const llmCalls = new Gauge({
    name: 'cyberbrain_llm_calls',
    help: 'Model call attempts recorded, by model and status',
    labelNames: ['model', 'status'],
    registers: [registry],
  });
  new Gauge({
    name: 'cyberbrain_llm_tokens',
    help: 'Tokens recorded, by model and kind (prompt, completion)',
    labelNames: ['model', 'kind'],
    registers: [registry],
    async collect() {
      this.reset();
      llmCalls.reset();
      const byModel = new Map<string, { prompt: number; completion: number }>();
      for (const r of await llmTotalsByModel(deps.db.sql)) {
        llmCalls.set({ model: r.model, status: r.status }, r.calls);
        const m = byModel.get(r.model) ?? { prompt: 0, completion: 0 };
        m.prompt += r.prompt;
        m.completion += r.completion;
        byModel.set(r.model, m);
      }
      for (const [model, m] of byModel) {
        this.set({ model, kind: 'prompt' }, m.prompt);
        this.set({ model, kind: 'completion' }, m.completion);
      }
    },
  });
  deps.events.subscribe((e) => {
    if (e.type === 'job.status' && typeof e.data.duration_ms === 'number') {
      jobDuration.observe({ task: String(e.data.task), status: String(e.data.status) }, e.data.duration_ms / 1000);
    }
    if (e.type === 'docker.error') dockerErrors.inc({ operation: String(e.data.operation ?? 'unknown') });
  });
  return { registry, httpRequests };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Counts every request; registered before any route so it sees them all. */
export function requestCounter(metrics: Metrics) {
  return new Elysia({ name: 'request-counter' }).onAfterResponse(
    { as: 'global' },
    ({ request, route, set, responseValue }) => {
      const status = responseValue instanceof Response ? responseValue.status : Number(set.status ?? 200);
      metrics.httpRequests.inc({ method: request.method, route: route || 'unmatched', status: String(status) });
    },
  );
}

export function metricsRoutes(metrics: Metrics) {
  return new Elysia({ name: 'metrics' })
    .get(
      '/metrics',
      async () =>
        new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }),
      { detail: { summary: 'Prometheus metrics', tags: ['metrics'] } },
    )
    .get('/metrics/json', () => metrics.registry.getMetricsAsJSON(), {
      detail: { summary: 'The same metrics as JSON', tags: ['metrics'] },
    });
}
