// What the map says needs attention: exposures, the default bridge, dependency cycles, dependencies
// that are unhealthy or restarting, containers that restart (with their counts), and what is new
// since the previous map.
import { containerNode, edgeKey, exposureKey, type MapEdge, type MapFinding, type ServiceMap } from './types.ts';

/** Restarts that make a container worth a finding (as a crash loop does in log triage). */
const RESTARTS_WORTH_A_FINDING = 3;

const DEPENDENCY_KINDS = new Set<MapEdge['kind']>(['depends_on', 'link', 'env']);

/** Cycles among dependency edges, each as the container names in order (smallest name first, deduplicated). */
export function dependencyCycles(edges: MapEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges)
    if (DEPENDENCY_KINDS.has(e.kind)) next.set(e.from, [...new Set([...(next.get(e.from) ?? []), e.to])].sort());
  const found = new Map<string, string[]>();
  const walk = (start: string, at: string, path: string[]) => {
    for (const n of next.get(at) ?? []) {
      if (n === start) {
        const names = path.map((p) => p.replace(/^container:/, ''));
        const i = names.indexOf([...names].sort()[0]!);
        const cycle = [...names.slice(i), ...names.slice(0, i)];
        found.set(cycle.join('>'), cycle);
      } else if (!path.includes(n) && n > start) walk(start, n, [...path, n]);
    }
  };
  for (const s of [...next.keys()].sort()) walk(s, s, [s]);
  return [...found.values()];
}

export function mapFindings(
  map: Omit<ServiceMap, 'findings'>,
  previous: { edge_keys: string[]; exposure_keys: string[] } | null,
): MapFinding[] {
  const out: MapFinding[] = [];
  for (const x of map.exposures) {
    const where = `${x.host_ip}:${x.host_port} -> ${x.container}:${x.container_port}/${x.proto}`;
    if (x.binding === 'all_interfaces')
      out.push({
        kind: 'exposed_all_interfaces',
        severity: 'high',
        subject: x.container,
        message: `port published on all interfaces (0.0.0.0/::): ${where}`,
      });
    else if (x.binding === 'lan')
      out.push({
        kind: 'exposed_lan',
        severity: 'low',
        subject: x.container,
        message: `port published on a LAN address: ${where}`,
      });
  }
  for (const e of map.edges) {
    if (e.kind === 'attached' && e.to === 'network:bridge')
      out.push({
        kind: 'default_bridge',
        severity: 'medium',
        subject: e.from.replace(/^container:/, ''),
        message: 'on the default bridge network (no name resolution, shared with every unnetworked container)',
      });
  }
  for (const cycle of dependencyCycles(map.edges))
    out.push({
      kind: 'dependency_cycle',
      severity: 'medium',
      subject: cycle[0]!,
      message: `dependency cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    });
  const nodes = new Map(map.nodes.map((n) => [n.id, n]));
  for (const e of map.edges) {
    if (!DEPENDENCY_KINDS.has(e.kind)) continue;
    const dep = nodes.get(e.to);
    if (!dep) continue;
    const why =
      dep.health === 'unhealthy'
        ? 'unhealthy'
        : dep.state === 'restarting'
          ? 'restarting'
          : dep.state !== 'running'
            ? `not running (${dep.state})`
            : null;
    if (why)
      out.push({
        kind: 'unhealthy_dependency',
        severity: 'medium',
        subject: e.from.replace(/^container:/, ''),
        message: `depends on ${dep.label} (${e.kind}), which is ${why}`,
      });
  }
  for (const n of map.nodes) {
    if (n.type !== 'container') continue;
    const count = n.restart_count ?? 0;
    const now = n.state === 'restarting';
    if (!now && count < RESTARTS_WORTH_A_FINDING) continue;
    out.push({
      kind: 'restarting',
      severity: now ? 'high' : 'medium',
      subject: n.label,
      message: `restarted ${count} time${count === 1 ? '' : 's'}${now ? '; Docker is restarting it now (a crash loop)' : ''}`,
    });
  }
  if (previous) {
    const edges = new Set(previous.edge_keys);
    const exps = new Set(previous.exposure_keys);
    for (const e of map.edges)
      if (!edges.has(edgeKey(e)))
        out.push({
          kind: 'new_edge',
          severity: 'info',
          subject: e.from,
          message: `new ${e.kind} edge ${e.from} -> ${e.to}`,
        });
    for (const x of map.exposures)
      if (!exps.has(exposureKey(x)))
        out.push({
          kind: 'new_exposure',
          severity: x.binding === 'all_interfaces' ? 'high' : 'info',
          subject: x.container,
          message: `new exposure ${exposureKey(x)}`,
        });
  }
  const rank = { high: 0, medium: 1, low: 2, info: 3 };
  return out.sort(
    (a, b) =>
      rank[a.severity] - rank[b.severity] ||
      a.kind.localeCompare(b.kind) ||
      a.subject.localeCompare(b.subject) ||
      a.message.localeCompare(b.message),
  );
}

/** Containers next to `name` through any container-to-container edge (for the log-triage report). */
export function neighbours(map: Pick<ServiceMap, 'edges'>, name: string): string[] {
  const me = containerNode(name);
  const out = new Set<string>();
  for (const e of map.edges) {
    if (!e.from.startsWith('container:') || !e.to.startsWith('container:')) continue;
    if (e.from === me) out.add(e.to.slice('container:'.length));
    if (e.to === me) out.add(e.from.slice('container:'.length));
  }
  return [...out].sort();
}
