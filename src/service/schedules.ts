// Schedules: a task set (with options and directive, like a launch) on a cron expression or an
// interval. Create, edit, pause/resume, delete, list with the next times, and launching a due slot
// (the scheduler calls that one). Shared by REST, MCP and the web UI.
import { Type, type Static } from '@sinclair/typebox';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { checkCron, dueSlot, nextSlots } from '../runner/schedule-slots.ts';
import * as runsStore from '../store/runs.ts';
import * as store from '../store/schedules.ts';
import { announceLaunch, prepareLaunch, type LaunchRunInput, type RunsCtx } from './runs.ts';
import { Id, TaskKey } from './schemas.ts';
import { assertValid } from './validate.ts';
import type * as w from './watch-schemas.ts';

export type SchedulesCtx = Pick<RunsCtx, 'db' | 'clock' | 'events' | 'tasks'>;

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Cron = Type.String({
  minLength: 1,
  maxLength: 120,
  description: 'cron expression (5 or 6 fields, seconds first when 6), in the server time zone',
});
const EverySeconds = Type.Integer({
  minimum: 5,
  maximum: 31 * 24 * 3600,
  description: 'interval in seconds (at least 5)',
});
const Tasks = Type.Array(TaskKey, { minItems: 1, maxItems: 16, uniqueItems: true });
const Options = Type.Record(TaskKey, Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()), {
  description: 'per-task options, as in a launch',
});

export const CreateScheduleInput = Type.Object(
  {
    name: Name,
    tasks: Tasks,
    cron: Type.Optional(Cron),
    every_seconds: Type.Optional(EverySeconds),
    options: Type.Optional(Options),
    directive_id: Type.Optional(Type.Union([Id, Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateScheduleInput = Static<typeof CreateScheduleInput>;

export const UpdateScheduleInput = Type.Object(
  {
    name: Type.Optional(Name),
    tasks: Type.Optional(Tasks),
    cron: Type.Optional(Type.Union([Cron, Type.Null()])),
    every_seconds: Type.Optional(Type.Union([EverySeconds, Type.Null()])),
    options: Type.Optional(Options),
    directive_id: Type.Optional(Type.Union([Id, Type.Null()])),
    enabled: Type.Optional(Type.Boolean({ description: 'false pauses, true resumes (from the next slot)' })),
  },
  { additionalProperties: false },
);
export type UpdateScheduleInput = Static<typeof UpdateScheduleInput>;

export type ScheduleView = Static<typeof w.ScheduleView>;

const NEXT_SHOWN = 3;

async function view(ctx: SchedulesCtx, row: store.ScheduleRow): Promise<ScheduleView> {
  const [last] = await store.recentSlots(ctx.db.sql, row.id, 1);
  return {
    id: row.id,
    name: row.name,
    tasks: row.tasks,
    options: row.options,
    directive_id: row.directive_id,
    cron: row.cron,
    every_seconds: row.every_seconds,
    enabled: row.enabled,
    next_runs: row.enabled ? nextSlots(row, ctx.clock.now(), NEXT_SHOWN).map((d) => d.toISOString()) : [],
    last_slot: last ? { at: last.slot_at.toISOString(), run_id: last.run_id } : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** Checks the timing and resolves the launch the schedule will make (tasks, options, directive). */
async function checkedFields(ctx: SchedulesCtx, f: store.ScheduleFields): Promise<store.ScheduleFields> {
  if ((f.cron === null) === (f.every_seconds === null)) throw badRequest('give exactly one of cron and every_seconds');
  if (f.cron !== null) {
    const problem = checkCron(f.cron);
    if (problem) throw badRequest(`invalid cron expression: ${problem}`);
  }
  const launch: LaunchRunInput = { tasks: f.tasks, options: f.options };
  if (f.directive_id !== null) launch.directive_id = f.directive_id;
  const prepared = await prepareLaunch(ctx, launch);
  return { ...f, name: f.name.trim(), options: prepared.options };
}

function uniqueName(err: unknown, name: string): never {
  if ((err as { code?: string }).code === '23505')
    throw new AppError(409, 'name_taken', `a schedule named "${name}" exists`);
  throw err;
}

export async function createSchedule(ctx: SchedulesCtx, raw: CreateScheduleInput): Promise<ScheduleView> {
  const input = assertValid(CreateScheduleInput, raw, 'schedule');
  const fields = await checkedFields(ctx, {
    name: input.name,
    tasks: input.tasks,
    options: input.options ?? {},
    directive_id: input.directive_id ?? null,
    cron: input.cron ?? null,
    every_seconds: input.every_seconds ?? null,
    enabled: input.enabled ?? true,
  });
  const row = await store.insertSchedule(ctx.db.sql, fields, ctx.clock.now()).catch((e) => uniqueName(e, fields.name));
  ctx.events.publish('schedule.changed', { schedule_id: row.id });
  return view(ctx, row);
}

export async function updateSchedule(ctx: SchedulesCtx, id: number, raw: UpdateScheduleInput): Promise<ScheduleView> {
  const input = assertValid(UpdateScheduleInput, raw, 'schedule');
  const row = await store.findSchedule(ctx.db.sql, id);
  if (!row) throw notFound(`schedule ${id}`);
  // Giving one timing replaces the other.
  let cron = row.cron;
  let every = row.every_seconds;
  if (input.cron !== undefined) {
    cron = input.cron;
    if (input.cron !== null && input.every_seconds === undefined) every = null;
  }
  if (input.every_seconds !== undefined) {
    every = input.every_seconds;
    if (input.every_seconds !== null && input.cron === undefined) cron = null;
  }
  const fields = await checkedFields(ctx, {
    name: input.name ?? row.name,
    tasks: input.tasks ?? row.tasks,
    options: input.options ?? (input.tasks ? {} : row.options),
    directive_id: input.directive_id !== undefined ? input.directive_id : row.directive_id,
    cron,
    every_seconds: every,
    enabled: input.enabled ?? row.enabled,
  });
  const retimed = fields.cron !== row.cron || fields.every_seconds !== row.every_seconds;
  const resumed = fields.enabled && !row.enabled;
  const updated = await store
    .updateSchedule(ctx.db.sql, id, fields, ctx.clock.now(), retimed || resumed)
    .catch((e) => uniqueName(e, fields.name));
  if (!updated) throw notFound(`schedule ${id}`);
  ctx.events.publish('schedule.changed', { schedule_id: id });
  return view(ctx, updated);
}

export async function deleteSchedule(ctx: SchedulesCtx, id: number): Promise<void> {
  if (!(await store.deleteSchedule(ctx.db.sql, id))) throw notFound(`schedule ${id}`);
  ctx.events.publish('schedule.changed', { schedule_id: id });
}

export async function getSchedule(ctx: SchedulesCtx, id: number): Promise<ScheduleView> {
  const row = await store.findSchedule(ctx.db.sql, id);
  if (!row) throw notFound(`schedule ${id}`);
  return view(ctx, row);
}

export async function listSchedules(ctx: SchedulesCtx): Promise<{ schedules: ScheduleView[] }> {
  const rows = await store.listSchedules(ctx.db.sql);
  return { schedules: await Promise.all(rows.map((r) => view(ctx, r))) };
}

/** The one-click preset: log triage every 15 minutes, the service map daily. Existing names are kept. */
export async function watchMyContainers(ctx: SchedulesCtx): Promise<{ schedules: ScheduleView[] }> {
  const preset: CreateScheduleInput[] = [
    { name: 'watch: log triage', tasks: ['log_triage'], cron: '*/15 * * * *' },
    { name: 'watch: service map', tasks: ['service_map'], cron: '0 6 * * *' },
  ];
  const out: ScheduleView[] = [];
  for (const p of preset) {
    if (!p.tasks.every((t) => ctx.tasks.get(t))) continue;
    const existing = await store.findScheduleByName(ctx.db.sql, p.name);
    out.push(existing ? await view(ctx, existing) : await createSchedule(ctx, p));
  }
  return { schedules: out };
}

export interface SlotOutcome {
  schedule_id: number;
  slot: string;
  run_id: number | null;
}

/**
 * Launches every schedule's due slot that this caller wins. Safe to call from several instances at
 * once: the claim and the run are one transaction, keyed by (schedule, slot).
 */
export async function launchDueSlots(ctx: SchedulesCtx & { logger: Logger }, owner: string): Promise<SlotOutcome[]> {
  const now = ctx.clock.now();
  const out: SlotOutcome[] = [];
  for (const row of await store.listEnabledSchedules(ctx.db.sql)) {
    const slot = dueSlot(row, now);
    if (!slot) continue;
    try {
      const launch: LaunchRunInput = { tasks: row.tasks, options: row.options };
      if (row.directive_id !== null) launch.directive_id = row.directive_id;
      const prepared = await prepareLaunch(ctx, launch);
      const launched = await ctx.db.sql.begin(async (tx) => {
        if (!(await store.claimSlot(tx, row.id, slot, owner, now))) return null;
        const r = await runsStore.insertRunWithJobsIn(tx, {
          ...prepared,
          trigger: 'schedule',
          now,
          scheduleId: row.id,
        });
        await store.setSlotRun(tx, row.id, slot, r.run.id);
        return r.run;
      });
      if (!launched) continue;
      announceLaunch(ctx, launched);
      out.push({ schedule_id: row.id, slot: slot.toISOString(), run_id: launched.id });
    } catch (err) {
      // A launch that cannot be made (a task gone from this version, a deleted directive...) skips
      // its slot, so it is not retried every tick.
      ctx.logger.warn('scheduled launch failed', {
        schedule_id: row.id,
        slot: slot.toISOString(),
        ...errorFields(err),
      });
      await ctx.db.sql.begin((tx) => store.claimSlot(tx, row.id, slot, owner, now)).catch(() => false);
      out.push({ schedule_id: row.id, slot: slot.toISOString(), run_id: null });
    }
  }
  return out;
}
