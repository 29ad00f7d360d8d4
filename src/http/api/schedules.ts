// REST adapter for schedules: /api/schedules.
import { Elysia } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as schedules from '../../service/schedules.ts';
import * as w from '../../service/watch-schemas.ts';
import { IdParams } from '../params.ts';

export function scheduleRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/schedules' })
    .get('/', () => schedules.listSchedules(deps), {
      response: { 200: w.ScheduleList },
      detail: { summary: 'List schedules with their next times', tags: ['schedules'] },
    })
    .post(
      '/',
      async ({ body, set }) => {
        set.status = 201;
        return schedules.createSchedule(deps, body);
      },
      {
        body: schedules.CreateScheduleInput,
        response: { 201: w.ScheduleView },
        parse: 'application/json',
        detail: { summary: 'Create a schedule (cron or every_seconds)', tags: ['schedules'] },
      },
    )
    .post('/watch-preset', () => schedules.watchMyContainers(deps), {
      response: { 200: w.ScheduleList },
      detail: {
        summary: 'The "watch my containers" preset: log triage every 15 minutes, service map daily',
        tags: ['schedules'],
      },
    })
    .get('/:id', ({ params }) => schedules.getSchedule(deps, params.id), {
      params: IdParams,
      response: { 200: w.ScheduleView },
      detail: { summary: 'Read a schedule', tags: ['schedules'] },
    })
    .patch('/:id', ({ params, body }) => schedules.updateSchedule(deps, params.id, body), {
      params: IdParams,
      body: schedules.UpdateScheduleInput,
      response: { 200: w.ScheduleView },
      parse: 'application/json',
      detail: { summary: 'Edit, pause (enabled: false) or resume a schedule', tags: ['schedules'] },
    })
    .delete(
      '/:id',
      async ({ params, set }) => {
        await schedules.deleteSchedule(deps, params.id);
        set.status = 204;
      },
      {
        params: IdParams,
        detail: {
          summary: 'Delete a schedule',
          tags: ['schedules'],
          responses: { 204: { description: 'Deleted; no body' } },
        },
      },
    );
}
