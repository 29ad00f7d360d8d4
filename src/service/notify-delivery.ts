// Delivery: closed groups become one outbox message per destination (in the same transaction that takes
// them, under an idempotency key made from their events, so no group is sent twice); senders claim
// queued messages under a lease, retry with doubling waits, and mark a message dead after its last
// attempt. A message whose sender died mid-send is given back by the sweeper. Also: send a test, and
// the delivery log.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { badRequest, notFound } from '../errors.ts';
import type { Logger } from '../log.ts';
import { composeMessage } from '../notify/compose.ts';
import { sendTo, type DestinationKind } from '../notify/kinds.ts';
import type { Message, Severity } from '../notify/message.ts';
import * as config from '../store/notification-config.ts';
import * as outbox from '../store/notification-outbox.ts';
import type { NotificationsCtx } from './notifications.ts';
import { Type, type Static } from '@sinclair/typebox';
import { Id } from './schemas.ts';
import { assertValid } from './validate.ts';
import type * as w from './watch-schemas.ts';

export interface DeliveryCtx extends NotificationsCtx {
  logger: Logger;
  notify: { publicUrl: string | undefined; maxAttempts: number; retryBaseMs: number };
  /** Who holds a message while sending it. */
  owner: string;
}

/**
 * A message in flight is given back after this long (its sender died mid-send): sends time out after
 * 10 s per phase, so a live sender has finished by then. The receiver may then get it twice, with the
 * same id (at least once).
 */
export const SEND_LEASE_MS = 30_000;
const MAX_RETRY_MS = 3600_000;

export function retryDelayMs(baseMs: number, attempts: number): number {
  return Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** Moves every closed group into the outbox; returns how many messages were made. */
export async function flushGroups(ctx: DeliveryCtx): Promise<number> {
  const now = ctx.clock.now();
  let made = 0;
  for (const destinationId of await outbox.dueDestinations(ctx.db.sql, now)) {
    const done = await ctx.db.sql.begin(async (tx) => {
      const rows = await outbox.takeDueGroup(tx, destinationId, now);
      if (!rows.length) return false;
      const key = `cb-${destinationId}-${createHash('sha256')
        .update(rows.map((r) => r.id).join(','))
        .digest('hex')
        .slice(0, 24)}`;
      const message = composeMessage({
        id: key,
        host: hostname(),
        publicUrl: ctx.notify.publicUrl,
        items: rows.map((r) => ({
          event: r.event,
          severity: r.severity as Severity,
          container: r.container,
          title: r.title,
          line: r.text,
          count: Number(r.count),
          first_seen: r.first_seen.toISOString(),
          run_id: r.run_id === null ? null : Number(r.run_id),
        })),
      });
      await outbox.enqueue(
        tx,
        {
          idempotency_key: key,
          destination_id: destinationId,
          events: [...new Set(rows.map((r) => r.event))],
          is_test: false,
          message: message as never,
          max_attempts: ctx.notify.maxAttempts,
        },
        now,
      );
      return true;
    });
    if (done) made++;
  }
  if (made) await outbox.pruneFlushed(ctx.db.sql, new Date(now.getTime() - 7 * 86400_000));
  return made;
}

async function attempt(ctx: DeliveryCtx, row: outbox.OutboxRow): Promise<outbox.OutboxStatus | null> {
  const dest = await config.findDestination(ctx.db.sql, row.destination_id);
  const started = performance.now();
  const result = dest
    ? await sendTo(dest.kind as DestinationKind, dest.settings, dest.secrets, row.message as unknown as Message)
    : { ok: false, status: null, error: 'destination_deleted' };
  const now = ctx.clock.now();
  const retryAt = new Date(now.getTime() + retryDelayMs(ctx.notify.retryBaseMs, row.attempts));
  const status = await outbox.finishAttempt(
    ctx.db.sql,
    row,
    ctx.owner,
    {
      ok: result.ok,
      status_code: result.status,
      error: result.error,
      duration_ms: Math.round(performance.now() - started),
    },
    now,
    retryAt,
  );
  // the destination's name and the outcome only: never its URL or the message
  if (status === 'dead')
    ctx.logger.warn('notification dead', {
      outbox_id: row.id,
      destination: dest?.name,
      attempts: row.attempts,
      error: result.error,
    });
  else if (!result.ok)
    ctx.logger.info('notification attempt failed', {
      outbox_id: row.id,
      destination: dest?.name,
      attempt: row.attempts,
      error: result.error,
    });
  return status;
}

/** Sends queued messages until none is due; returns how many attempts were made. */
export async function deliverDue(ctx: DeliveryCtx, limit = 50): Promise<number> {
  await outbox.sweepOutbox(ctx.db.sql, ctx.clock.now());
  let n = 0;
  while (n < limit) {
    const row = await outbox.claimOutbox(ctx.db.sql, ctx.owner, ctx.clock.now(), SEND_LEASE_MS);
    if (!row) break;
    await attempt(ctx, row);
    n++;
  }
  return n;
}

export type TestResult = Static<typeof w.TestResult>;

/** Sends a test message to a destination now, through the outbox (so it shows in the delivery log). */
export async function sendTest(ctx: DeliveryCtx, destinationId: number): Promise<TestResult> {
  const dest = await config.findDestination(ctx.db.sql, destinationId);
  if (!dest) throw notFound(`destination ${destinationId}`);
  const now = ctx.clock.now();
  const key = `cb-test-${destinationId}-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const message = composeMessage({
    id: key,
    host: hostname(),
    publicUrl: ctx.notify.publicUrl,
    items: [
      {
        event: 'test',
        severity: 'info',
        container: null,
        title: `Cyber-Brain test message for "${dest.name}"`,
        line: 'If you can read this, this destination works.',
        count: 1,
        first_seen: now.toISOString(),
        run_id: null,
      },
    ],
  });
  // one attempt: a test answers at once instead of retrying in the background
  const row = await outbox.enqueue(
    ctx.db.sql,
    {
      idempotency_key: key,
      destination_id: destinationId,
      events: ['test'],
      is_test: true,
      message: message as never,
      max_attempts: 1,
    },
    now,
  );
  const claimed = await outbox.claimOutboxById(ctx.db.sql, row.id, ctx.owner, now, SEND_LEASE_MS);
  if (!claimed) throw badRequest('the test message was taken by another sender');
  const status = (await attempt(ctx, claimed)) ?? 'dead';
  const [log] = await outbox.listDeliveries(ctx.db.sql, { destinationId, limit: 1 });
  const last = log?.attempt_log.at(-1);
  return {
    outbox_id: row.id,
    status,
    ok: status === 'delivered',
    status_code: last?.status_code ?? null,
    error: last?.error ?? null,
  };
}

export const ListDeliveriesQuery = Type.Object(
  {
    destination: Type.Optional(Id),
    status: Type.Optional(
      Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('dead')]),
    ),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListDeliveriesQuery = Static<typeof ListDeliveriesQuery>;

export type DeliveryView = Static<typeof w.DeliveryView>;

export async function listDeliveries(
  ctx: NotificationsCtx,
  raw: ListDeliveriesQuery,
): Promise<{ deliveries: DeliveryView[]; next_before: number | null }> {
  const q = assertValid(ListDeliveriesQuery, raw, 'query');
  const limit = q.limit ?? 50;
  const rows = await outbox.listDeliveries(ctx.db.sql, {
    destinationId: q.destination,
    status: q.status,
    before: q.before,
    limit,
  });
  return {
    deliveries: rows.map((r) => ({
      id: Number(r.id),
      idempotency_key: r.idempotency_key,
      destination: { id: Number(r.destination_id), name: r.destination_name },
      events: r.events,
      is_test: r.is_test,
      title: typeof r.message.title === 'string' ? r.message.title : null,
      status: r.status,
      attempts: r.attempts,
      max_attempts: r.max_attempts,
      next_attempt_at: r.status === 'queued' ? r.next_attempt_at.toISOString() : null,
      last_error: r.last_error,
      created_at: r.created_at.toISOString(),
      delivered_at: r.delivered_at ? r.delivered_at.toISOString() : null,
      attempt_log: r.attempt_log,
    })),
    next_before: rows.length === limit ? Number(rows[rows.length - 1]!.id) : null,
  };
}
