// REST adapter for notifications: /api/notifications/destinations, /rules, /deliveries.
import { Elysia } from 'elysia';
import { hostname } from 'node:os';
import type { AppDeps } from '../../app-deps.ts';
import * as n from '../../service/notifications.ts';
import { ListDeliveriesQuery, listDeliveries, sendTest, type DeliveryCtx } from '../../service/notify-delivery.ts';
import * as w from '../../service/watch-schemas.ts';
import { fromQueryString, IdParams } from '../params.ts';

export function deliveryCtx(deps: AppDeps): DeliveryCtx {
  return {
    db: deps.db,
    clock: deps.clock,
    events: deps.events,
    logger: deps.logger,
    notify: deps.config.notify,
    owner: `${hostname()}:${process.pid}:http`,
  };
}

export function notificationRoutes(deps: AppDeps) {
  const tags = ['notifications'];
  return new Elysia({ prefix: '/notifications' })
    .get('/destinations', () => n.listDestinations(deps), {
      response: { 200: w.DestinationList },
      detail: { summary: 'List destinations (secrets masked)', tags },
    })
    .post(
      '/destinations',
      async ({ body, set }) => {
        set.status = 201;
        return n.createDestination(deps, body);
      },
      {
        body: n.CreateDestinationInput,
        response: { 201: w.DestinationView },
        parse: 'application/json',
        detail: { summary: 'Add a destination: webhook, ntfy, discord, slack, gotify or email', tags },
      },
    )
    .get('/destinations/:id', ({ params }) => n.getDestination(deps, params.id), {
      params: IdParams,
      response: { 200: w.DestinationView },
      detail: { summary: 'Read a destination (secrets masked)', tags },
    })
    .patch('/destinations/:id', ({ params, body }) => n.updateDestination(deps, params.id, body), {
      params: IdParams,
      body: n.UpdateDestinationInput,
      response: { 200: w.DestinationView },
      parse: 'application/json',
      detail: { summary: 'Edit a destination (omitted secrets are kept; null removes an optional one)', tags },
    })
    .delete(
      '/destinations/:id',
      async ({ params, set }) => {
        await n.deleteDestination(deps, params.id);
        set.status = 204;
      },
      {
        params: IdParams,
        detail: {
          summary: 'Delete a destination with its rules and deliveries',
          tags,
          responses: { 204: { description: 'Deleted; no body' } },
        },
      },
    )
    .post('/destinations/:id/test', ({ params }) => sendTest(deliveryCtx(deps), params.id), {
      params: IdParams,
      response: { 200: w.TestResult },
      detail: { summary: 'Send a test message now; the answer says whether it was delivered', tags },
    })
    .get('/rules', () => n.listRules(deps), { response: { 200: w.RuleList }, detail: { summary: 'List rules', tags } })
    .post(
      '/rules',
      async ({ body, set }) => {
        set.status = 201;
        return n.createRule(deps, body);
      },
      {
        body: n.CreateRuleInput,
        response: { 201: w.RuleView },
        parse: 'application/json',
        detail: { summary: 'Add a rule: which events, containers and severities go to a destination', tags },
      },
    )
    .get('/rules/:id', ({ params }) => n.getRule(deps, params.id), {
      params: IdParams,
      response: { 200: w.RuleView },
      detail: { summary: 'Read a rule', tags },
    })
    .patch('/rules/:id', ({ params, body }) => n.updateRule(deps, params.id, body), {
      params: IdParams,
      body: n.UpdateRuleInput,
      response: { 200: w.RuleView },
      parse: 'application/json',
      detail: { summary: 'Edit a rule', tags },
    })
    .delete(
      '/rules/:id',
      async ({ params, set }) => {
        await n.deleteRule(deps, params.id);
        set.status = 204;
      },
      {
        params: IdParams,
        detail: { summary: 'Delete a rule', tags, responses: { 204: { description: 'Deleted; no body' } } },
      },
    )
    .get('/deliveries', ({ query }) => listDeliveries(deps, query), {
      query: fromQueryString(ListDeliveriesQuery),
      response: { 200: w.DeliveryPage },
      detail: { summary: 'The delivery log: messages newest first, with every attempt; dead ones included', tags },
    });
}
