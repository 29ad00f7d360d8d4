// GPU: the latest successful gpu_report as bars per GPU (utilisation, memory in use, temperature) and
// per container (GPU memory), its hotspots, and the trend over the earlier successful runs.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import * as gpu from '../../../service/gpu.ts';
import { Empty, StatusBadge } from '../components.tsx';
import { can, CsrfField, htmlResponse, Layout, type Viewer } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { serviceContext } from '../../../service/context.ts';
import { ReportView } from './gpu/report.tsx';

/** Successful reports shown in the trend, the latest included. */
const TREND_RUNS = 14;

function RunNow(props: { viewer: Viewer; deps: AppDeps }): JSX.Element {
  if (!can(props.viewer, 'operate') || !props.deps.tasks.get(gpu.GPU_TASK)) return '';
  return (
    <form method="post" action="/runs" class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="tasks" value={gpu.GPU_TASK} />
      <button type="submit" aria-label="Run the GPU report now">
        Run now
      </button>
    </form>
  );
}

export function gpuPages(deps: AppDeps) {
  const ctx = serviceContext(deps);
  return new Elysia().get(
    '/gpu',
    async (c) => {
      const viewer = viewerOf(c, deps.config);
      const [latest, trend] = await Promise.all([gpu.latestGpuReport(ctx), gpu.gpuTrend(ctx, { runs: TREND_RUNS })]);
      const { report, run_id: runId, newest_run: newest } = latest;
      return htmlResponse(
        <Layout title="GPU" active="/gpu" viewer={viewer}>
          <h1>GPU</h1>
          <RunNow viewer={viewer} deps={deps} />
          {newest && newest.id !== runId ? (
            <p class="muted">
              {'The newest GPU report run, '}
              <a href={`/runs/${newest.id}`} safe>{`#${newest.id}`}</a>
              {', is '}
              <StatusBadge status={newest.status} runId={newest.id} />
              {report ? '; the report below is the latest that succeeded.' : '.'}
            </p>
          ) : (
            ''
          )}
          {report && runId !== null ? (
            <ReportView report={report} runId={runId} trend={trend.points} />
          ) : (
            <Empty>No GPU report yet. Run the GPU report task to see the GPUs here.</Empty>
          )}
        </Layout>,
      );
    },
    {
      detail: {
        summary: 'Web UI: the latest GPU report as bars per GPU and per container, with the trend',
        tags: ['web'],
      },
    },
  );
}
