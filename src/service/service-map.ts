// Service-map read model: the map the newest successful service_map job drew (containers, networks,
// volumes, published ports, edges with their evidence, exposures, findings). Typed once with TypeBox:
// the service map page, GET /api/service-map/latest and the MCP tool all serve it.
import { Type, type Static } from '@sinclair/typebox';
import { MAP_FINDING_KINDS } from '../servicemap/types.ts';
import { Nullable, OneOf } from './schemas.ts';
import type { ArtifactView } from '../artifacts/view.ts';
import { latestTaskFile, newestRun, NewestRun, readJsonArtifact, type ResultsCtx } from './task-results.ts';

export const SERVICE_MAP_TASK = 'service_map';
const MAP_FILE = 'service_map/services.json';

const MapNode = Type.Object({
  id: Type.String({ description: 'container:<name>, network:<name>, volume:<name> or port:<ip>:<port>/<proto>' }),
  type: Type.Union([Type.Literal('container'), Type.Literal('network'), Type.Literal('volume'), Type.Literal('port')]),
  label: Type.String(),
  allowlisted: Type.Optional(Type.Boolean({ description: 'containers: false = seen by metadata only' })),
  state: Type.Optional(Type.String()),
  health: Type.Optional(Nullable(Type.String())),
  restart_count: Type.Optional(Type.Integer()),
  compose_project: Type.Optional(Nullable(Type.String())),
  compose_service: Type.Optional(Nullable(Type.String())),
  internal: Type.Optional(Type.Boolean({ description: 'networks: no route out' })),
  driver: Type.Optional(Type.String()),
});

const MapEdge = Type.Object({
  from: Type.String(),
  to: Type.String(),
  kind: Type.Union([
    Type.Literal('network'),
    Type.Literal('volume'),
    Type.Literal('depends_on'),
    Type.Literal('link'),
    Type.Literal('env'),
    Type.Literal('attached'),
    Type.Literal('mounts'),
    Type.Literal('publishes'),
  ]),
  evidence: Type.Array(Type.String()),
});

const Exposure = Type.Object({
  container: Type.String(),
  host_ip: Type.String(),
  host_port: Type.Integer(),
  container_port: Type.Integer(),
  proto: Type.String(),
  binding: Type.Union([Type.Literal('all_interfaces'), Type.Literal('lan'), Type.Literal('loopback')]),
});

const MapFinding = Type.Object({
  kind: OneOf(MAP_FINDING_KINDS),
  severity: Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low'), Type.Literal('info')]),
  subject: Type.String(),
  message: Type.String(),
});

/** The map as the task writes it. */
export const ServiceMapView = Type.Object({
  generated_at: Type.String({ description: 'when the map was taken (RFC 3339)' }),
  docker_host: Type.String(),
  scope: Type.Union([Type.Literal('allowlist'), Type.Literal('all')]),
  previous_map_job: Type.Union([Type.Integer(), Type.Null()], {
    description: 'the job of the map this one was compared with',
  }),
  nodes: Type.Array(MapNode),
  edges: Type.Array(MapEdge),
  exposures: Type.Array(Exposure),
  findings: Type.Array(MapFinding),
});
export type ServiceMapView = Static<typeof ServiceMapView>;

export const ServiceMapLatest = Type.Object({
  map: Nullable(ServiceMapView),
  run_id: Type.Union([Type.Integer(), Type.Null()], { description: 'the run the map comes from' }),
  job_id: Nullable(Type.Integer()),
  newest_run: NewestRun,
});
export type ServiceMapLatest = Static<typeof ServiceMapLatest>;

export async function latestServiceMap(ctx: ResultsCtx): Promise<ServiceMapLatest> {
  const [file, newest] = await Promise.all([
    latestTaskFile(ctx, SERVICE_MAP_TASK, MAP_FILE, ServiceMapView),
    newestRun(ctx, SERVICE_MAP_TASK),
  ]);
  if (!file) return { map: null, run_id: null, job_id: null, newest_run: newest };
  const m = file.data;
  const map: ServiceMapView = {
    generated_at: m.generated_at,
    docker_host: m.docker_host,
    scope: m.scope,
    previous_map_job: m.previous_map_job,
    nodes: m.nodes,
    edges: m.edges,
    exposures: m.exposures,
    findings: m.findings,
  };
  return { map, run_id: file.run_id, job_id: file.job_id, newest_run: newest };
}

/** The map one job drew, found among its artifacts (the run page draws it), or null. */
export function serviceMapOfJob(
  ctx: Pick<ResultsCtx, 'logsDir'>,
  artifacts: readonly ArtifactView[],
): ServiceMapView | null {
  const file = artifacts.find((a) => a.path.endsWith(MAP_FILE));
  return file ? readJsonArtifact(ctx, file, ServiceMapView) : null;
}
