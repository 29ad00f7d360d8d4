// SQL for inventory snapshots and the containers each one saw.
import type { Sql, TransactionSql } from 'postgres';
import type { MountSummary, PortBinding } from '../docker/types.ts';

type Q = Sql | TransactionSql;

export interface SnapshotRow {
  id: number;
  taken_at: Date;
  docker_host: string;
  container_count: number;
}

export interface SnapshotContainerRow {
  container_id: string;
  name: string;
  image: string;
  image_id: string;
  state: string;
  status: string;
  health: string | null;
  restart_count: number;
  exit_code: number | null;
  oom_killed: boolean;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date | null;
  labels: Record<string, string>;
  ports: PortBinding[];
  networks: string[];
  mounts: MountSummary[];
  compose_project: string | null;
  compose_service: string | null;
}

export async function insertSnapshot(
  sql: Q,
  takenAt: Date,
  dockerHost: string,
  containerCount: number,
): Promise<SnapshotRow> {
  const [row] = await sql<SnapshotRow[]>`
    insert into inventory_snapshots (taken_at, docker_host, container_count)
    values (${takenAt}, ${dockerHost}, ${containerCount})
    returning *`;
  return row!;
}

export async function insertSnapshotContainer(sql: Q, snapshotId: number, c: SnapshotContainerRow): Promise<void> {
  await sql`
    insert into inventory_containers (snapshot_id, container_id, name, image, image_id, state, status, health, restart_count,
                                      exit_code, oom_killed, started_at, finished_at, created_at, labels, ports, networks, mounts,
                                      compose_project, compose_service)
    values (${snapshotId}, ${c.container_id}, ${c.name}, ${c.image}, ${c.image_id}, ${c.state}, ${c.status}, ${c.health},
            ${c.restart_count}, ${c.exit_code}, ${c.oom_killed}, ${c.started_at}, ${c.finished_at}, ${c.created_at},
            ${sql.json(c.labels)}, ${sql.json(c.ports as never)}, ${sql.json(c.networks)}, ${sql.json(c.mounts as never)},
            ${c.compose_project}, ${c.compose_service})`;
}

export async function findSnapshot(sql: Q, id: number): Promise<SnapshotRow | undefined> {
  const [row] = await sql<SnapshotRow[]>`select * from inventory_snapshots where id = ${id}`;
  return row;
}

/** The newest `count` snapshots, newest first. */
export async function latestSnapshots(sql: Q, count: number): Promise<SnapshotRow[]> {
  return sql<SnapshotRow[]>`select * from inventory_snapshots order by id desc limit ${count}`;
}

/** Keyset pages, newest first: only snapshots with an id below `before`. */
export async function listSnapshots(sql: Q, before: number | undefined, limit: number): Promise<SnapshotRow[]> {
  return sql<SnapshotRow[]>`
    select * from inventory_snapshots
    ${before === undefined ? sql`` : sql`where id < ${before}`}
    order by id desc
    limit ${limit}`;
}

export async function listSnapshotContainers(sql: Q, snapshotId: number): Promise<SnapshotContainerRow[]> {
  return sql<SnapshotContainerRow[]>`
    select container_id, name, image, image_id, state, status, health, restart_count, exit_code, oom_killed, started_at,
           finished_at, created_at, labels, ports, networks, mounts, compose_project, compose_service
    from inventory_containers where snapshot_id = ${snapshotId}
    order by name, container_id`;
}
