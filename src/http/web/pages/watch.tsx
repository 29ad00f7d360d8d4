// Watch: schedules (with the one-click "watch my containers" preset), notification destinations (secrets
// masked; a test button), rules, and the delivery log. Forms post with the session's CSRF token;
// changing anything needs `operate`.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../../app-deps.ts';
import * as n from '../../../service/notifications.ts';
import { listDeliveries, sendTest } from '../../../service/notify-delivery.ts';
import * as schedules from '../../../service/schedules.ts';
import { deliveryCtx } from '../../api/notifications.ts';
import { IdParams } from '../../params.ts';
import { AppError } from '../../../errors.ts';
import { Empty } from '../components.tsx';
import { asList, csrfField, oneOrMany } from '../form.ts';
import { can, CsrfField, htmlResponse, Layout, seeOther } from '../page.tsx';
import { viewerOf } from '../viewer.ts';
import { DeliveryLog } from './watch/delivery-log.tsx';
import { DestinationForm, KIND_FIELDS, RuleForm, ScheduleForm } from './watch/forms.tsx';
import { DestinationTable, RuleTable, ScheduleTable } from './watch/tables.tsx';

const opt = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

export function watchPages(deps: AppDeps) {
  const dctx = () => deliveryCtx(deps);
  const Intent = t.Object({ ...csrfField, intent: t.String({ maxLength: 20 }) });
  return new Elysia({ name: 'web-watch' })
    .get(
      '/watch',
      async (c) => {
        const viewer = viewerOf(c, deps.config);
        const operate = can(viewer, 'operate');
        const [{ schedules: list }, { destinations }, { rules }, { deliveries }] = await Promise.all([
          schedules.listSchedules(deps),
          n.listDestinations(deps),
          n.listRules(deps),
          listDeliveries(deps, { limit: 20 }),
        ]);
        const tested = typeof c.query.tested === 'string' ? c.query.tested : undefined;
        const destName = new Map(destinations.map((d) => [d.id, d.name]));
        return htmlResponse(
          <Layout title="Watch" active="/watch" viewer={viewer}>
            <h1>Watch</h1>
            {tested ? <p class="note" role="status" safe>{`Test message: ${tested}`}</p> : ''}
            <h2>Schedules</h2>
            {list.length === 0 ? (
              <Empty>
                No schedules.{' '}
                {operate ? 'Start with the preset: log triage every 15 minutes and the service map daily.' : ''}
              </Empty>
            ) : (
              <ScheduleTable list={list} viewer={viewer} operate={operate} />
            )}
            {operate ? (
              <>
                <form method="post" action="/watch/preset" class="inline">
                  <CsrfField viewer={viewer} />
                  <button type="submit">Watch my containers</button>
                </form>
                <details>
                  <summary>New schedule</summary>
                  <ScheduleForm viewer={viewer} tasks={deps.tasks.keys()} />
                </details>
              </>
            ) : (
              ''
            )}
            <h2>Destinations</h2>
            {destinations.length === 0 ? (
              <Empty>No destinations.</Empty>
            ) : (
              <DestinationTable destinations={destinations} viewer={viewer} operate={operate} />
            )}
            {operate ? (
              <details>
                <summary>New destination</summary>
                <DestinationForm viewer={viewer} />
              </details>
            ) : (
              ''
            )}
            <h2>Rules</h2>
            {rules.length === 0 ? (
              <Empty>No rules: nothing is sent.</Empty>
            ) : (
              <RuleTable rules={rules} destName={destName} viewer={viewer} operate={operate} />
            )}
            {operate && destinations.length ? (
              <details>
                <summary>New rule</summary>
                <RuleForm viewer={viewer} destinations={destinations} />
              </details>
            ) : (
              ''
            )}
            <h2>Deliveries</h2>
            <DeliveryLog deliveries={deliveries} />
          </Layout>,
        );
      },
      {
        query: t.Object({ tested: t.Optional(t.String({ maxLength: 200 })) }),
        detail: { summary: 'Web UI: schedules, destinations, rules and deliveries', tags: ['web'] },
      },
    )
    .post(
      '/watch/schedules',
      async ({ body }) => {
        const every = opt(body.every_seconds);
        const input: schedules.CreateScheduleInput = { name: body.name, tasks: asList(body.tasks) };
        if (body.timing === 'every') input.every_seconds = every && /^\d{1,9}$/.test(every) ? Number(every) : 0;
        else input.cron = opt(body.cron) ?? '';
        await schedules.createSchedule(deps, input);
        return seeOther('/watch');
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          name: t.String({ maxLength: 200 }),
          tasks: oneOrMany(),
          timing: t.Union([t.Literal('cron'), t.Literal('every')]),
          cron: t.Optional(t.String({ maxLength: 200 })),
          every_seconds: t.Optional(t.String({ maxLength: 20 })),
        }),
        detail: { summary: 'Web UI: create a schedule', tags: ['web'] },
      },
    )
    .post(
      '/watch/preset',
      async () => {
        await schedules.watchMyContainers(deps);
        return seeOther('/watch');
      },
      {
        parse: 'urlencoded',
        body: t.Object({ ...csrfField }),
        detail: { summary: 'Web UI: the "watch my containers" preset', tags: ['web'] },
      },
    )
    .post(
      '/watch/schedules/:id',
      async ({ params, body }) => {
        if (body.intent === 'delete') await schedules.deleteSchedule(deps, params.id);
        else if (body.intent === 'pause' || body.intent === 'resume')
          await schedules.updateSchedule(deps, params.id, { enabled: body.intent === 'resume' });
        else throw new AppError(400, 'validation_failed', 'unknown action');
        return seeOther('/watch');
      },
      {
        params: IdParams,
        parse: 'urlencoded',
        body: Intent,
        detail: { summary: 'Web UI: pause, resume or delete a schedule', tags: ['web'] },
      },
    )
    .post(
      '/watch/destinations',
      async ({ body }) => {
        const fields = KIND_FIELDS[body.kind];
        if (!fields) throw new AppError(400, 'validation_failed', 'unknown destination kind');
        const input: Record<string, unknown> = { name: body.name, kind: body.kind };
        for (const f of fields) {
          const v = opt((body as Record<string, string | undefined>)[f]);
          if (v === undefined) continue;
          input[f] = f === 'port' ? (/^\d{1,5}$/.test(v) ? Number(v) : v) : f === 'to' ? [v] : v;
        }
        await n.createDestination(deps, input as n.CreateDestinationInput);
        return seeOther('/watch');
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          name: t.String({ maxLength: 200 }),
          kind: t.String({ maxLength: 20 }),
          ...Object.fromEntries(
            ['url', 'token', 'secret', 'host', 'port', 'security', 'username', 'password', 'from', 'to'].map((f) => [
              f,
              t.Optional(t.String({ maxLength: 2000 })),
            ]),
          ),
        }),
        detail: { summary: 'Web UI: add a destination', tags: ['web'] },
      },
    )
    .post(
      '/watch/destinations/:id',
      async ({ params, body }) => {
        if (body.intent === 'delete') {
          await n.deleteDestination(deps, params.id);
          return seeOther('/watch');
        }
        if (body.intent !== 'test') throw new AppError(400, 'validation_failed', 'unknown action');
        const r = await sendTest(dctx(), params.id);
        return seeOther(
          `/watch?tested=${encodeURIComponent(r.ok ? 'delivered' : `not delivered (${r.error ?? 'error'})`)}`,
        );
      },
      {
        params: IdParams,
        parse: 'urlencoded',
        body: Intent,
        detail: { summary: 'Web UI: send a test message to a destination, or delete it', tags: ['web'] },
      },
    )
    .post(
      '/watch/rules',
      async ({ body }) => {
        const names = (body.containers ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const group = opt(body.group_seconds);
        await n.createRule(deps, {
          name: body.name,
          destination_id: /^\d{1,15}$/.test(body.destination_id) ? Number(body.destination_id) : 0,
          events: asList(body.events) as n.CreateRuleInput['events'],
          containers: names.length ? { names } : null,
          group_seconds: group && /^\d{1,6}$/.test(group) ? Number(group) : 10,
        });
        return seeOther('/watch');
      },
      {
        parse: 'urlencoded',
        body: t.Object({
          ...csrfField,
          name: t.String({ maxLength: 200 }),
          destination_id: t.String({ maxLength: 20 }),
          events: oneOrMany(),
          containers: t.Optional(t.String({ maxLength: 2000 })),
          group_seconds: t.Optional(t.String({ maxLength: 20 })),
        }),
        detail: { summary: 'Web UI: add a rule', tags: ['web'] },
      },
    )
    .post(
      '/watch/rules/:id',
      async ({ params, body }) => {
        if (body.intent !== 'delete') throw new AppError(400, 'validation_failed', 'unknown action');
        await n.deleteRule(deps, params.id);
        return seeOther('/watch');
      },
      {
        params: IdParams,
        parse: 'urlencoded',
        body: Intent,
        detail: { summary: 'Web UI: delete a rule', tags: ['web'] },
      },
    );
}
