// Containers: the live inventory with its allowlist state and toggles, label opt-ins, the last triage
// per container and "followed a recreated container" notices; and inventory snapshots with a diff view.
// Everything here that comes from Docker (names, labels, images, states) is escaped.
import Html from '@kitajs/html';
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app.ts';
import { allowLabel, ALLOW_LABEL } from '../../../docker/types.ts';
import type { InventoryDiff } from '../../../inventory/diff.ts';
import * as allowlist from '../../../service/allowlist.ts';
import { OPT_IN_REASON } from '../../../service/allowlist-follow.ts';
import { listContainers, type ContainerView } from '../../../service/containers.ts';
import * as inventory from '../../../service/inventory.ts';
import { listTriageWindows, nextTriageWindows, type WindowView } from '../../../service/log-triage.ts';
import { AppError } from '../../errors.ts';
import { countOf, Empty, query, When } from '../components.tsx';
import { csrfField } from '../form.ts';
import { can, CsrfField, htmlResponse, Layout, seeOther, type Viewer } from '../page.tsx';
import { viewerOf } from '../viewer.ts';

/** An attribute value: this JSX runtime escapes only `"` there, so Docker-derived text is escaped in full first. */
const attr = (text: string) => Html.escapeHtml(text);
const shortId = (id: string) => id.slice(0, 12);
/** How many triage windows are read to find each container's latest one. */
const TRIAGE_LOOKBACK = 200;
const SNAPSHOT_PAGE = 20;

/** Errors of the Docker host itself (unreachable, failing): shown on the page, not as an error page. */
function dockerProblem(err: unknown): string | null {
  if (err instanceof AppError && (err.errorCode === 'docker_unavailable' || err.errorCode === 'docker_error')) return err.message;
  return null;
}

/** A positive integer from a query field; undefined when empty, null when not a number. */
function intOf(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

type Action = 'add' | 'enable' | 'disable' | 'remove';
const ACTION_LABEL: Record<Action, string> = { add: 'Allow', enable: 'Enable', disable: 'Disable', remove: 'Remove' };

function AllowlistButton(props: { viewer: Viewer; action: Action; containerId: string; name: string }): JSX.Element {
  return (
    <form method="post" action="/containers/allowlist" class="inline">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="action" value={props.action} />
      <input type="hidden" name="container" value={props.containerId} />
      <button type="submit" class={props.action === 'add' || props.action === 'enable' ? undefined : props.action === 'remove' ? 'danger' : 'secondary'} aria-label={attr(`${ACTION_LABEL[props.action]} ${props.name}`)} safe>
        {ACTION_LABEL[props.action]}
      </button>
    </form>
  );
}

function AllowlistButtons(props: { viewer: Viewer; containerId: string; name: string; entry: { enabled: boolean } | null; optedOut: boolean }): JSX.Element {
  const { viewer, containerId, name, entry } = props;
  if (!can(viewer, 'operate')) return '';
  const one = (action: Action) => <AllowlistButton viewer={viewer} action={action} containerId={containerId} name={name} />;
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

type Covered = Awaited<ReturnType<typeof nextTriageWindows>>[number];

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
  const outcome = w.successful ? `${countOf(w.errors, 'error')}, ${countOf(w.warnings, 'warning')}, ${countOf(w.new_templates, 'new pattern')}` : `not covered (${w.error_code ?? w.status})`;
  return (
    <>
      <When at={w.until} />
      <br />
      <a href={`/runs/${w.run_id}`} safe>{`run #${w.run_id}`}</a>
      <span class={w.successful ? 'muted' : 'bad'} safe>{` · ${outcome}`}</span>
    </>
  );
}

function FollowNotices(props: { follows: allowlist.AllowlistHistoryView[] }): JSX.Element {
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

function ContainerTable(props: { viewer: Viewer; live: ContainerView[]; triage: Map<string, WindowView>; covered: Map<string, Covered> }): JSX.Element {
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
              {c.compose_project ? <span class="muted" safe>{` · ${c.compose_project}/${c.compose_service ?? '?'}`}</span> : ''}
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
                <AllowlistButtons viewer={props.viewer} containerId={c.id} name={c.name} entry={c.allowlist} optedOut={c.opted_out} />
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
function StoredEntries(props: { viewer: Viewer; entries: allowlist.AllowlistEntryView[]; title: string }): JSX.Element {
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
                  <AllowlistButtons viewer={props.viewer} containerId={e.container_id} name={e.name} entry={e} optedOut={false} />
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

const DIFF_SECTIONS: { key: keyof InventoryDiff; title: string }[] = [
  { key: 'added', title: 'Added' },
  { key: 'removed', title: 'Removed' },
  { key: 'recreated', title: 'Recreated' },
  { key: 'image_changed', title: 'Image changed' },
  { key: 'restarted', title: 'Restarted' },
  { key: 'state_changed', title: 'State changed' },
  { key: 'ports_changed', title: 'Ports changed' },
  { key: 'networks_changed', title: 'Networks changed' },
];

const portsText = (ports: { private_port: number; type: string; public_port: number | null; ip: string | null }[]) =>
  ports.length === 0 ? 'none' : ports.map((p) => (p.public_port ? `${p.ip ?? ''}:${p.public_port}->${p.private_port}/${p.type}` : `${p.private_port}/${p.type}`)).join(', ');

/** One change as a line of text (escaped by the caller). */
function changeText(key: keyof InventoryDiff, change: unknown): string {
  switch (key) {
    case 'added':
    case 'removed': {
      const c = change as InventoryDiff['added'][number];
      return `${c.name} (${c.image}, ${shortId(c.id)})`;
    }
    case 'recreated': {
      const c = change as InventoryDiff['recreated'][number];
      return `${c.name}: ${shortId(c.from.id)} → ${shortId(c.to.id)}, matched by ${c.matched_by === 'name' ? 'name' : 'compose service'}${c.image_changed ? `, image ${c.from.image} → ${c.to.image}` : ''}`;
    }
    case 'image_changed': {
      const c = change as InventoryDiff['image_changed'][number];
      return `${c.name}: ${c.from_image} (${shortId(c.from_image_id.replace(/^sha256:/, ''))}) → ${c.to_image} (${shortId(c.to_image_id.replace(/^sha256:/, ''))})`;
    }
    case 'restarted': {
      const c = change as InventoryDiff['restarted'][number];
      return `${c.name}: restart count ${c.from_restart_count} → ${c.to_restart_count}${c.to_started_at ? `, started ${c.to_started_at}` : ''}`;
    }
    case 'state_changed': {
      const c = change as InventoryDiff['state_changed'][number];
      const health = c.from_health !== c.to_health ? `, health ${c.from_health ?? 'none'} → ${c.to_health ?? 'none'}` : '';
      const exit = c.exit_code !== null && c.to_state === 'exited' ? `, exit code ${c.exit_code}` : '';
      return `${c.name}: ${c.from_state} → ${c.to_state}${health}${exit}${c.oom_killed ? ', killed for memory' : ''}`;
    }
    case 'ports_changed': {
      const c = change as InventoryDiff['ports_changed'][number];
      return `${c.name}: ${portsText(c.from)} → ${portsText(c.to)}`;
    }
    case 'networks_changed': {
      const c = change as InventoryDiff['networks_changed'][number];
      return `${c.name}: ${c.from.join(', ') || 'none'} → ${c.to.join(', ') || 'none'}`;
    }
  }
}

function SnapshotDiff(props: { diff: inventory.DiffView }): JSX.Element {
  const { diff } = props;
  const total = Object.values(diff.counts).reduce((a, b) => a + b, 0);
  return (
    <section class="card" data-diff-from={String(diff.from.id)} data-diff-to={String(diff.to.id)}>
      <h3 safe>{`Snapshot #${diff.from.id} → #${diff.to.id}`}</h3>
      <p class="muted">
        <When at={diff.from.taken_at} />
        {' → '}
        <When at={diff.to.taken_at} />
        <span safe>{` · ${diff.from.container_count} → ${diff.to.container_count} containers`}</span>
      </p>
      {total === 0 ? (
        <p>Nothing changed.</p>
      ) : (
        DIFF_SECTIONS.filter((s) => diff.counts[s.key] > 0)
          .map((s) => (
            <>
              <h4 safe>{`${s.title} (${diff.counts[s.key]})`}</h4>
              <ul data-change={s.key}>
                {(diff.changes[s.key] as unknown[]).map((ch) => (
                  <li safe>{changeText(s.key, ch)}</li>
                ))}
              </ul>
            </>
          ))
      )}
    </section>
  );
}

export function containersPages(deps: AppDeps) {
  return new Elysia()
    .get(
      '/containers',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        let live: ContainerView[] = [];
        let problem: string | null = null;
        try {
          live = await listContainers(deps);
        } catch (err) {
          problem = dockerProblem(err);
          if (problem === null) throw err;
        }
        const [entries, follows, windows, covered] = await Promise.all([
          allowlist.listAllowlist(deps),
          allowlist.recentAllowlistHistory(deps, 'followed', 10),
          listTriageWindows(deps, { limit: TRIAGE_LOOKBACK }),
          problem === null ? nextTriageWindows(deps) : Promise.resolve([]),
        ]);
        const triage = new Map<string, WindowView>();
        for (const w of windows.items) if (!triage.has(w.container)) triage.set(w.container, w); // newest first
        const liveIds = new Set(live.map((x) => x.id));
        const detached = entries.filter((e) => !liveIds.has(e.container_id));
        return htmlResponse(
          <Layout title="Containers" active="/containers" viewer={viewer}>
            <h1>Containers</h1>
            <p class="muted">
              {'Cyber-Brain reads logs, processes and figures only of containers on the allowlist. A container opts in with the label '}
              <code>{`${ALLOW_LABEL}=true`}</code>
              {' and out with '}
              <code>{`${ALLOW_LABEL}=false`}</code>
              {'. '}
              <a href="/containers/snapshots">Inventory snapshots</a>
            </p>
            {problem !== null ? (
              <div class="card error" role="alert">
                <p>
                  <strong>Docker is unreachable, so the live inventory cannot be shown.</strong>
                </p>
                <p safe>{problem}</p>
              </div>
            ) : (
              ''
            )}
            <FollowNotices follows={follows} />
            {problem === null ? (
              <>
                <h2>Live inventory</h2>
                {live.length === 0 ? <Empty>The Docker host has no containers.</Empty> : <ContainerTable viewer={viewer} live={live} triage={triage} covered={new Map(covered.map((x) => [x.container, x]))} />}
              </>
            ) : (
              ''
            )}
            <StoredEntries viewer={viewer} entries={detached} title={problem === null ? 'Allowlist entries without a live container' : 'Allowlist (as stored)'} />
          </Layout>,
        );
      },
      { detail: { summary: 'Web UI: containers, with allowlist toggles, label opt-ins and the last triage of each', tags: ['web'] } },
    )
    .post(
      '/containers/allowlist',
      async ({ body }) => {
        if (body.action === 'add') {
          await allowlist.addToAllowlist(deps, { container: body.container });
        } else {
          if (!/^[0-9a-f]{12,64}$/.test(body.container)) throw new AppError(400, 'validation_failed', 'container: an allowlist entry is named by its container id');
          if (body.action === 'remove') await allowlist.removeFromAllowlist(deps, body.container);
          else await allowlist.updateAllowlistEntry(deps, body.container, { enabled: body.action === 'enable' });
        }
        return seeOther('/containers');
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          action: t.Union([t.Literal('add'), t.Literal('enable'), t.Literal('disable'), t.Literal('remove')]),
          container: allowlist.ContainerRef,
        }),
        detail: { summary: 'Web UI: add a container to the allowlist, enable, disable or remove its entry (then shows the containers)', tags: ['web'] },
      },
    )
    .get(
      '/containers/snapshots',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        const before = intOf(c.query.before);
        const from = intOf(c.query.from);
        const to = intOf(c.query.to);
        const page = await inventory.listSnapshots(deps, { limit: SNAPSHOT_PAGE, before: before ?? undefined });
        let diff: inventory.DiffView | null = null;
        let diffProblem: string | null = null;
        if (from === null || to === null) diffProblem = 'Snapshots are named by their numbers: choose them from the lists.';
        else if (page.items.length >= 2 || from !== undefined || to !== undefined) {
          try {
            diff = await inventory.diffSnapshots(deps, { from, to });
          } catch (err) {
            if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 409)) throw err;
            diffProblem = err.message;
          }
        }
        const choices = page.items;
        return htmlResponse(
          <Layout title="Inventory snapshots" active="/containers" viewer={viewer}>
            <p>
              <a href="/containers">← Containers</a>
            </p>
            <h1>Inventory snapshots</h1>
            <p class="muted">What the Docker host looked like at a moment: containers, images, states, restarts, ports and networks. Runs use them to say what changed.</p>
            {can(viewer, 'operate') ? (
              <form method="post" action="/containers/snapshots" class="inline">
                <CsrfField viewer={viewer} />
                <button type="submit">Take a snapshot now</button>
              </form>
            ) : (
              ''
            )}
            <h2>Snapshots</h2>
            {choices.length === 0 ? (
              <Empty>No snapshots yet.</Empty>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Snapshot</th>
                    <th scope="col">Taken</th>
                    <th scope="col">Docker host</th>
                    <th scope="col" class="num">Containers</th>
                    <th scope="col">Changes</th>
                  </tr>
                </thead>
                <tbody>
                  {choices.map((s) => (
                    <tr data-snapshot-id={String(s.id)}>
                      <td safe>{`#${s.id}`}</td>
                      <td>
                        <When at={s.taken_at} />
                      </td>
                      <td safe>{s.docker_host}</td>
                      <td class="num" safe>
                        {String(s.container_count)}
                      </td>
                      <td>
                        <a href={`/containers/snapshots${query({ to: s.id, before: before ?? undefined })}#diff`}>since the one before</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <nav class="pager" aria-label="Pages">
              {before ? <a href="/containers/snapshots">Newest</a> : ''}
              {page.next_before ? <a href={`/containers/snapshots${query({ before: page.next_before })}`}>Older snapshots</a> : ''}
            </nav>
            <h2 id="diff">Compare snapshots</h2>
            {choices.length >= 2 ? (
              <form method="get" action="/containers/snapshots" class="filters" aria-label="Compare snapshots">
                {before ? <input type="hidden" name="before" value={String(before)} /> : ''}
                <label>
                  From snapshot
                  <select name="from">
                    <option value="">the one before</option>
                    {choices.map((s) => (
                      <option value={String(s.id)} selected={diff?.from.id === s.id} safe>{`#${s.id}`}</option>
                    ))}
                  </select>
                </label>
                <label>
                  To snapshot
                  <select name="to">
                    <option value="">the latest</option>
                    {choices.map((s) => (
                      <option value={String(s.id)} selected={diff?.to.id === s.id} safe>{`#${s.id}`}</option>
                    ))}
                  </select>
                </label>
                <button type="submit" class="secondary">
                  Compare
                </button>
              </form>
            ) : (
              ''
            )}
            {diffProblem !== null ? <p class="error" safe>{diffProblem}</p> : ''}
            {diff ? <SnapshotDiff diff={diff} /> : ''}
          </Layout>,
        );
      },
      {
        query: t.Object({
          from: t.Optional(t.String({ maxLength: 16 })),
          to: t.Optional(t.String({ maxLength: 16 })),
          before: t.Optional(t.String({ maxLength: 16 })),
        }),
        detail: { summary: 'Web UI: inventory snapshots, the take-a-snapshot form and a diff between two', tags: ['web'] },
      },
    )
    .post(
      '/containers/snapshots',
      async () => {
        const taken = await inventory.takeSnapshot(deps);
        return seeOther(`/containers/snapshots${query({ to: taken.id })}#diff`);
      },
      {
        parse: 'urlencoded',
        body: t.Object(csrfField),
        detail: { summary: 'Web UI: take an inventory snapshot now (then shows what changed)', tags: ['web'] },
      },
    );
}
