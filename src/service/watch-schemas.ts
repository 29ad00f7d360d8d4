// The shapes the watch use cases (schedules, notifications) answer with, as TypeBox schemas: REST
// documents and checks its 2xx bodies with them, MCP tools give them as outputSchema. Field names
// match the view types in schedules.ts, notifications.ts and notify-delivery.ts.
import { Type } from '@sinclair/typebox';
import { DESTINATION_KINDS, type DestinationKind } from '../notify/kinds.ts';
import { SEVERITIES, type Severity } from '../notify/message.ts';
import { Nullable, OneOf } from './schemas.ts';

const Int = Type.Integer();
const Str = Type.String();
const Bool = Type.Boolean();
const When = Type.String({ description: 'RFC 3339 time' });
// the lists are typed as plain arrays, so their literal type is given here once
const Kind = Type.Unsafe<DestinationKind>(OneOf(DESTINATION_KINDS));
const SeverityLevel = Type.Unsafe<Severity>(OneOf(SEVERITIES));
const OutboxStatus = OneOf(['queued', 'sending', 'delivered', 'dead'] as const);

export const ScheduleView = Type.Object({
  id: Int,
  name: Str,
  tasks: Type.Array(Str),
  options: Type.Record(Str, Type.Record(Str, Type.Unknown())),
  directive_id: Nullable(Int),
  cron: Nullable(Str),
  every_seconds: Nullable(Int),
  enabled: Bool,
  next_runs: Type.Array(When, { description: 'the next slots (none while paused)' }),
  last_slot: Nullable(Type.Object({ at: When, run_id: Nullable(Int) })),
  created_at: When,
  updated_at: When,
});
export const ScheduleList = Type.Object({ schedules: Type.Array(ScheduleView) });

export const DestinationView = Type.Object({
  id: Int,
  name: Str,
  kind: Kind,
  enabled: Bool,
  fields: Type.Record(Str, Type.Unknown(), {
    description: 'settings as they are; secrets masked ("https://host/****", "****")',
  }),
  created_at: When,
  updated_at: When,
});
export const DestinationList = Type.Object({ destinations: Type.Array(DestinationView) });

export const ContainerSelector = Type.Object({
  names: Type.Optional(Type.Array(Str)),
  projects: Type.Optional(Type.Array(Str)),
  labels: Type.Optional(Type.Array(Str)),
});

export const RuleView = Type.Object({
  id: Int,
  name: Str,
  destination_id: Int,
  events: Type.Array(Str),
  containers: Nullable(ContainerSelector),
  min_severity: SeverityLevel,
  cooldown_seconds: Int,
  group_seconds: Int,
  enabled: Bool,
  created_at: When,
  updated_at: When,
});
export const RuleList = Type.Object({ rules: Type.Array(RuleView) });

export const AttemptView = Type.Object({
  attempt: Int,
  at: When,
  ok: Bool,
  status_code: Nullable(Int),
  error: Nullable(Str),
  duration_ms: Type.Number(),
});

export const DeliveryView = Type.Object({
  id: Int,
  idempotency_key: Str,
  destination: Type.Object({ id: Int, name: Str }),
  events: Type.Array(Str),
  is_test: Bool,
  title: Nullable(Str),
  status: OutboxStatus,
  attempts: Int,
  max_attempts: Int,
  next_attempt_at: Nullable(When),
  last_error: Nullable(Str),
  created_at: When,
  delivered_at: Nullable(When),
  attempt_log: Type.Array(AttemptView),
});
export const DeliveryPage = Type.Object({
  deliveries: Type.Array(DeliveryView),
  next_before: Nullable(Type.Integer({ description: 'pass as before= for the next page' })),
});

export const TestResult = Type.Object({
  outbox_id: Int,
  status: OutboxStatus,
  ok: Bool,
  status_code: Nullable(Int),
  error: Nullable(Str),
});

/** What a delete tool answers (REST answers 204 with no body). */
export const Deleted = Type.Object({ deleted: Int });
