// SQL for schedules and their claimed slots. A slot is launched at most once: the claim advances the
// schedule's done_through under its row lock AND inserts the (schedule, slot) key, in the caller's
// transaction together with the run it launches.
import type { Sql, TransactionSql } from 'postgres';

export interface ScheduleRow {
  id: number;
  name: string;
  tasks: string[];
  options: Record<string, Record<string, unknown>>;
  directive_id: number | null;
  cron: string | null;
  every_seconds: number | null;
  enabled: boolean;
  anchor_at: Date;
  done_through: Date;
  created_at: Date;
  updated_at: Date;
}

export interface ScheduleFields {
  name: string;
  tasks: string[];
  options: Record<string, Record<string, unknown>>;
  directive_id: number | null;
  cron: string | null;
  every_seconds: number | null;
  enabled: boolean;
}

export async function insertSchedule(sql: Sql, f: ScheduleFields, now: Date): Promise<ScheduleRow> {
  const [row] = await sql<ScheduleRow[]>`
    insert into schedules (name, tasks, options, directive_id, cron, every_seconds, enabled, anchor_at, done_through, created_at, updated_at)
    values (${f.name}, ${f.tasks}, ${sql.json(f.options as never)}, ${f.directive_id}, ${f.cron}, ${f.every_seconds}, ${f.enabled},
            ${now}, ${now}, ${now}, ${now})
    returning *`;
  return row!;
}

/**
 * Writes the given fields. `restart` moves the anchor and done_through to now: a new timing, or a
 * resume, starts from the next slot instead of running the ones it skipped.
 */
export async function updateSchedule(
  sql: Sql,
  id: number,
  f: ScheduleFields,
  now: Date,
  restart: boolean,
): Promise<ScheduleRow | undefined> {
  const [row] = await sql<ScheduleRow[]>`
    update schedules set
      name = ${f.name}, tasks = ${f.tasks}, options = ${sql.json(f.options as never)}, directive_id = ${f.directive_id},
      cron = ${f.cron}, every_seconds = ${f.every_seconds}, enabled = ${f.enabled}, updated_at = ${now},
      anchor_at = case when ${restart} then ${now} else anchor_at end,
      done_through = case when ${restart} then greatest(done_through, ${now}) else done_through end
    where id = ${id}
    returning *`;
  return row;
}

export async function findSchedule(sql: Sql, id: number): Promise<ScheduleRow | undefined> {
  const [row] = await sql<ScheduleRow[]>`select * from schedules where id = ${id}`;
  return row;
}

export async function findScheduleByName(sql: Sql, name: string): Promise<ScheduleRow | undefined> {
  const [row] = await sql<ScheduleRow[]>`select * from schedules where name = ${name}`;
  return row;
}

export async function listSchedules(sql: Sql): Promise<ScheduleRow[]> {
  return sql<ScheduleRow[]>`select * from schedules order by id`;
}

export async function listEnabledSchedules(sql: Sql): Promise<ScheduleRow[]> {
  return sql<ScheduleRow[]>`select * from schedules where enabled order by id`;
}

export async function deleteSchedule(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql`delete from schedules where id = ${id} returning id`;
  return rows.length > 0;
}

/**
 * Claims one slot inside `tx`: true when this caller won it. The schedule row is locked and must still
 * be enabled with done_through before the slot; the (schedule, slot) key must be new.
 */
export async function claimSlot(
  tx: TransactionSql,
  scheduleId: number,
  slot: Date,
  owner: string,
  now: Date,
): Promise<boolean> {
  const advanced = await tx`
    update schedules set done_through = ${slot}
    where id = ${scheduleId} and enabled and done_through < ${slot}
    returning id`;
  if (advanced.length === 0) return false;
  const inserted = await tx`
    insert into schedule_slots (schedule_id, slot_at, claimed_by, created_at)
    values (${scheduleId}, ${slot}, ${owner}, ${now})
    on conflict do nothing
    returning slot_at`;
  return inserted.length > 0;
}

export async function setSlotRun(tx: TransactionSql, scheduleId: number, slot: Date, runId: number): Promise<void> {
  await tx`update schedule_slots set run_id = ${runId} where schedule_id = ${scheduleId} and slot_at = ${slot}`;
}

export interface SlotRow {
  schedule_id: number;
  slot_at: Date;
  run_id: number | null;
  claimed_by: string;
}

/** The newest slots of a schedule (schedule page: its last runs). */
export async function recentSlots(sql: Sql, scheduleId: number, limit: number): Promise<SlotRow[]> {
  return sql<SlotRow[]>`
    select schedule_id, slot_at, run_id, claimed_by from schedule_slots
    where schedule_id = ${scheduleId} order by slot_at desc limit ${limit}`;
}
