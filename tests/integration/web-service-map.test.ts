// The Service map page through app.handle(): the empty state with "Run now", a map from a real run
// drawn as SVG (containers, networks, volumes, ports as nodes; dependencies as arrows) with exposures
// highlighted and listed in a table, a newer failed or damaged run not hiding the last good map, and
// hostile container names and labels escaped in the picture and the tables.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { EventBus } from '../../src/events/bus.ts';
import { Value } from '@sinclair/typebox/value';
import { layoutServiceMap } from '../../src/http/web/service-graph.tsx';
import { ServiceMapView } from '../../src/service/service-map.ts';
import type { Runner } from '../../src/runner/runner.ts';
import { mapFindings } from '../../src/servicemap/findings.ts';
import type { ServiceMap } from '../../src/servicemap/types.ts';
import { TaskRegistry } from '../../src/tasks/registry.ts';
import { apiRequest, buildTestApp } from '../support/app.ts';
import { cannedTask } from '../support/canned-task.ts';
import { openTestDatabase, type TestDatabase } from '../support/db.ts';
import { testRunner, waitFor } from '../support/runner.ts';
import { getPage, postForm, signIn, type BrowserSession } from '../support/web.ts';

const ADMIN = 'web-map-admin-token-0123456789abcdef';
const logsDir = mkdtempSync(join(tmpdir(), 'cb-web-map-'));
const canned = cannedTask('service_map', 'service_map/services.json');
const events = new EventBus();
let db: TestDatabase;
let app: App;
let runner: Runner;
let session: BrowserSession;

const api = async (method: string, path: string, body?: unknown, token = ADMIN) => {
  const res = await app.handle(apiRequest(method, path, body, { authorization: `Bearer ${token}` }));
  return { status: res.status, json: (await res.json()) as any };
};

/** Launches a service map from the page's own form and waits for the run to end. */
async function runMap(next: unknown): Promise<number> {
  canned.next = next;
  const res = await postForm(app, '/runs', { tasks: 'service_map', service_map_scope: 'all' }, session);
  expect(res.status).toBe(303);
  const id = Number(res.location!.split('/').pop());
  await waitFor(`run ${id} to end`, async () =>
    ['success', 'partial', 'failed'].includes((await api('GET', `/api/runs/${id}`)).json.status),
  );
  return id;
}

function withFindings(map: Omit<ServiceMap, 'findings'>): ServiceMap & { generated_at: string; docker_host: string } {
  return {
    generated_at: '2026-03-01T10:00:00.000Z',
    docker_host: 'unix:///var/run/docker.sock',
    previous_map_job: null,
    ...map,
    findings: mapFindings(map, null),
  } as never;
}

const container = (name: string, extra: Partial<ServiceMap['nodes'][number]> = {}) => ({
  id: `container:${name}`,
  type: 'container' as const,
  label: name,
  allowlisted: true,
  state: 'running',
  health: null,
  restart_count: 0,
  compose_project: 'media',
  compose_service: name,
  ...extra,
});

/** web publishes 0.0.0.0:8080 and depends on db; db publishes on loopback only; probe (stopped) is on the host network. */
const HOME_LAB = withFindings({
  scope: 'all',
  nodes: [
    container('web'),
    container('db', { health: 'unhealthy' }),
    container('probe', { compose_project: null, compose_service: null, allowlisted: false, state: 'exited' }),
    { id: 'network:media_default', type: 'network', label: 'media_default', internal: false, driver: 'bridge' },
    { id: 'network:host', type: 'network', label: 'host', internal: false, driver: 'host' },
    { id: 'volume:dbdata', type: 'volume', label: 'dbdata' },
    { id: 'port:0.0.0.0:8080/tcp', type: 'port', label: '0.0.0.0:8080/tcp' },
    { id: 'port:127.0.0.1:5432/tcp', type: 'port', label: '127.0.0.1:5432/tcp' },
  ],
  edges: [
    { from: 'container:web', to: 'network:media_default', kind: 'attached', evidence: ['network media_default'] },
    { from: 'container:db', to: 'network:media_default', kind: 'attached', evidence: ['network media_default'] },
    { from: 'container:probe', to: 'network:host', kind: 'attached', evidence: ['network host'] },
    { from: 'container:db', to: 'volume:dbdata', kind: 'mounts', evidence: ['mounted at /var/lib/postgresql/data'] },
    {
      from: 'container:web',
      to: 'container:db',
      kind: 'depends_on',
      evidence: ['label com.docker.compose.depends_on names db'],
    },
    { from: 'container:db', to: 'container:web', kind: 'network', evidence: ['network media_default'] },
    { from: 'port:0.0.0.0:8080/tcp', to: 'container:web', kind: 'publishes', evidence: ['0.0.0.0:8080 -> 80/tcp'] },
    {
      from: 'port:127.0.0.1:5432/tcp',
      to: 'container:db',
      kind: 'publishes',
      evidence: ['127.0.0.1:5432 -> 5432/tcp'],
    },
  ],
  exposures: [
    { container: 'db', host_ip: '127.0.0.1', host_port: 5432, container_port: 5432, proto: 'tcp', binding: 'loopback' },
    {
      container: 'web',
      host_ip: '0.0.0.0',
      host_port: 8080,
      container_port: 80,
      proto: 'tcp',
      binding: 'all_interfaces',
    },
  ],
});

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(2)>';
const JS = 'javascript:alert(3)';
const HOSTILE = withFindings({
  scope: 'all',
  nodes: [
    container(SCRIPT, { compose_project: IMG, compose_service: JS, state: IMG }),
    container(IMG, { health: SCRIPT }),
    { id: `network:${IMG}`, type: 'network', label: IMG, internal: true, driver: SCRIPT },
    { id: `volume:${SCRIPT}`, type: 'volume', label: SCRIPT },
    { id: 'port:0.0.0.0:9000/tcp', type: 'port', label: '0.0.0.0:9000/tcp' },
  ],
  edges: [
    { from: `container:${SCRIPT}`, to: `network:${IMG}`, kind: 'attached', evidence: [`network ${IMG}`] },
    { from: `container:${IMG}`, to: `volume:${SCRIPT}`, kind: 'mounts', evidence: [`mounted at ${SCRIPT}`] },
    { from: `container:${SCRIPT}`, to: `container:${IMG}`, kind: 'env', evidence: [`env URL names ${IMG}`] },
    {
      from: 'port:0.0.0.0:9000/tcp',
      to: `container:${SCRIPT}`,
      kind: 'publishes',
      evidence: [`0.0.0.0:9000 -> 90/${JS}`],
    },
  ],
  exposures: [
    {
      container: SCRIPT,
      host_ip: '0.0.0.0',
      host_port: 9000,
      container_port: 90,
      proto: 'tcp',
      binding: 'all_interfaces',
    },
  ],
});

beforeAll(async () => {
  db = await openTestDatabase();
  const tasks = new TaskRegistry().register(canned.task);
  app = buildTestApp(db, { tasks, events, config: { ...loadConfig({ CYBER_BRAIN_TOKEN: ADMIN }), logsDir } });
  runner = testRunner({ db, tasks, events, logsDir });
  await runner.start();
  session = await signIn(app, ADMIN);
});
afterAll(async () => {
  await runner.stop();
  await db.close();
  rmSync(logsDir, { recursive: true, force: true });
});

describe('service map page', () => {
  test('before any map: an empty state and a Run now form for service_map; a read-only viewer gets no form', async () => {
    const page = await getPage(app, '/service-map', session);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<title>Service map · Cyber-Brain</title>');
    expect(page.html).toContain('No service map yet');
    expect(page.html).toContain('action="/runs"');
    expect(page.html).toContain('name="tasks" value="service_map"');
    expect(page.html).toContain(`name="_csrf" value="${session.csrf}"`);
    expect(page.html).not.toContain('<svg');

    const reader = (await api('POST', '/api/tokens', { name: 'map-reader', scope: 'read' })).json.token as string;
    const asReader = await getPage(app, '/service-map', await signIn(app, reader));
    expect(asReader.status).toBe(200);
    expect(asReader.html).toContain('No service map yet');
    expect(asReader.html).not.toContain('action="/runs"');
  });

  test('a map from a run is drawn: nodes for containers, networks, volumes and ports; exposures highlighted and listed', async () => {
    const runId = await runMap(HOME_LAB);
    const page = await getPage(app, '/service-map', session);
    expect(page.status).toBe(200);
    const html = page.html;
    expect(html).toContain(`href="/runs/${runId}"`);
    const svg = html.slice(
      html.indexOf('<svg class="chart service-map"'),
      html.indexOf('</svg>', html.indexOf('<svg class="chart service-map"')) + 6,
    );
    expect(svg).toContain('role="img"');
    // one node per container, network, volume and port
    expect(svg.match(/<g class="node container/g)?.length).toBe(3);
    expect(svg.match(/<g class="node network/g)?.length).toBe(2);
    expect(svg.match(/<g class="node volume/g)?.length).toBe(1);
    expect(svg.match(/<g class="node port/g)?.length).toBe(2);
    // web publishes on every interface and probe sits on the host network: exposed; db only on loopback
    expect(svg.match(/<g class="node container exposed/g)?.length).toBe(2);
    expect(svg).toMatch(/<g class="node container exposed"><title>container web /);
    expect(svg).toMatch(/<g class="node container exposed metadata-only"><title>container probe /);
    expect(svg).toMatch(/<g class="node container"><title>container db /);
    expect(svg).toContain('<g class="node port exposed"><title>published port 0.0.0.0:8080/tcp');
    expect(svg).toContain('<g class="node port"><title>published port 127.0.0.1:5432/tcp');
    expect(svg).toContain('<g class="node network exposed"><title>network host');
    // the dependency is an arrow; the shared-network edge between two containers is the shared node instead
    expect(svg).toContain('class="edge edge-depends_on" d="M');
    expect(svg).toContain('marker-end="url(#service-map-arrow)"');
    expect(svg).not.toContain('edge-network"');
    expect(svg).toContain('class="edge edge-publishes exposed"');
    expect(svg).toContain('class="edge edge-attached exposed"');

    // readable without the picture: the exposures table, findings, containers
    const exposures = html.slice(html.indexOf('id="exposures"'), html.indexOf('id="findings"'));
    expect(exposures).toContain('<th scope="col">Container</th>');
    expect(exposures).toMatch(
      /<tr class="exposed"><td>web<\/td><td>published port<\/td><td><code>0\.0\.0\.0:8080<\/code>/,
    );
    expect(exposures).toMatch(/<tr class="exposed"><td>probe<\/td><td>host network<\/td>/);
    expect(exposures).toContain('<td>db</td><td>published port</td><td><code>127.0.0.1:5432</code>');
    expect(exposures).toContain('loopback only');
    // a stopped container's exposure is listed with its state
    expect(exposures).toMatch(/<td>probe<\/td><td>host network<\/td>[\s\S]*?<td>exited \(exposed once started\)<\/td>/);
    expect(html).toContain('exposed all interfaces');
    expect(html).toContain('depends on db (depends_on), which is unhealthy');
    for (const th of html.match(/<th[ >][\s\S]*?<\/th>/g) ?? []) expect(th).toStartWith('<th scope="col"');
  });

  test('a newer failed or damaged run does not hide the last good map, and the page says so', async () => {
    const good = await runMap(HOME_LAB);
    const failed = await runMap(new Error('docker went away'));
    let page = await getPage(app, '/service-map', session);
    expect(page.html).toContain(`href="/runs/${good}"`);
    expect(page.html).toContain(`href="/runs/${failed}"`);
    expect(page.html).toContain('data-status="failed"');
    expect(page.html).toContain('<g class="node container exposed"');

    const damaged = await runMap('{"nodes": [');
    page = await getPage(app, '/service-map', session);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/runs/${good}"`);
    expect(page.html).toContain(`href="/runs/${damaged}"`);
  });

  test('hostile container names, labels and networks are text in the SVG and the tables', async () => {
    await runMap(HOSTILE);
    const page = await getPage(app, '/service-map', session);
    expect(page.status).toBe(200);
    const main = page.html.slice(page.html.indexOf('<main>'));
    expect(main).not.toContain('<script>');
    expect(main).not.toContain('<img');
    expect(main).not.toMatch(/href="javascript:/);
    expect(main).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(main).toContain('&lt;img src=x onerror=alert(2)&gt;');
    const svg = main.slice(main.indexOf('<svg class="chart service-map"'), main.indexOf('</svg>'));
    expect(svg).toContain('<g class="node container exposed"><title>container &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('net &lt;img src=x');
    // the only script elements on the page are our own two, by src
    expect(page.html.match(/<script/g)?.length).toBe(2);
  });
});

describe('layout', () => {
  test('the same map gives the same picture whatever order its nodes come in, and every node fits inside it', () => {
    const map = HOME_LAB;
    const a = layoutServiceMap(map);
    const b = layoutServiceMap({ ...map, nodes: [...map.nodes].reverse() });
    const key = (l: typeof a) => l.nodes.map((n) => `${n.node.id}@${n.x},${n.y}`).sort();
    expect(key(b)).toEqual(key(a));
    for (const n of a.nodes) {
      expect(n.x + n.w).toBeLessThanOrEqual(a.width);
      expect(n.y + 28).toBeLessThanOrEqual(a.height);
    }
    // columns: ports left of containers, containers left of networks and volumes
    const x = (id: string) => a.nodes.find((n) => n.node.id === id)!.x;
    expect(x('port:0.0.0.0:8080/tcp')).toBeLessThan(x('container:web'));
    expect(x('container:web')).toBeLessThan(x('network:media_default'));
    // the read model's schema is what a services.json must match to be shown
    expect(Value.Check(ServiceMapView, HOME_LAB)).toBe(true);
    expect(Value.Check(ServiceMapView, { nodes: 'x' })).toBe(false);
    expect(Value.Check(ServiceMapView, null)).toBe(false);
  });
});
