// The durable in-process job runner. Jobs live in the database; a worker claims one with FOR UPDATE SKIP
// LOCKED and holds it under a lease renewed by a heartbeat. A crash leaves the lease to expire, and the
// sweeper requeues the job once, then fails it as interrupted. Several instances on one database never
// run the same job twice. Cancellation, timeouts and shutdown reach the task through one AbortSignal.
import { hostname } from 'node:os';
import { recordArtifact } from '../artifacts/record.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { EventBus } from '../events/bus.ts';
import type { DockerGateway } from '../docker/gateway.ts';
import type { LlmClient } from '../llm/client.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import * as jobs from '../store/jobs.ts';
import * as runs from '../store/runs.ts';
import type { TaskRegistry } from '../tasks/registry.ts';
import { DEFAULT_TASK_TIMEOUT_MS, type DirectiveSnapshot, type TaskContext } from '../tasks/task.ts';
import { taskLlm } from './task-llm.ts';

export interface RunnerOptions {
  /** Jobs this instance runs at once (RUNNER_CONCURRENCY). */
  concurrency: number;
  leaseMs: number;
  /** How often a running job's lease is renewed (and a cancel from another instance noticed). */
  heartbeatMs: number;
  /** How often an idle runner looks for work and sweeps expired leases. */
  pollMs: number;
  owner?: string;
}

export interface RunnerDeps {
  db: Database;
  tasks: TaskRegistry;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  logsDir: string;
  llm: LlmClient;
  /** LLM_CONTEXT_TOKENS, handed to tasks so their prompts fit. */
  contextTokens: number;
  /** The only way to the Docker host; it enforces the allowlist for tasks too. */
  docker: DockerGateway;
}

type StopReason = 'cancelled' | 'timeout' | 'lease_lost' | 'shutdown';

class JobAbort extends Error {
  override name = 'JobAbort';
  constructor(readonly reason: StopReason) {
    super(reason);
  }
}

interface ActiveJob {
  job: jobs.JobRow;
  controller: AbortController;
  done: Promise<void>;
}

export class Runner {
  readonly owner: string;
  private readonly active = new Map<number, ActiveJob>();
  private stopped = true;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: () => void = () => {};
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly deps: RunnerDeps,
    private readonly options: RunnerOptions,
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Starts the worker loop. `orphansAreOurs`: every running job at start belongs to a dead process. */
  async start(orphansAreOurs = false): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (orphansAreOurs) await this.sweep(true);
    this.unsubscribe = this.deps.events.subscribe((e) => {
      if (e.type === 'run.cancel_requested') this.abortRun(Number(e.data.run_id), 'cancelled');
      if (e.type === 'jobs.queued') this.wake();
    });
    this.loopDone = this.loop();
  }

  /** Stops claiming, aborts running jobs and gives them back to the queue, then returns. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.wake();
    // The loop first: a claim in flight may still start a job, which must be given back with the rest.
    await this.loopDone;
    for (const a of this.active.values()) a.controller.abort(new JobAbort('shutdown'));
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp();
  }

  get activeJobs(): number {
    return this.active.size;
  }

  private async loop(): Promise<void> {
    let lastSweep = 0;
    while (!this.stopped) {
      try {
        if (Date.now() - lastSweep >= this.options.pollMs) {
          lastSweep = Date.now();
          await this.sweep(false);
        }
        while (!this.stopped && this.active.size < this.options.concurrency) {
          const job = await jobs.claimJob(
            this.deps.db.sql,
            this.owner,
            this.deps.clock.now(),
            this.options.leaseMs,
            this.tasksAtLimit(),
          );
          if (!job) break;
          this.launch(job);
        }
      } catch (err) {
        this.deps.logger.error('runner loop error', errorFields(err));
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private tasksAtLimit(): string[] {
    const counts = new Map<string, number>();
    for (const a of this.active.values()) counts.set(a.job.task, (counts.get(a.job.task) ?? 0) + 1);
    return [...counts].filter(([task, n]) => n >= (this.deps.tasks.get(task)?.concurrency ?? 1)).map(([task]) => task);
  }

  private async sweep(allRunning: boolean): Promise<void> {
    const swept = await jobs.sweepExpiredLeases(this.deps.db.sql, this.deps.clock.now(), allRunning);
    for (const j of swept) {
      this.deps.logger.warn('job lease expired', { job_id: j.id, run_id: j.run_id, now: j.status });
      this.deps.events.publish('job.status', { job_id: j.id, run_id: j.run_id, status: j.status });
    }
    for (const runId of new Set(swept.map((j) => j.run_id))) await this.refreshRun(runId);
    if (swept.some((j) => j.status === 'queued')) this.wake();
  }

  private abortRun(runId: number, reason: StopReason): void {
    for (const a of this.active.values()) if (a.job.run_id === runId) a.controller.abort(new JobAbort(reason));
  }

  private launch(job: jobs.JobRow): void {
    const controller = new AbortController();
    const entry: ActiveJob = { job, controller, done: Promise.resolve() };
    this.active.set(job.id, entry);
    entry.done = this.execute(job, controller)
      .catch((err) => this.deps.logger.error('job bookkeeping failed', { job_id: job.id, ...errorFields(err) }))
      .finally(() => {
        this.active.delete(job.id);
        this.wake();
      });
  }

  private async execute(job: jobs.JobRow, controller: AbortController): Promise<void> {
    const { db, clock, events, logger, tasks } = this.deps;
    const log = logger.child({ run_id: job.run_id, job_id: job.id, task: job.task });
    events.publish('job.status', {
      job_id: job.id,
      run_id: job.run_id,
      task: job.task,
      status: 'running',
      attempt: job.attempt,
    });
    await this.refreshRun(job.run_id);

    const task = tasks.get(job.task);
    const run = await runs.findRun(db.sql, job.run_id);
    if (!task || !run) {
      await this.finish(job, {
        status: 'failed',
        result: null,
        errorCode: 'unknown_task',
        error: `no task "${job.task}" in this version`,
      });
      return;
    }
    if (run.cancel_requested) controller.abort(new JobAbort('cancelled'));

    const timeout = setTimeout(
      () => controller.abort(new JobAbort('timeout')),
      task.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS,
    );
    const heartbeat = setInterval(() => void this.heartbeat(job, controller), this.options.heartbeatMs);
    const resolved = tasks.resolveOptions(job.task, run.options[job.task]);
    const llm = taskLlm(this.deps.llm, {
      runId: job.run_id,
      jobId: job.id,
      signal: controller.signal,
      contextTokens: this.deps.contextTokens,
    });
    const ctx: TaskContext = {
      runId: job.run_id,
      jobId: job.id,
      attempt: job.attempt,
      options: resolved.ok ? resolved.value : {},
      directive: snapshotOf(run),
      signal: controller.signal,
      clock,
      logger: log,
      db,
      llm,
      docker: this.deps.docker,
      writeArtifact: (path, content, meta) =>
        recordArtifact(
          { db, events, logsDir: this.deps.logsDir },
          { runId: job.run_id, jobId: job.id },
          path,
          content,
          meta,
        ),
    };
    const started = performance.now();
    try {
      const summary = await Promise.race([task.run(ctx), abortPromise(controller.signal)]);
      if (controller.signal.aborted) throw controller.signal.reason;
      await this.finish(job, {
        status: 'success',
        result: { ...summary, ...redactionCounts(llm.redactions()) },
        errorCode: null,
        error: null,
      });
      log.info('job finished', { status: 'success', ms: Math.round(performance.now() - started) });
    } catch (err) {
      const reason =
        controller.signal.aborted && controller.signal.reason instanceof JobAbort
          ? controller.signal.reason.reason
          : undefined;
      if (reason === 'shutdown') {
        await jobs.releaseJob(db.sql, job.id, this.owner);
        events.publish('job.status', { job_id: job.id, run_id: job.run_id, task: job.task, status: 'queued' });
        log.info('job released at shutdown');
      } else if (reason === 'lease_lost') {
        log.warn('job lease lost; another worker or the sweeper owns it now');
      } else if (reason === 'cancelled') {
        await this.finish(job, {
          status: 'cancelled',
          result: null,
          errorCode: 'cancelled',
          error: 'cancelled on request',
        });
      } else if (reason === 'timeout') {
        await this.finish(job, {
          status: 'failed',
          result: null,
          errorCode: 'timeout',
          error: `the task ran longer than ${task.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS} ms`,
        });
      } else {
        // Task errors are ours to describe: name and message, cut short. Tasks never put log or model text in them.
        const e = err instanceof Error ? err : new Error(String(err));
        await this.finish(job, {
          status: 'failed',
          result: null,
          errorCode: 'task_error',
          error: `${e.name}: ${e.message}`.slice(0, 500),
        });
        log.warn('job failed', errorFields(e));
      }
    } finally {
      clearTimeout(timeout);
      clearInterval(heartbeat);
    }
  }

  private async heartbeat(job: jobs.JobRow, controller: AbortController): Promise<void> {
    if (controller.signal.aborted) return;
    try {
      const until = new Date(this.deps.clock.now().getTime() + this.options.leaseMs);
      const r = await jobs.renewLease(this.deps.db.sql, job.id, this.owner, until);
      if (!r.held) controller.abort(new JobAbort('lease_lost'));
      else if (r.cancelRequested) controller.abort(new JobAbort('cancelled'));
    } catch (err) {
      this.deps.logger.warn('lease renewal failed', { job_id: job.id, ...errorFields(err) });
    }
  }

  private async finish(job: jobs.JobRow, outcome: jobs.JobOutcome): Promise<void> {
    const held = await jobs.finishJob(this.deps.db.sql, job.id, this.owner, outcome, this.deps.clock.now());
    if (!held) return;
    const durationMs = this.deps.clock.now().getTime() - (job.started_at ?? this.deps.clock.now()).getTime();
    this.deps.events.publish('job.status', {
      job_id: job.id,
      run_id: job.run_id,
      task: job.task,
      status: outcome.status,
      error_code: outcome.errorCode,
      duration_ms: durationMs,
    });
    await this.refreshRun(job.run_id);
  }

  private async refreshRun(runId: number): Promise<void> {
    const run = await runs.refreshRunStatus(this.deps.db.sql, runId, this.deps.clock.now());
    if (run) this.deps.events.publish('run.status', { run_id: run.id, status: run.status });
  }
}

function snapshotOf(run: runs.RunRow): DirectiveSnapshot {
  return {
    name: run.directive_name,
    version: run.directive_version,
    level: run.directive_level,
    text: run.directive_text,
    sha256: run.directive_sha256,
  };
}

/** Redaction counts as result fields: redacted_ipv4, redacted_email, ... */
function redactionCounts(counts: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([kind, n]) => [`redacted_${kind}`, n ?? 0]));
}

/** Rejects when the signal fires, so a task that ignores its signal still lets the job end. */
function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
