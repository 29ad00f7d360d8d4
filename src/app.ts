// Builds the Elysia app from its parts, given the services. Tests build it the same way and call
// app.handle() without listening.
import { Elysia, type AnyElysia } from 'elysia';
import type { AppDeps } from './app-deps.ts';
import { FailureThrottle } from './auth/throttle.ts';
import { apiRoutes } from './http/api/index.ts';
import { apiIndex } from './http/api-index.ts';
import { authGuard } from './http/auth-guard.ts';
import { errorHandling } from './http/error-handling.ts';
import { healthRoutes } from './http/health-routes.ts';
import { createMetrics, metricsRoutes, requestCounter } from './http/metrics.ts';
import { openApiRoutes } from './http/openapi.tsx';
import { loginRoutes } from './http/web/login.tsx';
import { webRoutes } from './http/web/routes.ts';
import { mcpRoutes } from './http/mcp/routes.ts';
import { McpSessions } from './http/mcp/sessions.ts';
import { requestLog } from './http/request-log.ts';
import { ApiIndexView } from './service/view-schemas.ts';

export function buildApp(given: AppDeps) {
  const deps = {
    ...given,
    throttle: given.throttle ?? new FailureThrottle(given.config.auth.maxFailures, given.config.auth.failureWindowMs),
  };
  const metrics = createMetrics(deps);
  // normalize: false makes validation strict: unknown fields are refused instead of silently dropped,
  // and a wrong-typed value is refused instead of being replaced by an empty default.
  const app = new Elysia({ normalize: false })
    .use(errorHandling(deps.logger))
    .use(requestLog(deps.logger))
    .use(requestCounter(metrics))
    .use(authGuard(deps))
    .use(metricsRoutes(metrics))
    .use(healthRoutes({ db: deps.db, migrations: deps.migrations, probes: deps.probes, auth: deps.config.auth }))
    .use(loginRoutes(deps))
    .use(webRoutes(deps))
    .use(apiRoutes(deps))
    .use(
      mcpRoutes(
        deps,
        deps.mcpSessions ??
          new McpSessions(
            deps.config.mcp.maxSessions,
            deps.config.mcp.sessionIdleMs,
            deps.config.mcp.maxSessionsPerCaller,
          ),
      ),
    );
  // These two describe the finished app, so they read it when asked, not while it is being built.
  const self = (): AnyElysia => app;
  return app.use(openApiRoutes(self, deps.config)).get('/api', () => apiIndex(self(), deps.config), {
    response: { 200: ApiIndexView },
    detail: { summary: 'The API: its resources and whether authentication is on', tags: ['api'] },
  });
}

export type App = ReturnType<typeof buildApp>;
