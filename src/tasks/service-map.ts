// Task service_map: how the host's containers hang together. Metadata for every container in scope;
// env references only for allowlisted ones, matched inside the gateway (values never reach this task).
import { Type } from '@sinclair/typebox';
import { ContainerNotAllowedError } from '../docker/errors.ts';
import type { EnvReference } from '../docker/topology-types.ts';
import { allowLabel } from '../docker/types.ts';
import { buildServiceMap, candidateNames } from '../servicemap/build.ts';
import { mapFindings } from '../servicemap/findings.ts';
import { renderServiceMapMarkdown } from '../servicemap/render.ts';
import { edgeKey, exposureKey, type ServiceMap } from '../servicemap/types.ts';
import { listAllowlist } from '../store/allowlist.ts';
import { findPreviousServiceMap, insertServiceMap } from '../store/service-maps.ts';
import type { TaskContext, TaskDefinition } from './task.ts';

export const ServiceMapOptions = Type.Object(
  {
    scope: Type.Union([Type.Literal('allowlist'), Type.Literal('all')], {
      default: 'allowlist',
      description:
        'allowlist: allowlisted containers only; all: every container, metadata only for those off the allowlist',
    }),
  },
  { additionalProperties: false },
);

async function allowlistedIds(ctx: TaskContext): Promise<Set<string>> {
  const rows = await listAllowlist(ctx.db.sql);
  return new Set(rows.filter((r) => r.enabled).map((r) => r.container_id));
}

export const serviceMapTask: TaskDefinition = {
  key: 'service_map',
  title: 'Service map',
  description:
    'Containers, networks, published ports and volumes with the edges between them and their evidence; exposures, cycles, unhealthy dependencies and changes since the previous map.',
  optionsSchema: ServiceMapOptions,
  timeoutMs: 5 * 60_000,
  async run(ctx) {
    const scope = (ctx.options as { scope: 'allowlist' | 'all' }).scope;
    const takenAt = ctx.clock.now();
    const [containers, wiringList, networks, listed] = await Promise.all([
      ctx.docker.inventory(),
      ctx.docker.wiring(),
      ctx.docker.networks(),
      allowlistedIds(ctx),
    ]);
    ctx.signal.throwIfAborted();
    const allowlisted = new Set(
      containers.filter((c) => listed.has(c.id) && allowLabel(c.labels) !== false).map((c) => c.id),
    );
    const wiring = new Map(wiringList.map((w) => [w.id, w]));
    const inScope = containers.filter((c) => scope === 'all' || allowlisted.has(c.id));
    const names = candidateNames(inScope, wiring);
    const envReferences = new Map<string, EnvReference[]>();
    for (const c of inScope) {
      if (!allowlisted.has(c.id)) continue; // metadata only: nothing is read from inside it
      ctx.signal.throwIfAborted();
      try {
        envReferences.set(c.id, await ctx.docker.envReferences(c.id, names));
      } catch (err) {
        if (!(err instanceof ContainerNotAllowedError)) throw err;
      }
    }
    const graph = buildServiceMap({ scope, containers, allowlisted, wiring, networks, envReferences });
    const previous = await findPreviousServiceMap(ctx.db.sql, ctx.docker.endpoint, scope, ctx.jobId);
    const map: ServiceMap = { ...graph, findings: mapFindings(graph, previous ?? null) };
    await insertServiceMap(ctx.db.sql, {
      run_id: ctx.runId,
      job_id: ctx.jobId,
      taken_at: takenAt,
      scope,
      docker_host: ctx.docker.endpoint,
      node_count: map.nodes.length,
      edge_count: map.edges.length,
      edge_keys: map.edges.map(edgeKey),
      exposure_keys: map.exposures.map(exposureKey),
    });
    const json = {
      generated_at: takenAt.toISOString(),
      docker_host: ctx.docker.endpoint,
      previous_map_job: previous?.job_id ?? null,
      ...map,
    };
    await ctx.writeArtifact('service_map/services.json', JSON.stringify(json, null, 2), {
      kind: 'data',
      mimeType: 'application/json',
    });
    await ctx.writeArtifact(
      'service_map/services.md',
      renderServiceMapMarkdown(map, {
        runId: ctx.runId,
        dockerHost: ctx.docker.endpoint,
        takenAt: takenAt.toISOString(),
      }),
      {
        kind: 'report',
        mimeType: 'text/markdown',
      },
    );
    ctx.logger.info('service map drawn', {
      scope,
      nodes: map.nodes.length,
      edges: map.edges.length,
      findings: map.findings.length,
    });
    return {
      scope,
      containers: map.nodes.filter((n) => n.type === 'container').length,
      nodes: map.nodes.length,
      edges: map.edges.length,
      exposures: map.exposures.length,
      findings: map.findings.length,
    };
  },
};
