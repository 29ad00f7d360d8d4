// SQL for notification destinations and rules.
import type { Sql } from 'postgres';

export interface DestinationRow {
  id: number;
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface DestinationFieldsRow {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  enabled: boolean;
}

export async function insertDestination(sql: Sql, d: DestinationFieldsRow, now: Date): Promise<DestinationRow> {
  const [row] = await sql<DestinationRow[]>`
    insert into notification_destinations (name, kind, settings, secrets, enabled, created_at, updated_at)
    values (${d.name}, ${d.kind}, ${sql.json(d.settings as never)}, ${sql.json(d.secrets as never)}, ${d.enabled}, ${now}, ${now})
    returning *`;
  return row!;
}

export async function updateDestination(
  sql: Sql,
  id: number,
  d: DestinationFieldsRow,
  now: Date,
): Promise<DestinationRow | undefined> {
  const [row] = await sql<DestinationRow[]>`
    update notification_destinations set name = ${d.name}, settings = ${sql.json(d.settings as never)},
      secrets = ${sql.json(d.secrets as never)}, enabled = ${d.enabled}, updated_at = ${now}
    where id = ${id} returning *`;
  return row;
}

export async function findDestination(sql: Sql, id: number): Promise<DestinationRow | undefined> {
  const [row] = await sql<DestinationRow[]>`select * from notification_destinations where id = ${id}`;
  return row;
}

export async function listDestinations(sql: Sql): Promise<DestinationRow[]> {
  return sql<DestinationRow[]>`select * from notification_destinations order by id`;
}

export async function deleteDestination(sql: Sql, id: number): Promise<boolean> {
  return (await sql`delete from notification_destinations where id = ${id} returning id`).length > 0;
}

export interface ContainerSelector {
  names?: string[];
  projects?: string[];
  labels?: string[];
}

export interface RuleRow {
  id: number;
  name: string;
  destination_id: number;
  events: string[];
  containers: ContainerSelector | null;
  min_severity: string;
  cooldown_seconds: number;
  group_seconds: number;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export type RuleFields = Omit<RuleRow, 'id' | 'created_at' | 'updated_at'>;

export async function insertRule(sql: Sql, r: RuleFields, now: Date): Promise<RuleRow> {
  const [row] = await sql<RuleRow[]>`
    insert into notification_rules (name, destination_id, events, containers, min_severity, cooldown_seconds, group_seconds, enabled, created_at, updated_at)
    values (${r.name}, ${r.destination_id}, ${r.events}, ${r.containers === null ? null : sql.json(r.containers as never)}, ${r.min_severity},
            ${r.cooldown_seconds}, ${r.group_seconds}, ${r.enabled}, ${now}, ${now})
    returning *`;
  return row!;
}

export async function updateRule(sql: Sql, id: number, r: RuleFields, now: Date): Promise<RuleRow | undefined> {
  const [row] = await sql<RuleRow[]>`
    update notification_rules set name = ${r.name}, destination_id = ${r.destination_id}, events = ${r.events},
      containers = ${r.containers === null ? null : sql.json(r.containers as never)}, min_severity = ${r.min_severity},
      cooldown_seconds = ${r.cooldown_seconds}, group_seconds = ${r.group_seconds}, enabled = ${r.enabled}, updated_at = ${now}
    where id = ${id} returning *`;
  return row;
}

export async function findRule(sql: Sql, id: number): Promise<RuleRow | undefined> {
  const [row] = await sql<RuleRow[]>`select * from notification_rules where id = ${id}`;
  return row;
}

export async function listRules(sql: Sql): Promise<RuleRow[]> {
  return sql<RuleRow[]>`select * from notification_rules order by id`;
}

/** Enabled rules for an event whose destination is enabled. */
export async function rulesForEvent(sql: Sql, event: string): Promise<RuleRow[]> {
  return sql<RuleRow[]>`
    select r.* from notification_rules r join notification_destinations d on d.id = r.destination_id
    where r.enabled and d.enabled and ${event} = any(r.events) order by r.id`;
}

export async function deleteRule(sql: Sql, id: number): Promise<boolean> {
  return (await sql`delete from notification_rules where id = ${id} returning id`).length > 0;
}
