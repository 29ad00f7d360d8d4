// Inventory snapshots: what the Docker host looked like at a moment, and what changed between two
// moments. A snapshot also brings the allowlist up to date (recreated containers followed, label
// opt-ins added) and is announced on the event bus as inventory.snapshot.
import { Type } from '@sinclair/typebox';
import { redactLabels } from '../docker/container-metadata.ts';
import { allowLabel, type InventoryContainer } from '../docker/types.ts';
import { listAllowlist } from '../store/allowlist.ts';
import { AppError, notFound } from '../errors.ts';
import { diffCounts, diffInventories, type InventoryDiff } from '../inventory/diff.ts';
import * as store from '../store/inventory.ts';
import { addLabelOptIns, followRecreatedContainers, type FollowChange } from './allowlist-follow.ts';
import type { DockerContext } from './context.ts';
import { Id } from './schemas.ts';

export const SnapshotPage = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  before: Type.Optional(Id),
});

export const DiffQuery = Type.Object({ from: Type.Optional(Id), to: Type.Optional(Id) });

export interface SnapshotSummary {
  id: number;
  taken_at: string;
  docker_host: string;
  container_count: number;
}

export interface SnapshotView extends SnapshotSummary {
  containers: InventoryContainer[];
}

export interface TakenSnapshot extends SnapshotView {
  allowlist: { followed: FollowChange[]; opted_in: string[] };
  /** Changes since the snapshot before this one (null for the first). */
  changes: InventoryDiff | null;
}

export interface DiffView {
  from: SnapshotSummary;
  to: SnapshotSummary;
  counts: Record<keyof InventoryDiff, number>;
  changes: InventoryDiff;
}

const summary = (r: store.SnapshotRow): SnapshotSummary => ({
  id: r.id,
  taken_at: r.taken_at.toISOString(),
  docker_host: r.docker_host,
  container_count: r.container_count,
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function fromRow(r: store.SnapshotContainerRow): InventoryContainer {
  return {
    id: r.container_id,
    name: r.name,
    labels: r.labels,
    compose_project: r.compose_project,
    compose_service: r.compose_service,
    image: r.image,
    image_id: r.image_id,
    state: r.state,
    status: r.status,
    ports: r.ports,
    networks: r.networks,
    created: iso(r.created_at) ?? '',
    health: r.health,
    restart_count: r.restart_count,
    exit_code: r.exit_code,
    oom_killed: r.oom_killed,
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    mounts: r.mounts,
  };
}

function toRow(c: InventoryContainer): store.SnapshotContainerRow {
  return {
    container_id: c.id,
    name: c.name,
    image: c.image,
    image_id: c.image_id,
    state: c.state,
    status: c.status,
    health: c.health,
    restart_count: c.restart_count,
    exit_code: c.exit_code,
    oom_killed: c.oom_killed,
    started_at: c.started_at ? new Date(c.started_at) : null,
    finished_at: c.finished_at ? new Date(c.finished_at) : null,
    created_at: c.created ? new Date(c.created) : null,
    labels: c.labels,
    ports: c.ports,
    networks: c.networks,
    mounts: c.mounts,
    compose_project: c.compose_project,
    compose_service: c.compose_service,
  };
}

async function containersOf(ctx: DockerContext, id: number): Promise<InventoryContainer[]> {
  return (await store.listSnapshotContainers(ctx.db.sql, id)).map(fromRow);
}

export async function takeSnapshot(ctx: DockerContext): Promise<TakenSnapshot> {
  const containers = await ctx.docker.inventory();
  const followed = await followRecreatedContainers(ctx, containers);
  const optedIn = await addLabelOptIns(ctx, containers);
  // Stored rows keep label values only of containers on the allowlist (after the updates above).
  const enabled = new Set((await listAllowlist(ctx.db.sql)).filter((e) => e.enabled).map((e) => e.container_id));
  const onList = (c: InventoryContainer) => enabled.has(c.id) && allowLabel(c.labels) !== false;
  const storable = containers.map((c) => (onList(c) ? c : { ...c, labels: redactLabels(c.labels) }));
  const takenAt = ctx.clock.now();
  const [previous] = await store.latestSnapshots(ctx.db.sql, 1);
  const row = await ctx.db.sql.begin(async (tx) => {
    const s = await store.insertSnapshot(tx, takenAt, ctx.docker.endpoint, storable.length);
    for (const c of storable) await store.insertSnapshotContainer(tx, s.id, toRow(c));
    return s;
  });
  const stored = await containersOf(ctx, row.id);
  const changes = previous ? diffInventories(await containersOf(ctx, previous.id), stored) : null;
  ctx.events.publish('inventory.snapshot', {
    snapshot_id: row.id,
    taken_at: row.taken_at.toISOString(),
    containers: row.container_count,
    previous_snapshot_id: previous?.id ?? null,
    changes: changes ? diffCounts(changes) : null,
  });
  return { ...summary(row), containers: stored, allowlist: { followed, opted_in: optedIn }, changes };
}

export async function listSnapshots(
  ctx: DockerContext,
  page: { limit?: number; before?: number },
): Promise<{ items: SnapshotSummary[]; next_before: number | null }> {
  const limit = page.limit ?? 20;
  const rows = await store.listSnapshots(ctx.db.sql, page.before, limit + 1);
  const items = rows.slice(0, limit).map(summary);
  return { items, next_before: rows.length > limit ? items[items.length - 1]!.id : null };
}

export async function getSnapshot(ctx: DockerContext, id: number): Promise<SnapshotView> {
  const row = await store.findSnapshot(ctx.db.sql, id);
  if (!row) throw notFound(`snapshot ${id}`);
  return { ...summary(row), containers: await containersOf(ctx, id) };
}

/** The newest snapshot (the older API's /api/container-inventory). */
export async function latestInventory(ctx: DockerContext): Promise<SnapshotView> {
  const [row] = await store.latestSnapshots(ctx.db.sql, 1);
  if (!row)
    throw new AppError(404, 'not_found', 'no inventory snapshot yet; take one with POST /api/inventory/snapshots');
  return { ...summary(row), containers: await containersOf(ctx, row.id) };
}

async function snapshotRow(ctx: DockerContext, id: number): Promise<store.SnapshotRow> {
  const row = await store.findSnapshot(ctx.db.sql, id);
  if (!row) throw notFound(`snapshot ${id}`);
  return row;
}

/** Diff of two snapshots; without ids, of the latest two (to alone: it and the one before it). */
export async function diffSnapshots(ctx: DockerContext, q: { from?: number; to?: number }): Promise<DiffView> {
  let from: store.SnapshotRow | undefined;
  let to: store.SnapshotRow | undefined;
  if (q.to !== undefined) to = await snapshotRow(ctx, q.to);
  if (q.from !== undefined) from = await snapshotRow(ctx, q.from);
  if (!to) {
    const latest = await store.latestSnapshots(ctx.db.sql, 2);
    to = latest[0];
    if (!from) from = latest[1];
  } else if (!from) {
    [from] = await store.listSnapshots(ctx.db.sql, to.id, 1);
  }
  if (!from || !to) {
    throw new AppError(
      409,
      'not_enough_snapshots',
      'a diff needs two snapshots; take another with POST /api/inventory/snapshots',
    );
  }
  const changes = diffInventories(await containersOf(ctx, from.id), await containersOf(ctx, to.id));
  return { from: summary(from), to: summary(to), counts: diffCounts(changes), changes };
}
