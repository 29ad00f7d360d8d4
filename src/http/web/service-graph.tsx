// The service map as a picture: a deterministic column layout drawn as inline SVG on the server.
// Published ports on the left, containers in the middle (grouped by compose project), networks and
// volumes on the right; dependencies (depends_on, link, env) are arrows arching left of the containers,
// apart from the network and volume lines on their right.
// Every name comes from Docker metadata and is written as escaped text, never into an attribute.
import type { EdgeKind, MapEdge, MapNode, NodeType, ServiceMap } from '../../servicemap/types.ts';

export const HOST_NETWORK = 'network:host';

/** Why a container counts as exposed: a port published beyond loopback, or the host's network stack. */
export function exposedContainers(map: ServiceMap): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (name: string, why: string) => out.set(name, [...(out.get(name) ?? []), why]);
  for (const x of map.exposures)
    if (x.binding !== 'loopback') add(x.container, `publishes ${x.host_ip}:${x.host_port}/${x.proto}`);
  for (const e of map.edges)
    if (e.kind === 'attached' && e.to === HOST_NETWORK && e.from.startsWith('container:'))
      add(e.from.slice('container:'.length), 'host network');
  return out;
}

/** A published port node's id -> whether it is reachable beyond this machine. */
function exposedPorts(map: ServiceMap): Set<string> {
  const out = new Set<string>();
  for (const x of map.exposures) if (x.binding !== 'loopback') out.add(`port:${x.host_ip}:${x.host_port}/${x.proto}`);
  return out;
}

interface Placed {
  node: MapNode;
  x: number;
  y: number;
  w: number;
  exposed: boolean;
  why: string[];
}

interface DrawnEdge {
  edge: MapEdge;
  d: string;
  exposed: boolean;
  dependency: boolean;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Placed[];
  edges: DrawnEdge[];
}

const NODE_H = 28;
const ROW_GAP = 14;
const ROW = NODE_H + ROW_GAP;
const TOP = 12;
const PORT_W = 150;
const CONTAINER_W = 190;
const ARC_BAND = 120;
const RIGHT_W = 180;
const COL_GAP = 110;
const DEPENDENCY_KINDS = new Set<EdgeKind>(['depends_on', 'link', 'env']);

const byLabel = (a: MapNode, b: MapNode) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id);

/** Orders nodes by the mean row of the containers they connect to (fewer crossings), then by label. */
function barycentreOrder(nodes: MapNode[], neighbours: (id: string) => number[]): MapNode[] {
  const mean = (id: string) => {
    const rows = neighbours(id);
    return rows.length ? rows.reduce((s, r) => s + r, 0) / rows.length : Number.MAX_SAFE_INTEGER;
  };
  return nodes
    .map((n) => ({ n, m: mean(n.id) }))
    .sort((a, b) => a.m - b.m || byLabel(a.n, b.n))
    .map((x) => x.n);
}

/** Same input, same picture: the layout depends only on the map's content. */
export function layoutServiceMap(map: ServiceMap): GraphLayout {
  const why = exposedContainers(map);
  const hotPorts = exposedPorts(map);
  const of = (t: NodeType) => map.nodes.filter((n) => n.type === t);
  const containers = of('container').sort(
    (a, b) => (a.compose_project ?? '\uffff').localeCompare(b.compose_project ?? '\uffff') || byLabel(a, b),
  );
  const row = new Map(containers.map((c, i) => [c.id, i]));
  const containerRows = (id: string) =>
    map.edges.flatMap((e) =>
      e.from === id && row.has(e.to) ? [row.get(e.to)!] : e.to === id && row.has(e.from) ? [row.get(e.from)!] : [],
    );
  const ports = barycentreOrder(of('port'), containerRows);
  const right = [...barycentreOrder(of('network'), containerRows), ...barycentreOrder(of('volume'), containerRows)];

  const portX = 10;
  // the band between ports and containers holds the dependency arcs
  const containerX = (ports.length ? portX + PORT_W : 0) + ARC_BAND;
  const rightX = containerX + CONTAINER_W + COL_GAP;
  const rows = Math.max(1, ports.length, containers.length, right.length);
  const height = TOP * 2 + rows * ROW - ROW_GAP;
  const width = (right.length ? rightX + RIGHT_W : containerX + CONTAINER_W) + 10;
  // a shorter column is centred against the tallest one
  const offset = (n: number) => TOP + ((rows - n) * ROW) / 2;

  const placed = new Map<string, Placed>();
  const put = (nodes: MapNode[], x: number, w: number) =>
    nodes.forEach((node, i) => {
      const exposed =
        node.type === 'container'
          ? why.has(node.label)
          : node.type === 'port'
            ? hotPorts.has(node.id)
            : node.id === HOST_NETWORK;
      placed.set(node.id, {
        node,
        x,
        y: offset(nodes.length) + i * ROW,
        w,
        exposed,
        why: node.type === 'container' ? (why.get(node.label) ?? []) : [],
      });
    });
  put(ports, portX, PORT_W);
  put(containers, containerX, CONTAINER_W);
  put(right, rightX, RIGHT_W);

  const edges: DrawnEdge[] = [];
  const mid = (p: Placed) => p.y + NODE_H / 2;
  for (const edge of map.edges) {
    const a = placed.get(edge.from);
    const b = placed.get(edge.to);
    if (!a || !b) continue;
    if (a.node.type === 'container' && b.node.type === 'container') {
      // shared networks and volumes already show as the shared node; only dependencies get an arrow
      if (!DEPENDENCY_KINDS.has(edge.kind)) continue;
      const x = a.x;
      const bulge = Math.min(ARC_BAND - 12, 24 + Math.abs(mid(b) - mid(a)) / 4);
      edges.push({
        edge,
        d: `M ${x} ${mid(a)} C ${x - bulge} ${mid(a)}, ${x - bulge} ${mid(b)}, ${x - 4} ${mid(b)}`,
        exposed: false,
        dependency: true,
      });
      continue;
    }
    // left node to right node, whichever way the edge points
    const [l, r] = a.x <= b.x ? [a, b] : [b, a];
    const x1 = l.x + l.w;
    const x2 = r.x;
    const dx = (x2 - x1) / 2;
    const exposed =
      (edge.kind === 'publishes' && hotPorts.has(edge.from)) || (edge.kind === 'attached' && edge.to === HOST_NETWORK);
    edges.push({
      edge,
      d: `M ${x1} ${mid(l)} C ${x1 + dx} ${mid(l)}, ${x2 - dx} ${mid(r)}, ${x2} ${mid(r)}`,
      exposed,
      dependency: false,
    });
  }
  return { width, height, nodes: [...placed.values()], edges };
}

const DASH: Partial<Record<EdgeKind, string>> = { env: '5 3', link: '2 3', mounts: '6 4' };

function nodeTitle(p: Placed): string {
  const n = p.node;
  if (n.type === 'container') {
    const state = [n.state, n.health].filter(Boolean).join(', ');
    const compose = [n.compose_project, n.compose_service].filter(Boolean).join('/');
    return [
      `container ${n.label}`,
      state && `(${state})`,
      compose && `compose ${compose}`,
      n.allowlisted === false ? 'metadata only' : '',
      p.why.length ? `exposed: ${p.why.join('; ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  if (n.type === 'network')
    return `network ${n.label}${n.internal ? ' (internal)' : ''}${n.driver ? `, driver ${n.driver}` : ''}${p.exposed ? ': the host network stack' : ''}`;
  if (n.type === 'port')
    return `published port ${n.label}${p.exposed ? ' (reachable beyond this machine)' : ' (loopback only)'}`;
  return `volume ${n.label}`;
}

const fit = (text: string, width: number) => {
  const max = Math.floor((width - 14) / 6.6);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** The picture. `title` is its accessible name; the page's tables say the same in words. */
export function ServiceGraph(props: { map: ServiceMap; title: string }): JSX.Element {
  const g = layoutServiceMap(props.map);
  return (
    <svg
      class="chart service-map"
      role="img"
      aria-labelledby="service-map-title"
      viewBox={`0 0 ${g.width} ${g.height}`}
      width={String(g.width)}
      height={String(g.height)}
      style="max-width: 100%; height: auto"
    >
      <title id="service-map-title" safe>
        {props.title}
      </title>
      <defs>
        <marker
          id="service-map-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" style="fill: var(--accent)" />
        </marker>
      </defs>
      <g class="edges">
        {g.edges.map((e) => (
          <path
            class={`edge edge-${e.edge.kind}${e.exposed ? ' exposed' : ''}`}
            d={e.d}
            stroke-dasharray={DASH[e.edge.kind]}
            marker-end={e.dependency ? 'url(#service-map-arrow)' : undefined}
            style={
              e.exposed
                ? 'stroke: var(--bad); stroke-width: 2'
                : e.dependency
                  ? 'stroke: var(--accent); stroke-width: 1.5'
                  : undefined
            }
          >
            <title
              safe
            >{`${e.edge.kind}: ${e.edge.from} → ${e.edge.to}${e.edge.evidence.length ? ` (${e.edge.evidence.join('; ')})` : ''}`}</title>
          </path>
        ))}
      </g>
      {g.nodes.map((p) => (
        <g
          class={`node ${p.node.type}${p.exposed ? ' exposed' : ''}${p.node.type === 'container' && p.node.allowlisted === false ? ' metadata-only' : ''}`}
        >
          <title safe>{nodeTitle(p)}</title>
          <rect
            x={String(p.x)}
            y={String(p.y)}
            width={String(p.w)}
            height={String(NODE_H)}
            rx={p.node.type === 'network' ? '14' : p.node.type === 'port' ? '2' : '6'}
            stroke-dasharray={
              p.node.type === 'volume'
                ? '4 3'
                : p.node.type === 'container' && p.node.allowlisted === false
                  ? '2 2'
                  : undefined
            }
          />
          <text x={String(p.x + 8)} y={String(p.y + 18)} safe>
            {fit(
              p.node.type === 'container'
                ? p.node.label
                : `${p.node.type === 'port' ? '⇢ ' : p.node.type === 'network' ? 'net ' : 'vol '}${p.node.label}`,
              p.w,
            )}
          </text>
        </g>
      ))}
    </svg>
  );
}
