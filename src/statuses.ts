// The statuses of runs and jobs, written once: the store's types, the schemas of the doors and the
// pages' filters all read them from here.

export const RUN_STATUSES = [
  'awaiting_approval',
  'queued',
  'running',
  'success',
  'partial',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run in one of these may still change (and be cancelled). */
export const OPEN_RUN_STATUSES: readonly RunStatus[] = ['awaiting_approval', 'queued', 'running'];

export const JOB_STATUSES = ['waiting', 'queued', 'running', 'success', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const RUN_TRIGGERS = ['web', 'api', 'mcp', 'schedule'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
