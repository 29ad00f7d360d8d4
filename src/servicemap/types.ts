// The service map's shape: nodes, edges with kind and evidence, exposures and findings. Names, ports
// and labels only: never an environment value.

export type NodeType = 'container' | 'network' | 'volume' | 'port';

export interface MapNode {
  id: string;
  type: NodeType;
  label: string;
  /** Containers: whether Cyber-Brain may read inside it (false = metadata only, scope "all"). */
  allowlisted?: boolean;
  state?: string;
  health?: string | null;
  restart_count?: number;
  compose_project?: string | null;
  compose_service?: string | null;
  /** Networks: no route out of it. */
  internal?: boolean;
  driver?: string;
}

export type EdgeKind = 'network' | 'volume' | 'depends_on' | 'link' | 'env' | 'attached' | 'mounts' | 'publishes';

export interface MapEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  evidence: string[];
}

export type Binding = 'all_interfaces' | 'lan' | 'loopback';

export interface Exposure {
  container: string;
  host_ip: string;
  host_port: number;
  container_port: number;
  proto: string;
  binding: Binding;
}

/** Written once: the map's findings and the read model's schema (src/service/service-map.ts) both use it. */
export const MAP_FINDING_KINDS = [
  'exposed_all_interfaces',
  'exposed_lan',
  'default_bridge',
  'dependency_cycle',
  'unhealthy_dependency',
  'restarting',
  'new_edge',
  'new_exposure',
] as const;

export interface MapFinding {
  kind: (typeof MAP_FINDING_KINDS)[number];
  severity: 'high' | 'medium' | 'low' | 'info';
  subject: string;
  message: string;
}

export interface ServiceMap {
  scope: 'allowlist' | 'all';
  nodes: MapNode[];
  edges: MapEdge[];
  exposures: Exposure[];
  findings: MapFinding[];
}

export const edgeKey = (e: MapEdge) => `${e.kind}:${e.from}->${e.to}`;
export const exposureKey = (x: Exposure) =>
  `${x.container}:${x.host_ip}:${x.host_port}->${x.container_port}/${x.proto}`;
export const containerNode = (name: string) => `container:${name}`;
