// REST adapter for runs, their reports and artifacts, and the task catalogue.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as runs from '../../service/runs.ts';
import { TaskKey } from '../../service/schemas.ts';
import { actorName } from '../principal.ts';
import { fromQueryString, IdParams } from '../params.ts';
import * as v from '../../service/view-schemas.ts';
import { serviceContext } from '../../service/context.ts';

export function runRoutes(deps: AppDeps) {
  const ctx = serviceContext(deps);
  const launch = async ({ body, set }: { body: runs.LaunchRunInput; set: { status?: number | string } }) => {
    set.status = 201;
    return runs.launchRun(ctx, body, 'api');
  };
  const launchOptions = {
    body: runs.LaunchRunInput,
    parse: 'application/json' as const,
    response: { 201: v.RunDetail },
    detail: { summary: 'Launch a run of one or more tasks under a directive', tags: ['runs'] },
  };
  return new Elysia()
    .get('/tasks', () => deps.tasks.catalog(), {
      response: { 200: t.Array(v.TaskCatalogEntry) },
      detail: { summary: 'Task catalogue: key, title, description, options schema', tags: ['runs'] },
    })
    .post('/runs', launch, launchOptions)
    .post('/runs/launch', launch, {
      ...launchOptions,
      detail: { ...launchOptions.detail, summary: 'Launch a run (alias of POST /api/runs)' },
    })
    .get('/runs', ({ query }) => runs.listRuns(ctx, query), {
      query: fromQueryString(runs.ListRunsQuery),
      response: { 200: v.RunPage },
      detail: { summary: 'List runs, newest first; filters and keyset pagination (before=<id>)', tags: ['runs'] },
    })
    .get('/runs/since-last-success', ({ query }) => runs.sinceLastSuccess(ctx, query.task), {
      query: t.Object({ task: TaskKey }),
      response: { 200: v.SinceLastSuccess },
      detail: { summary: 'Where the next window of a task starts: the end of its last successful job', tags: ['runs'] },
    })
    .get('/runs/:id', ({ params }) => runs.getRun(ctx, params.id), {
      params: IdParams,
      response: { 200: v.RunDetail },
      detail: { summary: 'A run with its jobs, tokens, artifacts and directive snapshot', tags: ['runs'] },
    })
    .get(
      '/runs/:id/report',
      async ({ params, headers }) => {
        const report = await runs.getRunReport(ctx, params.id);
        if ((headers.accept ?? '').includes('text/markdown')) {
          // a raw Response is sent as is (the JSON schema below documents the default answer)
          return new Response(report.markdown, {
            headers: { 'content-type': 'text/markdown; charset=utf-8' },
          }) as never;
        }
        return report;
      },
      {
        params: IdParams,
        response: { 200: v.RunReport },
        detail: {
          summary: 'The run report: markdown, JSON and token totals (Accept: text/markdown for the markdown alone)',
          tags: ['runs'],
        },
      },
    )
    .post('/runs/:id/cancel', ({ params }) => runs.cancelRun(ctx, params.id), {
      params: IdParams,
      response: { 200: v.RunDetail },
      detail: { summary: 'Cancel a run: queued jobs are dropped, running ones stopped', tags: ['runs'] },
    })
    .post('/runs/:id/approve', (c) => runs.approveRun(ctx, c.params.id, actorName(c)), {
      params: IdParams,
      response: { 200: v.RunDetail },
      detail: { summary: 'Approve a run awaiting approval (people only: no MCP tool does this)', tags: ['runs'] },
    })
    .post('/runs/:id/deny', (c) => runs.denyRun(ctx, c.params.id, actorName(c)), {
      params: IdParams,
      response: { 200: v.RunDetail },
      detail: { summary: 'Deny a run awaiting approval; it ends cancelled', tags: ['runs'] },
    })
    .get('/runs/:id/artifacts', ({ params }) => runs.listRunArtifacts(ctx, params.id), {
      params: IdParams,
      response: { 200: t.Array(v.ArtifactView) },
      detail: { summary: 'Files the run wrote, with size and sha256', tags: ['runs'] },
    })
    .get(
      '/artifacts/:id/content',
      async ({ params }) => {
        const { artifact, file } = await runs.locateArtifact(ctx, params.id);
        const name = artifact.path.split('/').pop() ?? 'artifact';
        return new Response(Bun.file(file), {
          headers: {
            'content-type': artifact.mime_type.startsWith('text/')
              ? `${artifact.mime_type}; charset=utf-8`
              : artifact.mime_type,
            'content-disposition': `inline; filename="${name}"`,
            'x-content-type-options': 'nosniff',
          },
        });
      },
      {
        params: IdParams,
        detail: {
          summary: 'Download an artifact',
          tags: ['runs'],
          responses: {
            200: {
              description: 'The file, with its recorded media type',
              content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
            },
          },
        },
      },
    );
}
