// SQL for the service maps runs drew: names and ports of edges and exposures, so the next map can say
// what changed. Never an environment value.
import type { Sql, TransactionSql } from 'postgres';

type Q = Sql | TransactionSql;

export interface ServiceMapRow {
  id: number;
  run_id: number;
  job_id: number;
  taken_at: Date;
  scope: 'allowlist' | 'all';
  docker_host: string;
  node_count: number;
  edge_count: number;
  edge_keys: string[];
  exposure_keys: string[];
}

export type NewServiceMap = Omit<ServiceMapRow, 'id'>;

export async function insertServiceMap(sql: Q, m: NewServiceMap): Promise<ServiceMapRow> {
  const [row] = await sql<ServiceMapRow[]>`
    insert into service_maps (run_id, job_id, taken_at, scope, docker_host, node_count, edge_count, edge_keys, exposure_keys)
    values (${m.run_id}, ${m.job_id}, ${m.taken_at}, ${m.scope}, ${m.docker_host}, ${m.node_count}, ${m.edge_count},
            ${m.edge_keys}::text[], ${m.exposure_keys}::text[])
    returning *`;
  return row!;
}

export async function findPreviousServiceMap(
  sql: Q,
  dockerHost: string,
  scope: string,
  beforeJobId: number,
): Promise<ServiceMapRow | undefined> {
  const [row] = await sql<ServiceMapRow[]>`
    select * from service_maps
    where docker_host = ${dockerHost} and scope = ${scope} and job_id <> ${beforeJobId}
    order by id desc
    limit 1`;
  return row;
}
