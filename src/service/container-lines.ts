// An allowlisted container's recent log lines and its state, for agents: the last N lines (or the
// first N since a moment), masked by the same redaction the log triage applies before anything reaches
// a prompt or a report; the state without any environment value or command line. Both go through the
// gateway, so a container off the allowlist is refused with its name and the reason.
import { Type, type Static } from '@sinclair/typebox';
import { ContainerRef } from './allowlist.ts';
import { readRedactedLogs, type LogsContext } from './containers.ts';
import type { DockerContext } from './context.ts';
import { Nullable } from './schemas.ts';
import { InventoryContainer, LogLine } from './view-schemas.ts';

export const MAX_RECENT_LINES = 1000;

export const RecentLinesInput = Type.Object(
  {
    container: ContainerRef,
    lines: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_RECENT_LINES,
        default: 100,
        description: `how many lines, at most ${MAX_RECENT_LINES}`,
      }),
    ),
    since: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'RFC 3339 time: the first lines from this moment on (page with next_since); absent: the last lines',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RecentLinesInput = Static<typeof RecentLinesInput>;

export const RecentLines = Type.Object({
  container: Type.String(),
  lines: Type.Array(LogLine, { description: 'oldest first; secrets, addresses and tokens masked' }),
  more: Type.Boolean({ description: 'more lines follow (with since): read on with since = next_since' }),
  next_since: Nullable(Type.String({ description: 'the timestamp of the first line not returned' })),
  masked: Type.Integer({ description: 'how many values the redaction masked in these lines' }),
});
export type RecentLines = Static<typeof RecentLines>;

export async function recentContainerLines(ctx: LogsContext, input: RecentLinesInput): Promise<RecentLines> {
  const n = input.lines ?? 100;
  const read =
    input.since === undefined
      ? await readRedactedLogs(ctx, input.container, { tail: n, limit: n })
      : await readRedactedLogs(ctx, input.container, { since: input.since, limit: n + 1 });
  const extra = read.lines.length > n ? read.lines[n] : undefined;
  // the reader redacts each line (the container's env values included); this counts what it masked
  let masked = 0;
  for (const c of Object.values(read.masked)) masked += c ?? 0;
  return {
    container: input.container,
    lines: read.lines.slice(0, n),
    more: extra !== undefined,
    next_since: extra?.ts ?? null,
    masked,
  };
}

export const ContainerState = Type.Composite([
  Type.Omit(InventoryContainer, ['mounts']),
  Type.Object({
    restart_policy: Nullable(Type.String()),
    mounts: Type.Array(
      Type.Object({ type: Type.String(), destination: Type.String(), volume: Nullable(Type.String()) }),
    ),
  }),
]);
export type ContainerState = Static<typeof ContainerState>;

/** State, restarts, health, image, ports, networks, labels and mounts: never env values nor the command. */
export async function containerState(ctx: DockerContext, ref: string): Promise<ContainerState> {
  const d = await ctx.docker.inspect(ref);
  return {
    id: d.id,
    name: d.name,
    labels: d.labels,
    compose_project: d.compose_project,
    compose_service: d.compose_service,
    image: d.image,
    image_id: d.image_id,
    state: d.state,
    status: d.status,
    ports: d.ports,
    networks: d.networks,
    created: d.created,
    health: d.health,
    restart_count: d.restart_count,
    exit_code: d.exit_code,
    oom_killed: d.oom_killed,
    started_at: d.started_at,
    finished_at: d.finished_at,
    restart_policy: d.restart_policy,
    mounts: d.mounts,
  };
}
