// What a task is: a key, a description, an options schema, limits, and run(ctx). Tasks get everything
// through the context (no globals), honour ctx.signal, and return counts only: their text goes into
// artifacts, never into the job row.
import type { TSchema } from '@sinclair/typebox';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { DockerGateway } from '../docker/gateway.ts';
import type { Logger } from '../log.ts';
import type { ArtifactView } from '../artifacts/view.ts';
import type { TaskLlm } from '../runner/task-llm.ts';

export interface DirectiveSnapshot {
  name: string | null;
  version: number | null;
  level: string | null;
  text: string;
  sha256: string;
}

export interface ArtifactInput {
  kind: string;
  mimeType: string;
}

export interface TaskContext {
  runId: number;
  jobId: number;
  attempt: number;
  /** This task's options from the launch, already validated against optionsSchema (defaults applied). */
  options: Record<string, unknown>;
  directive: DirectiveSnapshot;
  /** Aborted on cancel, timeout, lost lease or shutdown: stop promptly when it fires. */
  signal: AbortSignal;
  clock: Clock;
  logger: Logger;
  db: Database;
  /** The Docker host, through the gateway: inside-reads only for allowlisted containers. */
  docker: DockerGateway;
  /** The local model, bound to this job; messages are redacted before they leave. Check `configured`. */
  llm: TaskLlm;
  /** Writes run_<id>/<path> atomically and records it. */
  writeArtifact(path: string, content: string | Uint8Array, meta: ArtifactInput): Promise<ArtifactView>;
}

/** Counts and figures only (stored as the job's result summary). */
export type TaskSummary = Record<string, number | string | boolean | null>;

export interface TaskDefinition {
  key: string;
  title: string;
  description: string;
  optionsSchema: TSchema;
  /** Most jobs of this task one instance runs at once (default 1). */
  concurrency?: number;
  /** A job running longer is aborted and failed as timeout (default 15 minutes). */
  timeoutMs?: number;
  run(ctx: TaskContext): Promise<TaskSummary>;
}

export const DEFAULT_TASK_TIMEOUT_MS = 15 * 60_000;
