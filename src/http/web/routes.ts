// The web UI: server-rendered pages under /, one plugin per page group, and the static files.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import { containersPages } from './pages/containers.tsx';
import { dashboardPage } from './pages/dashboard.tsx';
import { directivesPages } from './pages/directives.tsx';
import { gpuPages } from './pages/gpu.tsx';
import { runDetailPage } from './pages/run-detail.tsx';
import { runsPages } from './pages/runs.tsx';
import { serviceMapPages } from './pages/service-map.tsx';
import { settingsPages } from './pages/settings.tsx';
import { watchPages } from './pages/watch.tsx';
import { staticRoutes } from './static-routes.ts';
import { prerenderReports } from './markdown.ts';
import { readArtifactText } from '../../service/runs.ts';

export function webRoutes(deps: AppDeps) {
  prerenderReports(deps.events, (a) => readArtifactText({ logsDir: deps.config.logsDir }, a));
  return new Elysia({ name: 'web' })
    .use(staticRoutes())
    .use(dashboardPage(deps))
    .use(runsPages(deps))
    .use(runDetailPage(deps))
    .use(directivesPages(deps))
    .use(containersPages(deps))
    .use(serviceMapPages(deps))
    .use(gpuPages(deps))
    .use(watchPages(deps))
    .use(settingsPages(deps));
}
