// SQL for what notifications have announced (incidents), events waiting for their group (pending),
// and the outbox with its delivery attempts.
import type { Sql, TransactionSql } from 'postgres';

type Q = Sql | TransactionSql;

export interface IncidentRow {
  key: string;
  event: string;
  container: string | null;
  first_seen: Date;
  last_seen: Date;
  occurrences: number;
  announced_count: number;
  announced_at: Date;
}

/**
 * Records an occurrence of an incident and says whether to announce it: a new incident always; a
 * known one only when its count reached `worsenFactor` times the count last announced.
 */
export async function noteIncident(
  sql: Q,
  i: { key: string; event: string; container: string | null; seen: Date; count: number },
  worsenFactor: number,
  now: Date,
): Promise<{ announce: boolean; isNew: boolean }> {
  const [row] = await sql<{ inserted: boolean; announce: boolean }[]>`
    insert into notification_incidents as n (key, event, container, first_seen, last_seen, occurrences, announced_count, announced_at)
    values (${i.key}, ${i.event}, ${i.container}, ${i.seen}, ${i.seen}, ${i.count}, ${i.count}, ${now})
    on conflict (key) do update set
      last_seen = greatest(n.last_seen, excluded.last_seen),
      occurrences = greatest(n.occurrences, excluded.occurrences),
      announced_count = case when excluded.occurrences >= n.announced_count * ${worsenFactor} then excluded.occurrences else n.announced_count end,
      announced_at = case when excluded.occurrences >= n.announced_count * ${worsenFactor} then ${now} else n.announced_at end
    returning (xmax = 0) as inserted, (announced_at = ${now}) as announce`;
  return { announce: row!.announce, isNew: row!.inserted };
}

export interface NewPending {
  rule_id: number;
  destination_id: number;
  incident_key: string;
  event: string;
  severity: string;
  container: string | null;
  title: string;
  text: string;
  count: number;
  first_seen: Date;
  run_id: number | null;
}

/** The rule's last event of this incident after `since` (cooldown). */
export async function recentPendingOfRule(sql: Q, ruleId: number, incidentKey: string, since: Date): Promise<boolean> {
  const rows = await sql`
    select 1 from notification_pending where rule_id = ${ruleId} and incident_key = ${incidentKey} and created_at > ${since} limit 1`;
  return rows.length > 0;
}

/**
 * Adds an event to its destination's open group (sent at that group's due time) or opens a new group
 * due `groupSeconds` from now. Serialised per destination by an advisory transaction lock.
 */
export async function addPending(
  tx: TransactionSql,
  p: NewPending,
  groupSeconds: number,
  now: Date,
): Promise<{ due_at: Date }> {
  await tx`select pg_advisory_xact_lock(7017, ${p.destination_id}::int)`;
  const [open] = await tx<{ due_at: Date }[]>`
    select min(due_at) as due_at from notification_pending where destination_id = ${p.destination_id} and flushed_at is null`;
  const proposed = new Date(now.getTime() + groupSeconds * 1000);
  const due = open?.due_at && open.due_at.getTime() <= proposed.getTime() ? open.due_at : proposed;
  await tx`
    insert into notification_pending (rule_id, destination_id, incident_key, event, severity, container, title, text, count, first_seen, run_id, created_at, due_at)
    values (${p.rule_id}, ${p.destination_id}, ${p.incident_key}, ${p.event}, ${p.severity}, ${p.container}, ${p.title}, ${p.text},
            ${p.count}, ${p.first_seen}, ${p.run_id}, ${now}, ${due})`;
  return { due_at: due };
}

export interface PendingRow extends NewPending {
  id: number;
  created_at: Date;
  due_at: Date;
}

/** Destinations with a group whose window has closed. */
export async function dueDestinations(sql: Q, now: Date): Promise<number[]> {
  const rows = await sql<{ destination_id: number }[]>`
    select distinct destination_id from notification_pending where due_at <= ${now} and flushed_at is null`;
  return rows.map((r) => Number(r.destination_id));
}

/** Takes a destination's due group (locked; none when another instance holds it). */
export async function takeDueGroup(tx: TransactionSql, destinationId: number, now: Date): Promise<PendingRow[]> {
  const rows = await tx<PendingRow[]>`
    select * from notification_pending where destination_id = ${destinationId} and due_at <= ${now} and flushed_at is null
    order by id for update skip locked`;
  if (rows.length)
    await tx`update notification_pending set flushed_at = ${now}, title = '', text = '' where id = any(${rows.map((r) => r.id)}::bigint[])`;
  return rows;
}

/** Forgets flushed events older than `before` (cooldowns look back at most a week). */
export async function pruneFlushed(sql: Q, before: Date): Promise<void> {
  await sql`delete from notification_pending where flushed_at < ${before}`;
}

export type OutboxStatus = 'queued' | 'sending' | 'delivered' | 'dead';

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  destination_id: number;
  events: string[];
  is_test: boolean;
  message: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface NewOutbox {
  idempotency_key: string;
  destination_id: number;
  events: string[];
  is_test: boolean;
  message: Record<string, unknown>;
  max_attempts: number;
}

/** Enqueues a message once per idempotency key; returns the row (new or the existing one). */
export async function enqueue(sql: Q, o: NewOutbox, now: Date): Promise<OutboxRow> {
  const [row] = await sql<OutboxRow[]>`
    insert into notification_outbox (idempotency_key, destination_id, events, is_test, message, status, max_attempts, next_attempt_at, created_at)
    values (${o.idempotency_key}, ${o.destination_id}, ${o.events}, ${o.is_test}, ${sql.json(o.message as never)}, 'queued', ${o.max_attempts}, ${now}, ${now})
    on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
    returning *`;
  return row!;
}

/** Claims one queued message whose time has come, under a lease. */
export async function claimOutbox(sql: Sql, owner: string, now: Date, leaseMs: number): Promise<OutboxRow | undefined> {
  const until = new Date(now.getTime() + leaseMs);
  const [row] = await sql<OutboxRow[]>`
    update notification_outbox set status = 'sending', lease_owner = ${owner}, lease_expires_at = ${until}, attempts = attempts + 1
    where id = (
      select id from notification_outbox where status = 'queued' and next_attempt_at <= ${now}
      order by next_attempt_at, id limit 1 for update skip locked)
    returning *`;
  return row;
}

/** Claims one given queued message (a test sent at once). */
export async function claimOutboxById(
  sql: Sql,
  id: number,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<OutboxRow | undefined> {
  const until = new Date(now.getTime() + leaseMs);
  const [row] = await sql<OutboxRow[]>`
    update notification_outbox set status = 'sending', lease_owner = ${owner}, lease_expires_at = ${until}, attempts = attempts + 1
    where id = ${id} and status = 'queued'
    returning *`;
  return row;
}

/** Gives messages whose sender died mid-send back to the queue (the attempt counts). */
export async function sweepOutbox(sql: Sql, now: Date): Promise<number> {
  const rows = await sql`
    update notification_outbox set status = case when attempts >= max_attempts then 'dead' else 'queued' end,
      lease_owner = null, lease_expires_at = null, last_error = coalesce(last_error, 'interrupted'), next_attempt_at = ${now}
    where status = 'sending' and lease_expires_at < ${now} returning id`;
  return rows.length;
}

export interface AttemptOutcome {
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/**
 * Records an attempt and moves the message on: delivered (its text erased: it may quote log
 * patterns, and it was delivered), back to the queue at `retryAt`, or dead.
 */
export async function finishAttempt(
  sql: Sql,
  row: OutboxRow,
  owner: string,
  a: AttemptOutcome,
  now: Date,
  retryAt: Date,
): Promise<OutboxStatus | null> {
  return sql.begin(async (tx) => {
    const status: OutboxStatus = a.ok ? 'delivered' : row.attempts >= row.max_attempts ? 'dead' : 'queued';
    const [updated] = await tx<{ status: OutboxStatus }[]>`
      update notification_outbox set status = ${status}, lease_owner = null, lease_expires_at = null,
        last_error = ${a.ok ? null : a.error}, delivered_at = ${a.ok ? now : null},
        next_attempt_at = ${a.ok ? now : retryAt},
        message = case when ${a.ok} then jsonb_build_object('id', message->'id', 'title', message->'title', 'erased', true) else message end
      where id = ${row.id} and status = 'sending' and lease_owner = ${owner}
      returning status`;
    if (!updated) return null;
    await tx`
      insert into notification_attempts (outbox_id, attempt, at, ok, status_code, error, duration_ms)
      values (${row.id}, ${row.attempts}, ${now}, ${a.ok}, ${a.status_code}, ${a.error}, ${a.duration_ms})`;
    return status;
  });
}

export interface DeliveryRow extends OutboxRow {
  destination_name: string;
  attempt_log: {
    attempt: number;
    at: string;
    ok: boolean;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
  }[];
}

/** The delivery log: newest first, each message with its attempts. */
export async function listDeliveries(
  sql: Sql,
  f: { destinationId?: number; status?: OutboxStatus; before?: number; limit: number },
): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select o.*, d.name as destination_name,
      coalesce((select jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'ok', a.ok, 'status_code', a.status_code,
                 'error', a.error, 'duration_ms', a.duration_ms) order by a.attempt)
                from notification_attempts a where a.outbox_id = o.id), '[]'::jsonb) as attempt_log
    from notification_outbox o join notification_destinations d on d.id = o.destination_id
    where true
      ${f.destinationId ? sql`and o.destination_id = ${f.destinationId}` : sql``}
      ${f.status ? sql`and o.status = ${f.status}` : sql``}
      ${f.before ? sql`and o.id < ${f.before}` : sql``}
    order by o.id desc limit ${f.limit}`;
}
