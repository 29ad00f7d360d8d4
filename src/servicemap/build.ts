// Builds the graph from metadata (every container in scope) and env references (allowlisted ones
// only, read by the gateway). Pure: the task gathers the inputs.
import type { ContainerWiring, EnvReference, NetworkSummary } from '../docker/topology-types.ts';
import type { InventoryContainer } from '../docker/types.ts';
import { classifyBinding, normaliseHostIp } from './bindings.ts';
import { containerNode, type Exposure, type MapEdge, type MapNode, type ServiceMap } from './types.ts';

export interface MapInput {
  scope: 'allowlist' | 'all';
  containers: InventoryContainer[];
  allowlisted: ReadonlySet<string>;
  wiring: ReadonlyMap<string, ContainerWiring>;
  networks: NetworkSummary[];
  /** By container id; only allowlisted containers have an entry. */
  envReferences: ReadonlyMap<string, EnvReference[]>;
}

/** Docker's own networks: sharing one is not a sign that two containers talk to each other. */
export const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);
export const DEPENDS_ON_LABEL = 'com.docker.compose.depends_on';

/** Names other containers may use for this one: its name, compose service and network aliases. */
export function namesOf(c: InventoryContainer, w: ContainerWiring | undefined): string[] {
  const names = new Set<string>([c.name]);
  if (c.compose_service) names.add(c.compose_service);
  for (const list of Object.values(w?.aliases ?? {})) for (const a of list) names.add(a);
  return [...names];
}

/** "db:service_started:false,cache:service_healthy:true" -> ["db", "cache"]. */
export function parseDependsOn(label: string | undefined): string[] {
  if (!label) return [];
  return label
    .split(',')
    .map((p) => p.split(':')[0]!.trim())
    .filter(Boolean);
}

class EdgeSet {
  private readonly edges = new Map<string, MapEdge>();
  add(from: string, to: string, kind: MapEdge['kind'], evidence: string, undirected = false): void {
    if (from === to) return;
    if (undirected && to < from) [from, to] = [to, from];
    const key = `${kind}:${from}->${to}`;
    const e = this.edges.get(key) ?? { from, to, kind, evidence: [] };
    if (!e.evidence.includes(evidence)) e.evidence.push(evidence);
    e.evidence.sort();
    this.edges.set(key, e);
  }
  list(): MapEdge[] {
    return [...this.edges.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
    );
  }
}

export function buildServiceMap(input: MapInput): Omit<ServiceMap, 'findings'> {
  const inScope = input.containers.filter((c) => input.scope === 'all' || input.allowlisted.has(c.id));
  const byName = new Map<string, InventoryContainer>();
  // a name (container, service, alias) -> the container it stands for; a container's own name wins
  for (const c of inScope)
    for (const n of namesOf(c, input.wiring.get(c.id)).reverse()) if (!byName.has(n) || n === c.name) byName.set(n, c);
  const nodes = new Map<string, MapNode>();
  const edges = new EdgeSet();
  const exposures = new Map<string, Exposure>();
  const netInfo = new Map(input.networks.map((n) => [n.name, n]));
  const members = new Map<string, string[]>();
  const volumeUsers = new Map<string, string[]>();

  for (const c of inScope) {
    const me = containerNode(c.name);
    const w = input.wiring.get(c.id);
    nodes.set(me, {
      id: me,
      type: 'container',
      label: c.name,
      allowlisted: input.allowlisted.has(c.id),
      state: c.state,
      health: c.health,
      restart_count: c.restart_count,
      compose_project: c.compose_project,
      compose_service: c.compose_service,
    });
    for (const net of c.networks) {
      if (net === 'none') continue; // "no network" is not a place containers meet
      const n = netInfo.get(net);
      nodes.set(`network:${net}`, {
        id: `network:${net}`,
        type: 'network',
        label: net,
        internal: n?.internal ?? false,
        driver: n?.driver ?? 'unknown',
      });
      edges.add(me, `network:${net}`, 'attached', `network ${net}`);
      if (!BUILTIN_NETWORKS.has(net)) members.set(net, [...(members.get(net) ?? []), c.name]);
    }
    for (const m of c.mounts) {
      if (!m.volume) continue;
      nodes.set(`volume:${m.volume}`, { id: `volume:${m.volume}`, type: 'volume', label: m.volume });
      edges.add(me, `volume:${m.volume}`, 'mounts', `mounted at ${m.destination}`);
      volumeUsers.set(m.volume, [...(volumeUsers.get(m.volume) ?? []), c.name]);
    }
    for (const p of [...c.ports, ...(w?.declared_ports ?? [])]) {
      if (p.public_port === null) continue;
      const ip = normaliseHostIp(p.ip);
      const x: Exposure = {
        container: c.name,
        host_ip: ip,
        host_port: p.public_port,
        container_port: p.private_port,
        proto: p.type,
        binding: classifyBinding(ip),
      };
      const id = `port:${ip}:${x.host_port}/${x.proto}`;
      exposures.set(`${c.name}|${id}|${x.container_port}`, x);
      nodes.set(id, { id, type: 'port', label: `${ip}:${x.host_port}/${x.proto}` });
      edges.add(id, me, 'publishes', `${ip}:${x.host_port} -> ${x.container_port}/${x.proto}`);
    }
    for (const dep of parseDependsOn(c.labels[DEPENDS_ON_LABEL])) {
      const target =
        inScope.find((o) => o.compose_project === c.compose_project && o.compose_service === dep) ?? byName.get(dep);
      if (target) edges.add(me, containerNode(target.name), 'depends_on', `label ${DEPENDS_ON_LABEL} names ${dep}`);
    }
    for (const l of w?.links ?? []) {
      const target = byName.get(l.target);
      if (target) edges.add(me, containerNode(target.name), 'link', `link ${l.target} as ${l.alias}`);
    }
    for (const r of input.envReferences.get(c.id) ?? []) {
      const target = byName.get(r.target);
      if (target && target.id !== c.id)
        edges.add(me, containerNode(target.name), 'env', `env ${r.variable} names ${r.target}`);
    }
  }
  for (const [net, names] of members)
    for (const a of names)
      for (const b of names)
        if (a < b) edges.add(containerNode(a), containerNode(b), 'network', `network ${net}`, true);
  for (const [vol, names] of volumeUsers)
    for (const a of names)
      for (const b of names) if (a < b) edges.add(containerNode(a), containerNode(b), 'volume', `volume ${vol}`, true);

  return {
    scope: input.scope,
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: edges.list(),
    exposures: [...exposures.values()].sort(
      (a, b) =>
        a.container.localeCompare(b.container) || a.host_port - b.host_port || a.host_ip.localeCompare(b.host_ip),
    ),
  };
}

/** The candidate names an env value may mention: every in-scope container's names. */
export function candidateNames(
  containers: InventoryContainer[],
  wiring: ReadonlyMap<string, ContainerWiring>,
): string[] {
  return [...new Set(containers.flatMap((c) => namesOf(c, wiring.get(c.id))))].sort();
}
