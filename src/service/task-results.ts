// Where the read models of task results come from: the JSON file the newest successful job of a task
// wrote, read through the artifact helper and checked against its TypeBox schema, and the newest run
// of the task whatever its outcome (so a view can say when a newer run did not succeed).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { listTaskArtifacts } from '../store/artifacts.ts';
import * as runs from './runs.ts';
import { Nullable } from './schemas.ts';

import type { ResultsCtx } from './context.ts';

export type { ResultsCtx };

export const NewestRun = Nullable(
  Type.Object(
    {
      id: Type.Integer({ minimum: 1 }),
      status: Type.String({ description: 'the run status: a newer run may be queued, running or failed' }),
    },
    { description: 'the newest run of the task whatever its outcome; null when it never ran' },
  ),
);
export type NewestRun = Static<typeof NewestRun>;

/** Jobs looked at, at most, for a readable file: a damaged or missing one falls back to the one before. */
const SCAN_JOBS = 5;

export interface TaskFile<T> {
  run_id: number;
  job_id: number;
  data: T;
}

/** The newest successful job's `path` of `task` whose JSON matches `schema`, or null. */
export async function latestTaskFile<S extends TSchema>(
  ctx: ResultsCtx,
  task: string,
  path: string,
  schema: S,
): Promise<TaskFile<Static<S>> | null> {
  for (const row of await listTaskArtifacts(ctx.db.sql, task, path, SCAN_JOBS)) {
    if (row.job_id === null) continue;
    const data = readJsonArtifact(ctx, row, schema);
    // a damaged or missing file: the one before it is shown
    if (data !== null) return { run_id: row.run_id, job_id: row.job_id, data };
  }
  return null;
}

/** One JSON artifact checked against `schema`, or null when it is missing, damaged or of another shape. */
export function readJsonArtifact<S extends TSchema>(
  ctx: Pick<ResultsCtx, 'logsDir'>,
  a: Parameters<typeof runs.readArtifactText>[1],
  schema: S,
): Static<S> | null {
  const text = runs.readArtifactText(ctx, a);
  if (text === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  // fields the schema does not name are dropped: the answer is exactly what the schema documents
  return Value.Check(schema, data) ? (Value.Clean(schema, data) as Static<S>) : null;
}

export async function newestRun(ctx: ResultsCtx, task: string): Promise<NewestRun> {
  const { runs: list } = await runs.listRuns(ctx, { task, limit: 1 });
  const run = list[0];
  return run ? { id: run.id, status: run.status } : null;
}
