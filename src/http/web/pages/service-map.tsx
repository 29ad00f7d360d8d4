// Service map: the latest successful service_map job's map drawn as an SVG graph, exposures
// highlighted in the picture and listed in a table (readable without the picture), the findings,
// containers and edges in words, and "Run now".
import { Elysia } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import * as serviceMap from '../../../service/service-map.ts';
import { countOf, Empty, StatusBadge, When } from '../components.tsx';
import { can, CsrfField, htmlResponse, Layout, type Viewer } from '../page.tsx';
import { exposedContainers, HOST_NETWORK, ServiceGraph } from '../service-graph.tsx';
import { viewerOf } from '../viewer.ts';
import { serviceContext } from '../../../service/context.ts';

const TASK = serviceMap.SERVICE_MAP_TASK;
type MapView = serviceMap.ServiceMapView;

const BINDING_TEXT = { all_interfaces: 'all interfaces', lan: 'a LAN address', loopback: 'loopback only' } as const;

function RunMap(props: { viewer: Viewer; deps: AppDeps }): JSX.Element {
  if (!can(props.viewer, 'operate') || !props.deps.tasks.get(TASK)) return '';
  return (
    <form method="post" action="/runs" class="filters">
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="tasks" value={TASK} />
      <label>
        Scope
        <select name="service_map_scope">
          <option value="allowlist">allowlisted containers</option>
          <option value="all">every container (metadata only off the allowlist)</option>
        </select>
      </label>
      <button type="submit" aria-label="Run the service map now">
        Run now
      </button>
    </form>
  );
}

interface ExposureRow {
  container: string;
  kind: string;
  where: string;
  port: string;
  reach: string;
  exposed: boolean;
  /** The container's state: a stopped one exposes nothing until it starts again. */
  state: string;
}

function exposureRows(map: MapView): ExposureRow[] {
  const states = new Map(map.nodes.filter((n) => n.type === 'container').map((n) => [n.label, n.state ?? '']));
  const out: ExposureRow[] = map.exposures.map((x) => ({
    container: x.container,
    kind: 'published port',
    where: `${x.host_ip}:${x.host_port}`,
    port: `${x.container_port}/${x.proto}`,
    reach: BINDING_TEXT[x.binding],
    exposed: x.binding !== 'loopback',
    state: states.get(x.container) ?? '',
  }));
  for (const e of map.edges) {
    if (e.kind !== 'attached' || e.to !== HOST_NETWORK || !e.from.startsWith('container:')) continue;
    const name = e.from.slice('container:'.length);
    out.push({
      container: name,
      kind: 'host network',
      where: 'every host address',
      port: 'all',
      reach: "the host's network stack",
      exposed: true,
      state: states.get(name) ?? '',
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.exposed) - Number(a.exposed) || a.container.localeCompare(b.container) || a.where.localeCompare(b.where),
  );
}

function MapSections(props: { map: MapView; runId: number }): JSX.Element {
  const { map } = props;
  const containers = map.nodes.filter((n) => n.type === 'container');
  const count = (t: string) => map.nodes.filter((n) => n.type === t).length;
  const exposed = exposedContainers(map);
  const rows = exposureRows(map);
  const networksOf = (id: string) =>
    map.edges
      .filter((e) => e.kind === 'attached' && e.from === id)
      .map((e) => e.to.replace(/^network:/, ''))
      .join(', ');
  const title = `Service map: ${countOf(containers.length, 'container')}, ${countOf(count('network'), 'network')}, ${countOf(count('volume'), 'volume')}, ${countOf(count('port'), 'published port')}; ${exposed.size} exposed`;
  return (
    <>
      <p class="muted">
        <span safe>{`Scope ${map.scope} on ${map.docker_host}, taken `}</span>
        <When at={map.generated_at} />
        {', from '}
        <a href={`/runs/${props.runId}`} safe>{`run #${props.runId}`}</a>
        {'.'}
      </p>
      <section aria-labelledby="picture">
        <h2 id="picture">Picture</h2>
        {map.nodes.length === 0 ? (
          <Empty>The map is empty: no container was in scope.</Empty>
        ) : (
          <>
            <ServiceGraph map={map} title={title} />
            <p class="muted">
              Published ports on the left, containers in the middle, networks and volumes on the right. The arrows left
              of the containers are dependencies (solid: depends_on, dotted: link, dashed: an environment variable
              naming the other container). A red outline marks an exposure: a port published beyond loopback, or the
              host network. Dashed containers are seen by metadata only (off the allowlist).
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="exposures">
        <h2 id="exposures">Exposures</h2>
        {rows.length === 0 ? (
          <Empty>No published port and no container on the host network.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Container</th>
                <th scope="col">Kind</th>
                <th scope="col">On the host</th>
                <th scope="col">Container port</th>
                <th scope="col">Reachable from</th>
                <th scope="col">Container state</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr class={r.exposed ? 'exposed' : undefined}>
                  <td safe>{r.container}</td>
                  <td safe>{r.kind}</td>
                  <td>
                    <code safe>{r.where}</code>
                  </td>
                  <td safe>{r.port}</td>
                  <td>
                    {r.exposed ? (
                      <span class="badge bad" safe>
                        {r.reach}
                      </span>
                    ) : (
                      <span class="muted" safe>
                        {r.reach}
                      </span>
                    )}
                  </td>
                  <td safe>
                    {r.state === 'running' || r.state === '' ? r.state : `${r.state} (exposed once started)`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="findings">
        <h2 id="findings">Findings</h2>
        {map.findings.length === 0 ? (
          <Empty>Nothing needs attention.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Kind</th>
                <th scope="col">Subject</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {map.findings.map((f) => (
                <tr>
                  <td>
                    <span
                      class={`badge ${f.severity === 'high' ? 'bad' : f.severity === 'medium' ? 'warn' : 'muted'}`}
                      safe
                    >
                      {f.severity}
                    </span>
                  </td>
                  <td safe>{f.kind.replaceAll('_', ' ')}</td>
                  <td safe>{f.subject}</td>
                  <td safe>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="containers">
        <h2 id="containers">Containers</h2>
        {containers.length === 0 ? (
          <Empty>No container in scope.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Container</th>
                <th scope="col">State</th>
                <th scope="col" class="num">
                  Restarts
                </th>
                <th scope="col">Compose</th>
                <th scope="col">Networks</th>
                <th scope="col">Inside read</th>
              </tr>
            </thead>
            <tbody>
              {containers.map((c) => (
                <tr>
                  <td safe>{c.label}</td>
                  <td safe>{[c.state, c.health].filter(Boolean).join(', ')}</td>
                  <td class="num" safe>
                    {String(c.restart_count ?? 0)}
                  </td>
                  <td safe>{[c.compose_project, c.compose_service].filter(Boolean).join('/')}</td>
                  <td safe>{networksOf(c.id)}</td>
                  <td safe>{c.allowlisted === false ? 'metadata only' : 'allowlisted'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="edges">
        <h2 id="edges">Edges</h2>
        {map.edges.length === 0 ? (
          <Empty>No edge.</Empty>
        ) : (
          <details>
            <summary safe>{`All ${map.edges.length} edges with their evidence`}</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                {map.edges.map((e) => (
                  <tr>
                    <td safe>{e.from}</td>
                    <td safe>{e.to}</td>
                    <td safe>{e.kind.replaceAll('_', ' ')}</td>
                    <td safe>{e.evidence.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </section>
    </>
  );
}

export function serviceMapPages(deps: AppDeps) {
  const ctx = serviceContext(deps);
  return new Elysia().get(
    '/service-map',
    async (c) => {
      const viewer = viewerOf(c, deps.config);
      const { map, run_id: runId, newest_run: newest } = await serviceMap.latestServiceMap(ctx);
      return htmlResponse(
        <Layout title="Service map" active="/service-map" viewer={viewer}>
          <h1>Service map</h1>
          <RunMap viewer={viewer} deps={deps} />
          {newest && newest.id !== runId ? (
            <p class="muted">
              {'The newest service map run, '}
              <a href={`/runs/${newest.id}`} safe>{`#${newest.id}`}</a>
              {', is '}
              <StatusBadge status={newest.status} runId={newest.id} />
              {map ? '; the map below is the latest that succeeded.' : '.'}
            </p>
          ) : (
            ''
          )}
          {map && runId !== null ? (
            <MapSections map={map} runId={runId} />
          ) : (
            <Empty>No service map yet. Run the service map task to draw how the containers hang together.</Empty>
          )}
        </Layout>,
      );
    },
    { detail: { summary: 'Web UI: the latest service map as a picture, exposures highlighted', tags: ['web'] } },
  );
}
