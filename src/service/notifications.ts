// Notification destinations and rules: create, edit, delete, list. Secrets are stored and never shown
// back (masked) nor logged. Shared by REST, MCP and the web UI.
import { Type, type Static } from '@sinclair/typebox';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { EventBus } from '../events/bus.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import {
  DESTINATION_KINDS,
  fieldProblem,
  maskedFields,
  splitFields,
  type DestinationFields,
  type DestinationKind,
} from '../notify/kinds.ts';
import { SEVERITIES, type Severity } from '../notify/message.ts';
import * as store from '../store/notification-config.ts';
import { Id } from './schemas.ts';
import { assertValid } from './validate.ts';
import type * as w from './watch-schemas.ts';

export interface NotificationsCtx {
  db: Database;
  clock: Clock;
  events: EventBus;
}

export const NOTIFY_EVENTS = [
  'new_error_pattern',
  'error_spike',
  'crash_loop',
  'oom_killed',
  'unhealthy',
  'container_died',
  'new_exposure',
  'gpu_hot',
  'run_failed',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Url = Type.String({
  minLength: 8,
  maxLength: 2000,
  pattern: '^https?://',
  description: 'http(s) URL; stored as a secret (shown masked)',
});
const Secret = Type.String({ minLength: 1, maxLength: 500 });
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@<>]+@[^\\s@<>]+$' });
const Kind = Type.Union(DESTINATION_KINDS.map((k) => Type.Literal(k)));

const destinationFields = {
  url: Type.Optional(Url),
  token: Type.Optional(
    Type.Union([Secret, Type.Null()], { description: 'ntfy access token, Gotify application token' }),
  ),
  secret: Type.Optional(Type.Union([Secret, Type.Null()], { description: 'webhook: HMAC-SHA256 signing secret' })),
  host: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 253,
      pattern: '^[A-Za-z0-9.:\\[\\]-]+$',
      description: 'email: SMTP server',
    }),
  ),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  security: Type.Optional(
    Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')], {
      description: 'email: tls (465), starttls (587) or none',
    }),
  ),
  username: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 254 }), Type.Null()])),
  password: Type.Optional(Type.Union([Secret, Type.Null()])),
  from: Type.Optional(Email),
  to: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 20 })),
  allow_self_signed: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
};

export const CreateDestinationInput = Type.Object(
  { name: Name, kind: Kind, ...destinationFields },
  { additionalProperties: false },
);
export type CreateDestinationInput = Static<typeof CreateDestinationInput>;
export const UpdateDestinationInput = Type.Object(
  { name: Type.Optional(Name), ...destinationFields },
  { additionalProperties: false },
);
export type UpdateDestinationInput = Static<typeof UpdateDestinationInput>;

export type DestinationView = Static<typeof w.DestinationView>;

export function destinationView(row: store.DestinationRow): DestinationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as DestinationKind,
    enabled: row.enabled,
    fields: maskedFields(row.settings, row.secrets),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function taken(err: unknown, what: string, name: string): never {
  if ((err as { code?: string }).code === '23505')
    throw new AppError(409, 'name_taken', `a ${what} named "${name}" exists`);
  throw err;
}

/** Merges given fields over stored ones (null removes an optional one) and checks them for the kind. */
function merged(kind: DestinationKind, stored: DestinationFields, given: Record<string, unknown>): DestinationFields {
  const out: Record<string, unknown> = { ...stored };
  for (const [k, v] of Object.entries(given)) {
    if (k === 'name' || k === 'kind' || k === 'enabled' || v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  const f = out as DestinationFields;
  const problem = fieldProblem(kind, f);
  if (problem) throw badRequest(problem);
  return f;
}

export async function createDestination(ctx: NotificationsCtx, raw: CreateDestinationInput): Promise<DestinationView> {
  const input = assertValid(CreateDestinationInput, raw, 'destination');
  const fields = merged(input.kind, {}, input);
  const { settings, secrets } = splitFields(fields);
  const name = input.name.trim();
  const row = await store
    .insertDestination(
      ctx.db.sql,
      { name, kind: input.kind, settings, secrets, enabled: input.enabled ?? true },
      ctx.clock.now(),
    )
    .catch((e) => taken(e, 'destination', name));
  return destinationView(row);
}

export async function updateDestination(
  ctx: NotificationsCtx,
  id: number,
  raw: UpdateDestinationInput,
): Promise<DestinationView> {
  const input = assertValid(UpdateDestinationInput, raw, 'destination');
  const row = await store.findDestination(ctx.db.sql, id);
  if (!row) throw notFound(`destination ${id}`);
  const kind = row.kind as DestinationKind;
  const fields = merged(kind, { ...row.settings, ...row.secrets } as DestinationFields, input);
  const { settings, secrets } = splitFields(fields);
  const name = input.name?.trim() ?? row.name;
  const updated = await store
    .updateDestination(
      ctx.db.sql,
      id,
      { name, kind, settings, secrets, enabled: input.enabled ?? row.enabled },
      ctx.clock.now(),
    )
    .catch((e) => taken(e, 'destination', name));
  if (!updated) throw notFound(`destination ${id}`);
  return destinationView(updated);
}

export async function deleteDestination(ctx: NotificationsCtx, id: number): Promise<void> {
  if (!(await store.deleteDestination(ctx.db.sql, id))) throw notFound(`destination ${id}`);
}

export async function listDestinations(ctx: NotificationsCtx): Promise<{ destinations: DestinationView[] }> {
  return { destinations: (await store.listDestinations(ctx.db.sql)).map(destinationView) };
}

export async function getDestination(ctx: NotificationsCtx, id: number): Promise<DestinationView> {
  const row = await store.findDestination(ctx.db.sql, id);
  if (!row) throw notFound(`destination ${id}`);
  return destinationView(row);
}

const Glob = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_.*?-]+$',
  description: 'a container name or a glob (* and ?)',
});
const Containers = Type.Object(
  {
    names: Type.Optional(Type.Array(Glob, { maxItems: 100 })),
    projects: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 })),
    labels: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256, description: 'key or key=value' }), { maxItems: 100 }),
    ),
  },
  { additionalProperties: false, description: 'which containers; omitted or null: every allowlisted container' },
);
const ruleFields = {
  destination_id: Id,
  events: Type.Array(Type.Union(NOTIFY_EVENTS.map((e) => Type.Literal(e))), {
    minItems: 1,
    maxItems: NOTIFY_EVENTS.length,
    uniqueItems: true,
  }),
  containers: Type.Optional(Type.Union([Containers, Type.Null()])),
  min_severity: Type.Optional(
    Type.Union(
      SEVERITIES.map((s) => Type.Literal(s)),
      { description: 'default warning' },
    ),
  ),
  cooldown_seconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 7 * 86400,
      description: 'the same incident at most once per this many seconds (default 0)',
    }),
  ),
  group_seconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 3600,
      description: 'events within this window become one message (default 10; 0 sends at once)',
    }),
  ),
  enabled: Type.Optional(Type.Boolean()),
};
export const CreateRuleInput = Type.Object({ name: Name, ...ruleFields }, { additionalProperties: false });
export type CreateRuleInput = Static<typeof CreateRuleInput>;
export const UpdateRuleInput = Type.Object(
  {
    name: Type.Optional(Name),
    ...ruleFields,
    destination_id: Type.Optional(Id),
    events: Type.Optional(ruleFields.events),
  },
  { additionalProperties: false },
);
export type UpdateRuleInput = Static<typeof UpdateRuleInput>;

export type RuleView = Static<typeof w.RuleView>;

const ruleView = (r: store.RuleRow): RuleView => ({
  id: r.id,
  name: r.name,
  destination_id: Number(r.destination_id),
  events: r.events,
  containers: r.containers,
  min_severity: r.min_severity as Severity,
  cooldown_seconds: r.cooldown_seconds,
  group_seconds: r.group_seconds,
  enabled: r.enabled,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

async function checkDestination(ctx: NotificationsCtx, id: number): Promise<void> {
  if (!(await store.findDestination(ctx.db.sql, id)))
    throw new AppError(400, 'bad_request', `destination ${id} does not exist`);
}

export async function createRule(ctx: NotificationsCtx, raw: CreateRuleInput): Promise<RuleView> {
  const input = assertValid(CreateRuleInput, raw, 'rule');
  await checkDestination(ctx, input.destination_id);
  const name = input.name.trim();
  const row = await store
    .insertRule(
      ctx.db.sql,
      {
        name,
        destination_id: input.destination_id,
        events: input.events,
        containers: input.containers ?? null,
        min_severity: input.min_severity ?? 'warning',
        cooldown_seconds: input.cooldown_seconds ?? 0,
        group_seconds: input.group_seconds ?? 10,
        enabled: input.enabled ?? true,
      },
      ctx.clock.now(),
    )
    .catch((e) => taken(e, 'rule', name));
  return ruleView(row);
}

export async function updateRule(ctx: NotificationsCtx, id: number, raw: UpdateRuleInput): Promise<RuleView> {
  const input = assertValid(UpdateRuleInput, raw, 'rule');
  const row = await store.findRule(ctx.db.sql, id);
  if (!row) throw notFound(`rule ${id}`);
  if (input.destination_id !== undefined) await checkDestination(ctx, input.destination_id);
  const name = input.name?.trim() ?? row.name;
  const updated = await store
    .updateRule(
      ctx.db.sql,
      id,
      {
        name,
        destination_id: input.destination_id ?? row.destination_id,
        events: input.events ?? row.events,
        containers: input.containers !== undefined ? input.containers : row.containers,
        min_severity: input.min_severity ?? row.min_severity,
        cooldown_seconds: input.cooldown_seconds ?? row.cooldown_seconds,
        group_seconds: input.group_seconds ?? row.group_seconds,
        enabled: input.enabled ?? row.enabled,
      },
      ctx.clock.now(),
    )
    .catch((e) => taken(e, 'rule', name));
  if (!updated) throw notFound(`rule ${id}`);
  return ruleView(updated);
}

export async function deleteRule(ctx: NotificationsCtx, id: number): Promise<void> {
  if (!(await store.deleteRule(ctx.db.sql, id))) throw notFound(`rule ${id}`);
}

export async function listRules(ctx: NotificationsCtx): Promise<{ rules: RuleView[] }> {
  return { rules: (await store.listRules(ctx.db.sql)).map(ruleView) };
}

export async function getRule(ctx: NotificationsCtx, id: number): Promise<RuleView> {
  const row = await store.findRule(ctx.db.sql, id);
  if (!row) throw notFound(`rule ${id}`);
  return ruleView(row);
}
