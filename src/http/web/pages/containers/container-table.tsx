// The containers page's tables: live containers with their allowlist state, label opt-in, restarts and
// last triage; allowlist entries without a live container; and "followed a recreated container" notices.
// Everything here that comes from Docker (names, labels, images, states) is escaped.
import Html from '@kitajs/html';
import { allowLabel, ALLOW_LABEL } from '../../../../docker/types.ts';
import type * as allowlist from '../../../../service/allowlist.ts';
import { OPT_IN_REASON } from '../../../../service/allowlist-follow.ts';
import type { ContainerView } from '../../../../service/containers.ts';
import type { nextTriageWindows, WindowView } from '../../../../service/log-triage.ts';
import { countOf, shortId, When } from '../../components.tsx';
import { can, CsrfField, type Viewer } from '../../page.tsx';

/** An attribute value: this JSX runtime escapes only `"` there, so Docker-derived text is escaped in full first. */
const attr = (text: string) => Html.escapeHtml(text);

type Action = 'add' | 'enable' | 'disable' | 'remove';
const ACTION_LABEL: Record<Action, string> = { add: 'Allow', enable: 'Enable', disable: 'Disable', remove: 'Remove' };

function AllowlistButton(props: { viewer: Viewer; action: Action; containerId: string; name: string }): JSX.Element {
  return (
    <form method="post" action="/containers/allowlist" class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="action" value={props.action} />
      <input type="hidden" name="container" value={props.containerId} />
      <button
        type="submit"
        class={
          props.action === 'add' || props.action === 'enable'
            ? undefined
            : props.action === 'remove'
              ? 'danger'
              : 'secondary'
        }
        aria-label={attr(`${ACTION_LABEL[props.action]} ${props.name}`)}
        safe
      >
        {ACTION_LABEL[props.action]}
      </button>
    </form>
  );
}

function AllowlistButtons(props: {
  viewer: Viewer;
  containerId: string;
  name: string;
  entry: { enabled: boolean } | null;
  optedOut: boolean;
}): JSX.Element {
  const { viewer, containerId, name, entry } = props;
  if (!can(viewer, 'operate')) return '';
  const one = (action: Action) => (
    <AllowlistButton viewer={viewer} action={action} containerId={containerId} name={name} />
  );
  if (!entry) return props.optedOut ? <span class="muted">—</span> : one('add');
  return [entry.enabled ? one('disable') : one('enable'), one('remove')].join(' ');
}

function LabelStatus(props: { labels: Record<string, string> }): JSX.Element {
  const say = allowLabel(props.labels);
  if (say === true) return <span class="ok">{`opted in (${ALLOW_LABEL}=true)`}</span>;
  if (say === false) return <span class="bad">{`opted out (${ALLOW_LABEL}=false)`}</span>;
  return <span class="muted">no label</span>;
}

function Labels(props: { labels: Record<string, string> }): JSX.Element {
  const entries = Object.entries(props.labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return (
    <details>
      <summary safe>{countOf(entries.length, 'label')}</summary>
      <ul class="labels">
        {entries.map(([k, v]) => (
          <li>
            <code safe>{`${k}=${v}`}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

function AllowlistState(props: { c: ContainerView }): JSX.Element {
  const { c } = props;
  if (c.opted_out) return <span class="bad">refused by its label</span>;
  if (!c.allowlist) return <span class="muted">not on the allowlist</span>;
  const how = c.allowlist.source === 'label' ? `added by ${OPT_IN_REASON}` : 'added by hand';
  return (
    <>
      {c.allowlist.enabled ? <span class="badge ok">allowed</span> : <span class="badge warn">disabled</span>}
      <br />
      <span class="muted" safe>{`${how}${c.allowlist.follow ? ', follows recreation' : ''}`}</span>
    </>
  );
}

/** Docker's restart count as the container's newest triage window ended (Docker's list does not carry it). */
function Restarts(props: { w: WindowView | undefined }): JSX.Element {
  const n = props.w?.restart_count;
  if (n === null || n === undefined) return '';
  return (
    <>
      <br />
      <span class={n >= 3 ? 'bad' : 'muted'} safe>{`${countOf(n, 'restart')} at the last triage`}</span>
    </>
  );
}

export type Covered = Awaited<ReturnType<typeof nextTriageWindows>>[number];

/** The container's newest triage window; else (older than the lookback) where its last success ended. */
function LastTriage(props: { w: WindowView | undefined; covered: Covered | undefined }): JSX.Element {
  const { w, covered } = props;
  if (!w && covered) {
    return (
      <>
        <When at={covered.since} />
        <br />
        <a href={`/runs/${covered.after_run_id}`} safe>{`run #${covered.after_run_id}`}</a>
      </>
    );
  }
  if (!w) return <span class="muted">never</span>;
  const outcome = w.successful
    ? `${countOf(w.errors, 'error')}, ${countOf(w.warnings, 'warning')}, ${countOf(w.new_templates, 'new pattern')}`
    : `not covered (${w.error_code ?? w.status})`;
  return (
    <>
      <When at={w.until} />
      <br />
      <a href={`/runs/${w.run_id}`} safe>{`run #${w.run_id}`}</a>
      <span class={w.successful ? 'muted' : 'bad'} safe>{` · ${outcome}`}</span>
    </>
  );
}

export function FollowNotices(props: { follows: allowlist.AllowlistHistoryView[] }): JSX.Element {
  if (props.follows.length === 0) return '';
  return (
    <section class="card" aria-labelledby="followed-heading">
      <h2 id="followed-heading">Followed recreated containers</h2>
      <ul>
        {props.follows.map((f) => (
          <li data-followed={f.container_id}>
            <When at={f.at} />
            <span safe>{` · the allowlist entry of ${f.name} followed its recreated container (${f.reason}): `}</span>
            <code safe>{shortId(f.previous_container_id ?? '')}</code>
            {' → '}
            <code safe>{shortId(f.container_id)}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ContainerTable(props: {
  viewer: Viewer;
  live: ContainerView[];
  triage: Map<string, WindowView>;
  covered: Map<string, Covered>;
}): JSX.Element {
  const operate = can(props.viewer, 'operate');
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Container</th>
          <th scope="col">Image</th>
          <th scope="col">State</th>
          <th scope="col">Label opt-in</th>
          <th scope="col">Allowlist</th>
          <th scope="col">Last triage</th>
          {operate ? <th scope="col">Change</th> : ''}
        </tr>
      </thead>
      <tbody>
        {props.live.map((c) => (
          <tr data-container-id={c.id}>
            <td>
              <strong safe>{c.name}</strong>
              <br />
              <code class="muted" title={c.id} safe>
                {shortId(c.id)}
              </code>
              {c.compose_project ? (
                <span class="muted" safe>{` · ${c.compose_project}/${c.compose_service ?? '?'}`}</span>
              ) : (
                ''
              )}
              <Labels labels={c.labels} />
            </td>
            <td>
              {/^sha256:[0-9a-f]{64}$/.test(c.image) ? (
                <code title={c.image} safe>
                  {c.image.slice(0, 19)}
                </code>
              ) : (
                <span class="wrap" safe>
                  {c.image}
                </span>
              )}
            </td>
            <td>
              <span safe>{c.state}</span>
              <br />
              <span class="muted" safe>
                {c.status}
              </span>
              <Restarts w={props.triage.get(c.name)} />
            </td>
            <td>
              <LabelStatus labels={c.labels} />
            </td>
            <td>
              <AllowlistState c={c} />
            </td>
            <td>
              <LastTriage w={props.triage.get(c.name)} covered={props.covered.get(c.name)} />
            </td>
            {operate ? (
              <td>
                <AllowlistButtons
                  viewer={props.viewer}
                  containerId={c.id}
                  name={c.name}
                  entry={c.allowlist}
                  optedOut={c.opted_out}
                />
              </td>
            ) : (
              ''
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Allowlist entries with no live container (removed, or Docker unreachable). */
export function StoredEntries(props: {
  viewer: Viewer;
  entries: allowlist.AllowlistEntryView[];
  title: string;
}): JSX.Element {
  if (props.entries.length === 0) return '';
  const operate = can(props.viewer, 'operate');
  return (
    <>
      <h2 safe>{props.title}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Container id</th>
            <th scope="col">State</th>
            <th scope="col">Source</th>
            <th scope="col">Description</th>
            {operate ? <th scope="col">Change</th> : ''}
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr data-entry-id={e.container_id}>
              <td safe>{e.name}</td>
              <td>
                <code title={e.container_id} safe>
                  {shortId(e.container_id)}
                </code>
              </td>
              <td>{e.enabled ? <span class="badge ok">allowed</span> : <span class="badge warn">disabled</span>}</td>
              <td>{e.source === 'label' ? OPT_IN_REASON : 'added by hand'}</td>
              <td safe>{e.description}</td>
              {operate ? (
                <td>
                  <AllowlistButtons
                    viewer={props.viewer}
                    containerId={e.container_id}
                    name={e.name}
                    entry={e}
                    optedOut={false}
                  />
                </td>
              ) : (
                ''
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
