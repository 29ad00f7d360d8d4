// The JSON artifact a task's successful jobs wrote, newest first: what the dashboard's new error
// patterns draw (the GPU and service map pages read their read models in src/service instead). Read through the runs service (list, detail, artifact text), never the store directly.
import * as runs from '../../service/runs.ts';

export interface JobArtifact {
  runId: number;
  jobId: number;
  finishedAt: string | null;
  /** The parsed file; unknown until the page checks its shape. */
  data: unknown;
}

export interface TaskArtifacts {
  /** Newest first, at most `count`. */
  found: JobArtifact[];
  /** The newest run of the task whatever its outcome (to say when a newer run did not succeed). */
  newest: runs.RunView | null;
}

/** Runs looked at, at most, to find `count` successful jobs (runs of other tasks are skipped by the filter). */
const SCAN_RUNS = 100;

/**
 * The JSON file `path` of the newest `count` successful jobs of `task`. A run that ended "partial"
 * still counts when this task's job succeeded; a missing or unparsable file is skipped.
 */
export async function latestTaskArtifacts(ctx: Pick<runs.RunsCtx, 'db' | 'logsDir'>, task: string, path: string, count: number): Promise<TaskArtifacts> {
  const { runs: list } = await runs.listRuns(ctx, { task, limit: SCAN_RUNS });
  const found: JobArtifact[] = [];
  for (const run of list) {
    if (found.length >= count) break;
    if (run.status !== 'success' && run.status !== 'partial') continue;
    const detail = await runs.getRun(ctx, run.id);
    const job = detail.jobs.find((j) => j.task === task && j.status === 'success');
    if (!job) continue;
    const artifact = detail.artifacts.find((a) => a.job_id === job.id && a.path === path);
    if (!artifact) continue;
    const text = runs.readArtifactText(ctx, artifact);
    if (text === null) continue;
    try {
      found.push({ runId: run.id, jobId: job.id, finishedAt: job.finished_at, data: JSON.parse(text) as unknown });
    } catch {
      // a damaged file is skipped: the page shows the newest one that can be read
    }
  }
  return { found, newest: list[0] ?? null };
}

// Small shape checks for artifact JSON (written by this program, but read back from disk).
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
