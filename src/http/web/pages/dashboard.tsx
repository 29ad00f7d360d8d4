// Dashboard: health of the parts, each task's last run, new error patterns from the latest triage,
// tokens per day, and "Run now".
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import { checkReadiness, type DependencyStatus } from '../../../health.ts';
import { errorPatternsNow, newErrorPatterns } from '../../../service/error-patterns.ts';
import * as runs from '../../../service/runs.ts';
import { tokenStats } from '../../../service/tokens.ts';
import { ColumnChart } from '../charts.tsx';
import { countOf, Empty, StatusBadge, When } from '../components.tsx';
import { can, CsrfField, htmlResponse, Layout, type Viewer } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { serviceContext } from '../../../service/context.ts';
import { ErrorsNow } from './dashboard/errors-now.tsx';

const DAYS = 14;

function Health(props: { name: string; status: DependencyStatus['status'] | 'ok'; detail?: string }): JSX.Element {
  const cls = props.status === 'ok' ? 'ok' : props.status === 'not_configured' ? 'muted' : 'bad';
  return (
    <div class="card">
      <h3 safe>{props.name}</h3>
      <p>
        <span class={`badge ${cls}`} safe>
          {props.status.replaceAll('_', ' ')}
        </span>
      </p>
      {props.detail ? (
        <p class="muted" safe>
          {props.detail}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

function RunNow(props: { task: string; title: string; viewer: Viewer }): JSX.Element {
  if (!can(props.viewer, 'operate')) return '';
  return (
    <form method="post" action="/runs" class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="tasks" value={props.task} />
      <button type="submit" aria-label={`Run ${props.title} now`}>
        Run now
      </button>
    </form>
  );
}

/** The UTC days of the chart, oldest first. */
function lastDays(now: Date): string[] {
  const out: string[] = [];
  for (let i = DAYS - 1; i >= 0; i--) out.push(new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

export function dashboardPage(deps: AppDeps) {
  const ctx = serviceContext(deps);
  return new Elysia().get(
    '/',
    async (c) => {
      const viewer = viewerOf(c, deps.config);
      const now = deps.clock.now();
      const days = lastDays(now);
      const [ready, catalog, tokens, errorsNow] = await Promise.all([
        checkReadiness({ db: deps.db, migrations: deps.migrations, probes: deps.probes, timeoutMs: 2000 }),
        Promise.resolve(deps.tasks.catalog()),
        tokenStats(deps.db, { group_by: 'day', since: days[0]! }),
        errorPatternsNow(ctx),
      ]);
      const fresh = newErrorPatterns(errorsNow);
      const lastRuns = await Promise.all(
        catalog.map((t) => runs.listRuns(ctx, { task: t.key, limit: 1 }).then((r) => r.runs[0])),
      );
      const perDay = new Map(tokens.groups.map((g) => [g.key, g.total_tokens]));
      return htmlResponse(
        <Layout title="Dashboard" active="/" viewer={viewer}>
          <h1>Dashboard</h1>
          <section aria-labelledby="health">
            <h2 id="health">Health</h2>
            <div class="grid">
              {ready.ready ? (
                <>
                  <Health name="Database" status="ok" detail={`${ready.database.backend}, ${ready.database.ms} ms`} />
                  <Health
                    name="Docker"
                    status={ready.docker.status}
                    detail={ready.docker.detail ?? ready.docker.endpoint}
                  />
                  <Health name="Model" status={ready.llm.status} detail={ready.llm.detail ?? ready.llm.endpoint} />
                </>
              ) : (
                <Health name="Database" status="unreachable" detail={ready.message} />
              )}
            </div>
          </section>
          <section aria-labelledby="tasks" x-data="liveStatus">
            <h2 id="tasks">Tasks</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Finished</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {catalog.map((t, i) => {
                  const last = lastRuns[i];
                  return (
                    <tr>
                      <td safe>{t.title}</td>
                      <td>
                        {last ? (
                          <a href={`/runs/${last.id}`} safe>{`#${last.id}`}</a>
                        ) : (
                          <span class="muted">never</span>
                        )}
                      </td>
                      <td>{last ? <StatusBadge status={last.status} runId={last.id} /> : ''}</td>
                      <td>
                        <When at={last?.finished_at} />
                      </td>
                      <td>
                        <RunNow task={t.key} title={t.title} viewer={viewer} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="errors-now">
            <h2 id="errors-now">Errors now</h2>
            <ErrorsNow now={errorsNow} />
          </section>
          <section aria-labelledby="new-patterns">
            <h2 id="new-patterns">New error patterns</h2>
            {errorsNow.run_id === null ? (
              <Empty>No log triage has finished yet.</Empty>
            ) : fresh.length === 0 ? (
              <Empty>
                {'No new error pattern in the latest triage ('}
                <a href={`/runs/${errorsNow.run_id}`} safe>{`run #${errorsNow.run_id}`}</a>
                {').'}
              </Empty>
            ) : (
              <>
                <p class="muted">
                  {'From '}
                  <a href={`/runs/${errorsNow.run_id}`} safe>{`run #${errorsNow.run_id}`}</a>
                  {', most important first.'}
                </p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Container</th>
                      <th scope="col">Pattern</th>
                      <th scope="col" class="num">
                        Count
                      </th>
                      <th scope="col">First seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    {fresh.slice(0, 10).map((f) => (
                      <tr>
                        <td safe>{f.container}</td>
                        <td>
                          <code safe>{f.template.length > 240 ? `${f.template.slice(0, 240)}…` : f.template}</code>
                        </td>
                        <td class="num" safe>
                          {String(f.count)}
                        </td>
                        <td>
                          <When at={f.first_seen} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
          <section aria-labelledby="tokens">
            <h2 id="tokens">Model tokens per day</h2>
            <ColumnChart
              title={`Model tokens per day, last ${DAYS} days`}
              bars={days.map((d) => ({
                label: d.slice(8),
                value: perDay.get(d) ?? 0,
                title: `${d}: ${perDay.get(d) ?? 0} tokens`,
              }))}
            />
            <p
              class="muted"
              safe
            >{`${countOf(tokens.totals.total_tokens, 'token')} in ${countOf(tokens.totals.calls, 'model call')} over ${DAYS} days.`}</p>
          </section>
        </Layout>,
      );
    },
    { detail: { summary: 'Web UI: dashboard', tags: ['web'] } },
  );
}
