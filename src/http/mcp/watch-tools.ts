// MCP tools for watching: schedules, notification destinations and rules, the delivery log. Thin
// adapters over src/service/ with the REST schemas; reading needs `read`, changing needs `operate`.
import { Type, type TObject } from '@sinclair/typebox';
import type { AppDeps } from '../../app-deps.ts';
import { hostname } from 'node:os';
import * as n from '../../service/notifications.ts';
import { ListDeliveriesQuery, listDeliveries, sendTest, type DeliveryCtx } from '../../service/notify-delivery.ts';
import * as schedules from '../../service/schedules.ts';
import { Id } from '../../service/schemas.ts';
import * as w from '../../service/watch-schemas.ts';
import { changes, NoInput, readOnly, tool, type AnyTool } from './tool-kit.ts';
import * as txt from './watch-tool-text.ts';

const ById = Type.Object({ id: Id }, { additionalProperties: false });
/** An update: the id beside the fields of the REST PATCH body. */
const withId = <T extends TObject>(schema: T) =>
  Type.Object({ id: Id, ...schema.properties }, { additionalProperties: false });

const deliveryCtx = (deps: AppDeps): DeliveryCtx => ({
  db: deps.db,
  clock: deps.clock,
  events: deps.events,
  logger: deps.logger,
  notify: deps.config.notify,
  owner: `${hostname()}:${process.pid}:mcp`,
});

type IdArgs<T> = T & { id: number };
const split = <T extends { id: number }>(args: T): [number, Omit<T, 'id'>] => {
  const { id, ...rest } = args;
  return [id, rest];
};

export const WATCH_TOOLS: AnyTool[] = [
  tool({
    name: 'list_schedules',
    description: 'Schedules (task sets on a cron expression or an interval) with their next times and last slot.',
    inputSchema: NoInput,
    outputSchema: w.ScheduleList,
    annotations: readOnly('List schedules'),
    scope: 'read',
    run: (_a, call) => schedules.listSchedules(call.deps),
    text: txt.scheduleList,
  }),
  tool({
    name: 'create_schedule',
    description:
      'Run a task set on a cron expression or every N seconds (at least 5). Each slot runs once; a missed stretch runs once.',
    inputSchema: schedules.CreateScheduleInput,
    outputSchema: w.ScheduleView,
    annotations: changes('Create a schedule', false),
    scope: 'operate',
    run: (a, call) => schedules.createSchedule(call.deps, a),
    text: txt.scheduleLine,
  }),
  tool({
    name: 'update_schedule',
    description: 'Edit a schedule; enabled false pauses it, true resumes it from the next slot.',
    inputSchema: withId(schedules.UpdateScheduleInput),
    outputSchema: w.ScheduleView,
    annotations: changes('Edit a schedule', true),
    scope: 'operate',
    run: (a, call) => {
      const [id, rest] = split(a as IdArgs<schedules.UpdateScheduleInput>);
      return schedules.updateSchedule(call.deps, id, rest);
    },
    text: txt.scheduleLine,
  }),
  tool({
    name: 'delete_schedule',
    description: 'Delete a schedule (its past runs stay).',
    inputSchema: ById,
    outputSchema: w.Deleted,
    annotations: changes('Delete a schedule', true, true),
    scope: 'operate',
    run: async (a, call) => {
      await schedules.deleteSchedule(call.deps, a.id);
      return { deleted: a.id };
    },
    text: (r) => `deleted schedule ${r.deleted}`,
  }),
  tool({
    name: 'watch_my_containers',
    description:
      'The one-click preset: log triage every 15 minutes and the service map daily (existing ones are kept).',
    inputSchema: NoInput,
    outputSchema: w.ScheduleList,
    annotations: changes('Watch my containers', true),
    scope: 'operate',
    run: (_a, call) => schedules.watchMyContainers(call.deps),
    text: txt.scheduleList,
  }),
  tool({
    name: 'list_notification_destinations',
    description: 'Where notifications go (webhook, ntfy, Discord, Slack, Gotify, e-mail); secrets are masked.',
    inputSchema: NoInput,
    outputSchema: w.DestinationList,
    annotations: readOnly('List destinations'),
    scope: 'read',
    run: (_a, call) => n.listDestinations(call.deps),
    text: txt.destinationList,
  }),
  tool({
    name: 'create_notification_destination',
    description: 'Add a destination. URLs, tokens and passwords are stored and never shown back.',
    inputSchema: n.CreateDestinationInput,
    outputSchema: w.DestinationView,
    annotations: changes('Add a destination', false),
    scope: 'operate',
    run: (a, call) => n.createDestination(call.deps, a),
    text: txt.destinationLine,
  }),
  tool({
    name: 'update_notification_destination',
    description: 'Edit a destination; omitted secrets are kept, null removes an optional one.',
    inputSchema: withId(n.UpdateDestinationInput),
    outputSchema: w.DestinationView,
    annotations: changes('Edit a destination', true),
    scope: 'operate',
    run: (a, call) => {
      const [id, rest] = split(a as IdArgs<n.UpdateDestinationInput>);
      return n.updateDestination(call.deps, id, rest);
    },
    text: txt.destinationLine,
  }),
  tool({
    name: 'delete_notification_destination',
    description: 'Delete a destination with its rules and delivery log.',
    inputSchema: ById,
    outputSchema: w.Deleted,
    annotations: changes('Delete a destination', true, true),
    scope: 'operate',
    run: async (a, call) => {
      await n.deleteDestination(call.deps, a.id);
      return { deleted: a.id };
    },
    text: (r) => `deleted destination ${r.deleted}`,
  }),
  tool({
    name: 'test_notification_destination',
    description: 'Send a test message to a destination now and say whether it was delivered.',
    inputSchema: ById,
    outputSchema: w.TestResult,
    annotations: { ...changes('Send a test message', false), openWorldHint: true },
    scope: 'operate',
    run: (a, call) => sendTest(deliveryCtx(call.deps), a.id),
    text: txt.testResult,
  }),
  tool({
    name: 'list_notification_rules',
    description: 'Which events, containers and severities go to which destination, with cooldown and grouping window.',
    inputSchema: NoInput,
    outputSchema: w.RuleList,
    annotations: readOnly('List rules'),
    scope: 'read',
    run: (_a, call) => n.listRules(call.deps),
    text: txt.ruleList,
  }),
  tool({
    name: 'create_notification_rule',
    description:
      'Add a rule. containers defaults to every allowlisted container; group_seconds to 10 (0 sends at once).',
    inputSchema: n.CreateRuleInput,
    outputSchema: w.RuleView,
    annotations: changes('Add a rule', false),
    scope: 'operate',
    run: (a, call) => n.createRule(call.deps, a),
    text: txt.ruleLine,
  }),
  tool({
    name: 'update_notification_rule',
    description: 'Edit a rule.',
    inputSchema: withId(n.UpdateRuleInput),
    outputSchema: w.RuleView,
    annotations: changes('Edit a rule', true),
    scope: 'operate',
    run: (a, call) => {
      const [id, rest] = split(a as IdArgs<n.UpdateRuleInput>);
      return n.updateRule(call.deps, id, rest);
    },
    text: txt.ruleLine,
  }),
  tool({
    name: 'delete_notification_rule',
    description: 'Delete a rule.',
    inputSchema: ById,
    outputSchema: w.Deleted,
    annotations: changes('Delete a rule', true, true),
    scope: 'operate',
    run: async (a, call) => {
      await n.deleteRule(call.deps, a.id);
      return { deleted: a.id };
    },
    text: (r) => `deleted rule ${r.deleted}`,
  }),
  tool({
    name: 'list_notification_deliveries',
    description:
      'The delivery log, newest first: each message with its status (queued, sending, delivered, dead) and attempts.',
    inputSchema: ListDeliveriesQuery,
    outputSchema: w.DeliveryPage,
    annotations: readOnly('Delivery log'),
    scope: 'read',
    run: (a, call) => listDeliveries(call.deps, a),
    text: txt.deliveryPage,
  }),
];
