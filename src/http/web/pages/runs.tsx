// Runs: the list with filters and pagination, live statuses, and the launch form.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import { listDirectives } from '../../../service/directives.ts';
import * as runs from '../../../service/runs.ts';
import { assertValid } from '../../../service/validate.ts';
import { Empty, query, StatusBadge, When } from '../components.tsx';
import { asList, cleanQuery, csrfField, oneOrMany } from '../form.ts';
import { can, CsrfField, htmlResponse, Layout, seeOther, type Viewer } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { RUN_STATUSES } from '../../../statuses.ts';
import { serviceContext } from '../../../service/context.ts';

const PAGE_SIZE = 25;

function LaunchForm(props: {
  viewer: Viewer;
  tasks: { key: string; title: string }[];
  directives: { id: number; name: string; title: string; level: string; version: number }[];
}): JSX.Element {
  return (
    <form method="post" action="/runs" class="stack card" x-data="{ mode: 'directive' }">
      <CsrfField viewer={props.viewer} />
      <fieldset>
        <legend>Tasks</legend>
        {props.tasks.map((task) => (
          <label>
            <input type="checkbox" name="tasks" value={task.key} checked /> <span safe>{task.title}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Instruction</legend>
        <label>
          <input type="radio" name="mode" value="directive" x-model="mode" checked /> A directive
        </label>
        <label>
          <input type="radio" name="mode" value="custom" x-model="mode" /> Custom text
        </label>
        <label x-show="mode === 'directive'">
          Directive
          <select name="directive_id">
            {props.directives.map((d) => (
              <option value={String(d.id)} selected={d.name === runs.DEFAULT_DIRECTIVE} safe>
                {`${d.title} (${d.level}, v${d.version})`}
              </option>
            ))}
          </select>
        </label>
        <label x-show="mode === 'custom'">
          Custom instruction
          <textarea name="directive_text" maxlength="8000" placeholder="e.g. ignore 429s from sonarr"></textarea>
        </label>
      </fieldset>
      <label>
        Service map scope
        <select name="service_map_scope">
          <option value="allowlist">allowlisted containers</option>
          <option value="all">all containers (metadata only)</option>
        </select>
      </label>
      <div>
        <button type="submit">Launch</button>
      </div>
    </form>
  );
}

export function runsPages(deps: AppDeps) {
  const ctx = serviceContext(deps);
  return new Elysia()
    .get(
      '/runs',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        const filters = cleanQuery(c.query, ['before']);
        const q = assertValid(runs.ListRunsQuery, { ...filters, limit: PAGE_SIZE }, 'filters');
        const [list, directives] = await Promise.all([
          runs.listRuns(ctx, q),
          can(viewer, 'operate') ? listDirectives(ctx) : Promise.resolve([]),
        ]);
        const catalog = deps.tasks.catalog();
        return htmlResponse(
          <Layout title="Runs" active="/runs" viewer={viewer}>
            <h1>Runs</h1>
            {can(viewer, 'operate') ? (
              <details class="section" open={list.runs.length === 0 && !q.before}>
                <summary>Launch a run</summary>
                <LaunchForm viewer={viewer} tasks={catalog} directives={directives} />
              </details>
            ) : (
              ''
            )}
            <form method="get" action="/runs" class="filters" aria-label="Filter runs">
              <label>
                Status
                <select name="status">
                  <option value="">any</option>
                  {RUN_STATUSES.map((s) => (
                    <option value={s} selected={q.status === s} safe>
                      {s.replaceAll('_', ' ')}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Task
                <select name="task">
                  <option value="">any</option>
                  {catalog.map((task) => (
                    <option value={task.key} selected={q.task === task.key} safe>
                      {task.title}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" class="secondary">
                Filter
              </button>
            </form>
            <div x-data="liveStatus">
              {list.runs.length === 0 ? (
                <Empty>No runs match.</Empty>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Run</th>
                      <th scope="col">Status</th>
                      <th scope="col">Tasks</th>
                      <th scope="col">Directive</th>
                      <th scope="col">Trigger</th>
                      <th scope="col">Created</th>
                      <th scope="col" class="num">
                        Tokens
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.runs.map((r) => (
                      <tr data-run-id={String(r.id)}>
                        <td>
                          <a href={`/runs/${r.id}`} safe>{`#${r.id}`}</a>
                        </td>
                        <td>
                          <StatusBadge status={r.status} runId={r.id} />
                        </td>
                        <td safe>{r.tasks.join(', ')}</td>
                        <td safe>{r.directive.name ?? 'custom instruction'}</td>
                        <td safe>{r.trigger}</td>
                        <td>
                          <When at={r.created_at} />
                        </td>
                        <td class="num" safe>
                          {String(r.tokens.total)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <nav class="pager" aria-label="Pages">
              {q.before ? <a href={`/runs${query({ status: q.status, task: q.task })}`}>Newest</a> : ''}
              {list.next_before ? (
                <a href={`/runs${query({ status: q.status, task: q.task, before: list.next_before })}`}>Older runs</a>
              ) : (
                ''
              )}
            </nav>
          </Layout>,
        );
      },
      {
        query: t.Object({
          status: t.Optional(t.String({ maxLength: 40 })),
          task: t.Optional(t.String({ maxLength: 64 })),
          before: t.Optional(t.String({ maxLength: 20 })),
        }),
        detail: { summary: 'Web UI: runs, with filters, live status and the launch form', tags: ['web'] },
      },
    )
    .post(
      '/runs',
      async ({ body }) => {
        const input: runs.LaunchRunInput = {};
        const tasks = asList(body.tasks);
        if (tasks.length) input.tasks = tasks;
        if (body.mode === 'custom') input.directive_text = body.directive_text ?? '';
        else if (body.directive_id)
          input.directive_id = /^\d{1,16}$/.test(body.directive_id) ? Number(body.directive_id) : -1;
        const scope = body.service_map_scope;
        if (scope && (input.tasks ?? deps.tasks.keys()).includes('service_map'))
          input.options = { service_map: { scope } };
        const run = await runs.launchRun(ctx, input, 'web');
        return seeOther(`/runs/${run.id}`);
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          tasks: oneOrMany(t.String({ maxLength: 64 })),
          mode: t.Optional(t.Union([t.Literal('directive'), t.Literal('custom')])),
          directive_id: t.Optional(t.String({ maxLength: 20 })),
          directive_text: t.Optional(t.String({ maxLength: 8000 })),
          service_map_scope: t.Optional(t.Union([t.Literal('allowlist'), t.Literal('all')])),
        }),
        detail: { summary: 'Web UI: launch a run from the form (then shows the run)', tags: ['web'] },
      },
    );
}
