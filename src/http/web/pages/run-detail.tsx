// One run: its jobs, the report rendered on the server, JSON artifacts, downloads, the directive
// snapshot, and cancel / approve / deny where they apply.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import * as runs from '../../../service/runs.ts';
import { actorName } from '../../principal.ts';
import { IdParams } from '../../params.ts';
import { countOf, Duration, StatusBadge, When } from '../components.tsx';
import { csrfField } from '../form.ts';
import { reportHtml, REPORT_HEADING_SHIFT } from '../markdown.ts';
import { can, CsrfField, htmlResponse, Layout, PageParts, seeOther, type Viewer } from '../page.tsx';
import { ServiceGraph } from '../service-graph.tsx';
import { serviceMapOfJob } from '../../../service/service-map.ts';
import { viewerOf } from '../viewer.ts';
import { OPEN_RUN_STATUSES } from '../../../statuses.ts';
import { serviceContext } from '../../../service/context.ts';

/** JSON shown inline up to this many characters; the download has the rest. */
const JSON_PREVIEW_CHARS = 200_000;
const OPEN_STATUSES = new Set<string>(OPEN_RUN_STATUSES);

function ActionButton(props: {
  viewer: Viewer;
  runId: number;
  action: 'cancel' | 'approve' | 'deny';
  label: string;
  danger?: boolean;
}): JSX.Element {
  return (
    <form method="post" action={`/runs/${props.runId}/${props.action}`} class="inline">
      <CsrfField viewer={props.viewer} />
      <button type="submit" class={props.danger ? 'danger' : undefined} safe>
        {props.label}
      </button>
    </form>
  );
}

function Actions(props: { viewer: Viewer; run: runs.RunDetail }): JSX.Element {
  const { viewer, run } = props;
  // Each button is our own markup, its text escaped inside ActionButton.
  const safeButtons: JSX.Element[] = [];
  if (run.status === 'awaiting_approval' && can(viewer, 'admin')) {
    safeButtons.push(<ActionButton viewer={viewer} runId={run.id} action="approve" label="Approve" />);
    safeButtons.push(<ActionButton viewer={viewer} runId={run.id} action="deny" label="Deny" danger />);
  }
  if (OPEN_STATUSES.has(run.status) && !run.cancel_requested && can(viewer, 'operate')) {
    safeButtons.push(<ActionButton viewer={viewer} runId={run.id} action="cancel" label="Cancel run" danger />);
  }
  return safeButtons.length ? <p class="actions">{safeButtons.join(' ')}</p> : '';
}

function preview(text: string): string {
  return text.length > JSON_PREVIEW_CHARS
    ? `${text.slice(0, JSON_PREVIEW_CHARS)}\n… (cut here; download the file for the rest)`
    : text;
}

/** The markdown without its mermaid diagrams (the page draws the picture instead). */
function withoutMermaid(text: string | null): string | null {
  return text === null ? null : text.replace(/^```mermaid\n[\s\S]*?^```\n?/gm, '_(The diagram is drawn above.)_\n');
}

/** A job's part of the report: its markdown reports rendered, its JSON artifacts shown as text. */
function JobReport(props: {
  ctx: runs.RunsCtx;
  job: runs.JobView;
  artifacts: runs.RunDetail['artifacts'];
  parts: PageParts;
}): JSX.Element {
  const { job } = props;
  const mine = props.artifacts.filter((a) => a.job_id === job.id);
  // Our own markup; text inside is escaped where each part is made.
  const safeParts: JSX.Element[] = [];
  const warning = job.result?.status === 'warning' ? String(job.result.status_reason ?? 'nothing to read') : null;
  if (warning)
    safeParts.push(<p class="warn" role="status" safe>{`Warning: ${warning}. This is not an all-clear.`}</p>);
  // a job that drew a service map: the picture, as on the service map page, instead of its mermaid source
  const map = serviceMapOfJob(props.ctx, mine);
  if (map) safeParts.push(<ServiceGraph map={map} title="Service map" />);
  for (const a of mine) {
    if (a.mime_type !== 'text/markdown' && a.mime_type !== 'application/json') continue;
    const read = () => runs.readArtifactText(props.ctx, a);
    const missing = <p class="error" safe>{`${a.path} is missing from the logs folder.`}</p>;
    if (a.mime_type === 'text/markdown') {
      // markdown-it escapes raw HTML and refuses unsafe link schemes (see markdown.ts).
      const html = map
        ? reportHtml(() => withoutMermaid(read()), {
            sha256: `${a.sha256}:no-mermaid`,
            headingShift: REPORT_HEADING_SHIFT,
          })
        : reportHtml(read, { sha256: a.sha256, headingShift: REPORT_HEADING_SHIFT });
      const safeSlot = html === null ? '' : props.parts.slot(html);
      safeParts.push(html === null ? missing : <div class="report">{safeSlot}</div>);
      continue;
    }
    const text = read();
    if (text === null) safeParts.push(missing);
    else
      safeParts.push(
        <details>
          <summary safe>{`${a.path} (data)`}</summary>
          <pre x-ignore safe>
            {preview(text)}
          </pre>
        </details>,
      );
  }
  return (
    <section class="card" x-ignore>
      <h3 safe>{`${job.task}: ${job.status.replaceAll('_', ' ')}`}</h3>
      {job.error ? <p class="error" safe>{`${job.error_code ?? 'error'}: ${job.error}`}</p> : ''}
      {safeParts.length ? safeParts.join('') : <p class="muted">No report yet.</p>}
    </section>
  );
}

export function runDetailPage(deps: AppDeps) {
  const ctx = serviceContext(deps);
  const act = (action: 'cancel' | 'approve' | 'deny') => async (c: { params: { id: number } }) => {
    const id = c.params.id;
    if (action === 'cancel') await runs.cancelRun(ctx, id);
    else if (action === 'approve') await runs.approveRun(ctx, id, actorName(c));
    else await runs.denyRun(ctx, id, actorName(c));
    return seeOther(`/runs/${id}`);
  };
  const actionOptions = (summary: string) => ({
    params: IdParams,
    parse: 'urlencoded' as const,
    body: t.Object(csrfField),
    detail: { summary, tags: ['web'] },
  });
  return new Elysia()
    .get(
      '/runs/:id',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        const detail = await runs.getRun(ctx, c.params.id);
        const { jobs, artifacts, ...run } = detail;
        const parts = new PageParts();
        const page = (
          <Layout title={`Run #${run.id}`} active="/runs" viewer={viewer}>
            <div x-data="liveStatus">
              <h1>
                <span safe>{`Run #${run.id} `}</span>
                <StatusBadge status={run.status} runId={run.id} />
              </h1>
              <p class="muted">
                {'Created '}
                <When at={run.created_at} />
                {' · started '}
                <When at={run.started_at} empty="not yet" />
                {' · finished '}
                <When at={run.finished_at} empty="not yet" />
                <span
                  safe
                >{` · trigger ${run.trigger} · ${countOf(run.tokens.total, 'token')} in ${countOf(run.tokens.calls, 'model call')}`}</span>
              </p>
              {run.error_summary ? (
                <p class="error" safe>
                  {run.error_summary}
                </p>
              ) : (
                ''
              )}
              {OPEN_STATUSES.has(run.status) ? (
                <p class="note" data-when-done={String(run.id)} hidden>
                  <a href={`/runs/${run.id}`}>The run has ended: show its report</a>
                </p>
              ) : (
                ''
              )}
              <Actions viewer={viewer} run={detail} />
              <h2>Jobs</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Task</th>
                    <th scope="col">Status</th>
                    <th scope="col">Duration</th>
                    <th scope="col" class="num">
                      Tokens
                    </th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.map((j) => (
                    <tr>
                      <td safe>{`#${j.id}`}</td>
                      <td safe>{j.task}</td>
                      <td>
                        <StatusBadge status={j.status} jobId={j.id} />
                      </td>
                      <td>
                        <Duration ms={j.duration_ms} />
                      </td>
                      <td class="num" safe>
                        {String(j.tokens.total)}
                      </td>
                      <td safe>{j.error ? `${j.error_code ?? 'error'}: ${j.error}` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h2>Report</h2>
            {jobs.map((j) => (
              <JobReport ctx={ctx} job={j} artifacts={artifacts} parts={parts} />
            ))}
            <h2>Files</h2>
            {artifacts.length === 0 ? (
              <p class="muted">This run wrote no files.</p>
            ) : (
              <ul>
                {artifacts.map((a) => (
                  <li>
                    <a href={`/api/artifacts/${a.id}/content`} download={a.path.split('/').pop()} safe>
                      {a.path}
                    </a>
                    <span
                      class="muted"
                      safe
                    >{` ${a.mime_type}, ${a.bytes} bytes, sha256 ${a.sha256.slice(0, 12)}`}</span>
                  </li>
                ))}
              </ul>
            )}
            <h2>Directive</h2>
            <p class="muted" safe>
              {run.directive.name
                ? `${run.directive.name} v${run.directive.version} (${run.directive.level})`
                : 'Custom instruction'}
              {` · sha256 ${run.directive.sha256.slice(0, 12)}`}
            </p>
            <pre class="wrap" x-ignore safe>
              {run.directive.text}
            </pre>
          </Layout>
        ) as string;
        return htmlResponse(parts.body(page));
      },
      {
        params: IdParams,
        detail: { summary: 'Web UI: a run with its jobs, report, files and directive snapshot', tags: ['web'] },
      },
    )
    .post('/runs/:id/cancel', act('cancel'), actionOptions('Web UI: cancel a run (form)'))
    .post('/runs/:id/approve', act('approve'), actionOptions('Web UI: approve a run awaiting approval (form)'))
    .post('/runs/:id/deny', act('deny'), actionOptions('Web UI: deny a run awaiting approval (form)'));
}
