// Containers: the live inventory with its allowlist state and toggles, label opt-ins, the last triage
// per container and "followed a recreated container" notices; and inventory snapshots with a diff view.
// Everything here that comes from Docker (names, labels, images, states) is escaped.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import { ALLOW_LABEL } from '../../../docker/types.ts';
import * as allowlist from '../../../service/allowlist.ts';
import { listContainers, type ContainerView } from '../../../service/containers.ts';
import * as inventory from '../../../service/inventory.ts';
import { listTriageWindows, nextTriageWindows, type WindowView } from '../../../service/log-triage.ts';
import { AppError } from '../../../errors.ts';
import { Empty, query, When } from '../components.tsx';
import { csrfField, intOf } from '../form.ts';
import { can, CsrfField, htmlResponse, Layout, seeOther } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { ContainerTable, FollowNotices, StoredEntries } from './containers/container-table.tsx';
import { SnapshotDiff } from './containers/snapshot-diff.tsx';

/** How many triage windows are read to find each container's latest one. */
const TRIAGE_LOOKBACK = 200;
const SNAPSHOT_PAGE = 20;

/** Errors of the Docker host itself (unreachable, failing): shown on the page, not as an error page. */
function dockerProblem(err: unknown): string | null {
  if (err instanceof AppError && (err.errorCode === 'docker_unavailable' || err.errorCode === 'docker_error'))
    return err.message;
  return null;
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
              {
                'Cyber-Brain reads logs, processes and figures only of containers on the allowlist. A container opts in with the label '
              }
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
                {live.length === 0 ? (
                  <Empty>The Docker host has no containers.</Empty>
                ) : (
                  <ContainerTable
                    viewer={viewer}
                    live={live}
                    triage={triage}
                    covered={new Map(covered.map((x) => [x.container, x]))}
                  />
                )}
              </>
            ) : (
              ''
            )}
            <StoredEntries
              viewer={viewer}
              entries={detached}
              title={problem === null ? 'Allowlist entries without a live container' : 'Allowlist (as stored)'}
            />
          </Layout>,
        );
      },
      {
        detail: {
          summary: 'Web UI: containers, with allowlist toggles, label opt-ins and the last triage of each',
          tags: ['web'],
        },
      },
    )
    .post(
      '/containers/allowlist',
      async ({ body }) => {
        if (body.action === 'add') {
          await allowlist.addToAllowlist(deps, { container: body.container });
        } else {
          if (!/^[0-9a-f]{12,64}$/.test(body.container))
            throw new AppError(400, 'validation_failed', 'container: an allowlist entry is named by its container id');
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
        detail: {
          summary:
            'Web UI: add a container to the allowlist, enable, disable or remove its entry (then shows the containers)',
          tags: ['web'],
        },
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
        if (from === null || to === null)
          diffProblem = 'Snapshots are named by their numbers: choose them from the lists.';
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
            <p class="muted">
              What the Docker host looked like at a moment: containers, images, states, restarts, ports and networks.
              Runs use them to say what changed.
            </p>
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
                    <th scope="col" class="num">
                      Containers
                    </th>
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
                        <a href={`/containers/snapshots${query({ to: s.id, before: before ?? undefined })}#diff`}>
                          since the one before
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <nav class="pager" aria-label="Pages">
              {before ? <a href="/containers/snapshots">Newest</a> : ''}
              {page.next_before ? (
                <a href={`/containers/snapshots${query({ before: page.next_before })}`}>Older snapshots</a>
              ) : (
                ''
              )}
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
            {diffProblem !== null ? (
              <p class="error" safe>
                {diffProblem}
              </p>
            ) : (
              ''
            )}
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
        detail: {
          summary: 'Web UI: inventory snapshots, the take-a-snapshot form and a diff between two',
          tags: ['web'],
        },
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
