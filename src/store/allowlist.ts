// SQL for the container allowlist and its history.
import type { Sql, TransactionSql } from 'postgres';

type Q = Sql | TransactionSql;

export type AllowlistSource = 'api' | 'label';
export type AllowlistAction = 'added' | 'updated' | 'removed' | 'followed';

export interface AllowlistRow {
  container_id: string;
  name: string;
  compose_project: string | null;
  compose_service: string | null;
  enabled: boolean;
  description: string;
  tags: string[];
  follow: boolean;
  source: AllowlistSource;
  created_at: Date;
  updated_at: Date;
}

export interface AllowlistHistoryRow {
  id: number;
  container_id: string;
  previous_container_id: string | null;
  action: AllowlistAction;
  name: string;
  reason: string;
  at: Date;
}

export async function listAllowlist(sql: Q): Promise<AllowlistRow[]> {
  return sql<AllowlistRow[]>`select * from container_allowlist order by name, container_id`;
}

export async function findAllowlistEntry(sql: Q, containerId: string): Promise<AllowlistRow | undefined> {
  const [row] = await sql<AllowlistRow[]>`select * from container_allowlist where container_id = ${containerId}`;
  return row;
}

/** Entries whose id starts with the prefix (at most two: enough to tell "unique" from "ambiguous"). */
export async function findAllowlistEntriesByPrefix(sql: Q, prefix: string): Promise<AllowlistRow[]> {
  return sql<AllowlistRow[]>`
    select * from container_allowlist where starts_with(container_id, ${prefix}) order by container_id limit 2`;
}

/** Following entries a live container could be the recreation of: same name, or same compose project. */
export async function findFollowTargets(sql: Q, names: string[], projects: string[]): Promise<AllowlistRow[]> {
  return sql<AllowlistRow[]>`
    select * from container_allowlist
    where follow and (name = any(${names}::text[]) or compose_project = any(${projects}::text[]))
    order by container_id`;
}

export interface NewAllowlistEntry {
  containerId: string;
  name: string;
  composeProject: string | null;
  composeService: string | null;
  enabled: boolean;
  description: string;
  tags: string[];
  follow: boolean;
  source: AllowlistSource;
  at: Date;
}

/** Undefined when the container is already on the list. */
export async function insertAllowlistEntry(sql: Q, e: NewAllowlistEntry): Promise<AllowlistRow | undefined> {
  const [row] = await sql<AllowlistRow[]>`
    insert into container_allowlist (container_id, name, compose_project, compose_service, enabled, description, tags, follow,
                                     source, created_at, updated_at)
    values (${e.containerId}, ${e.name}, ${e.composeProject}, ${e.composeService}, ${e.enabled}, ${e.description},
            ${e.tags}::text[], ${e.follow}, ${e.source}, ${e.at}, ${e.at})
    on conflict (container_id) do nothing
    returning *`;
  return row;
}

export interface AllowlistChanges {
  enabled: boolean;
  description: string;
  tags: string[];
  follow: boolean;
}

export async function updateAllowlistEntry(
  sql: Q,
  containerId: string,
  c: AllowlistChanges,
  at: Date,
): Promise<AllowlistRow | undefined> {
  const [row] = await sql<AllowlistRow[]>`
    update container_allowlist
    set enabled = ${c.enabled}, description = ${c.description}, tags = ${c.tags}::text[], follow = ${c.follow}, updated_at = ${at}
    where container_id = ${containerId}
    returning *`;
  return row;
}

export async function deleteAllowlistEntry(sql: Q, containerId: string): Promise<AllowlistRow | undefined> {
  const [row] = await sql<
    AllowlistRow[]
  >`delete from container_allowlist where container_id = ${containerId} returning *`;
  return row;
}

export interface FollowTarget {
  containerId: string;
  name: string;
  composeProject: string | null;
  composeService: string | null;
}

/**
 * Moves a following entry to the recreated container. Undefined when the entry is gone, stopped
 * following, or was moved already (a concurrent follow), or the new id is taken.
 */
export async function moveAllowlistEntry(
  sql: Q,
  fromId: string,
  to: FollowTarget,
  at: Date,
): Promise<AllowlistRow | undefined> {
  const [row] = await sql<AllowlistRow[]>`
    update container_allowlist
    set container_id = ${to.containerId}, name = ${to.name}, compose_project = ${to.composeProject},
        compose_service = ${to.composeService}, updated_at = ${at}
    where container_id = ${fromId} and follow
      and not exists (select 1 from container_allowlist taken where taken.container_id = ${to.containerId})
    returning *`;
  return row;
}

export interface NewHistoryRow {
  containerId: string;
  previousContainerId: string | null;
  action: AllowlistAction;
  name: string;
  reason: string;
  at: Date;
}

export async function insertAllowlistHistory(sql: Q, h: NewHistoryRow): Promise<AllowlistHistoryRow> {
  const [row] = await sql<AllowlistHistoryRow[]>`
    insert into container_allowlist_history (container_id, previous_container_id, action, name, reason, at)
    values (${h.containerId}, ${h.previousContainerId}, ${h.action}, ${h.name}, ${h.reason}, ${h.at})
    returning *`;
  return row!;
}

/** An entry's history under every id it had: walks "followed" rows back to the earlier containers. */
export async function listAllowlistHistory(sql: Q, containerId: string): Promise<AllowlistHistoryRow[]> {
  return sql<AllowlistHistoryRow[]>`
    with recursive ids (id) as (
      select ${containerId}::text
      union
      select h.previous_container_id from container_allowlist_history h join ids on h.container_id = ids.id
      where h.action = 'followed' and h.previous_container_id is not null
    )
    select * from container_allowlist_history where container_id in (select id from ids)
    order by id`;
}

/** The newest history rows of one action over every entry (the Containers page's "followed" notices);
 * walks the primary key backwards, so it reads about `limit` rows when the action is common. */
export async function listRecentAllowlistHistory(
  sql: Q,
  action: AllowlistAction,
  limit: number,
): Promise<AllowlistHistoryRow[]> {
  return sql<AllowlistHistoryRow[]>`
    select * from container_allowlist_history where action = ${action} order by id desc limit ${limit}`;
}

/** Which of these container ids are on the list. */
export async function allowlistedIds(sql: Q, ids: string[]): Promise<string[]> {
  const rows = await sql<{ container_id: string }[]>`
    select container_id from container_allowlist where container_id = any(${ids}::text[])`;
  return rows.map((r) => r.container_id);
}
