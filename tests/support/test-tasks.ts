// A task for tests only: it sleeps (honouring its signal), fails, writes artifacts and records each
// execution, so the runner's guarantees can be checked without the product's real tasks.
import { Type } from '@sinclair/typebox';
import { appendFileSync } from 'node:fs';
import { TaskRegistry } from '../../src/tasks/registry.ts';
import type { TaskContext, TaskDefinition } from '../../src/tasks/task.ts';

export const executions: { jobId: number; runId: number; attempt: number }[] = [];

const ProbeOptions = Type.Object(
  {
    sleep_ms: Type.Integer({ minimum: 0, maximum: 600_000, default: 0 }),
    fail: Type.Boolean({ default: false }),
    report: Type.Boolean({ default: true }),
    /** Appends "job <id> attempt <n>" here when the job starts (for tests with a real process). */
    trace_file: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

export const probeTask: TaskDefinition = {
  key: 'probe',
  title: 'Probe (tests only)',
  description: 'Sleeps, optionally fails, writes a small report.',
  optionsSchema: ProbeOptions,
  concurrency: 64,
  async run(ctx: TaskContext) {
    const o = ctx.options as { sleep_ms: number; fail: boolean; report: boolean; trace_file?: string };
    executions.push({ jobId: ctx.jobId, runId: ctx.runId, attempt: ctx.attempt });
    if (o.trace_file) appendFileSync(o.trace_file, `job ${ctx.jobId} attempt ${ctx.attempt}\n`);
    if (o.sleep_ms) await sleep(o.sleep_ms, ctx.signal);
    if (o.fail) throw new Error('probe asked to fail');
    if (o.report) {
      await ctx.writeArtifact(
        'probe/report.md',
        `### Probe\n\nDirective ${ctx.directive.name ?? 'custom'} (${ctx.directive.sha256.slice(0, 8)}).\n`,
        { kind: 'report', mimeType: 'text/markdown' },
      );
      await ctx.writeArtifact('probe/result.json', JSON.stringify({ job: ctx.jobId, ok: true }), {
        kind: 'data',
        mimeType: 'application/json',
      });
    }
    return { slept_ms: o.sleep_ms, artifacts: o.report ? 2 : 0 };
  },
};

/** A second task so runs with several tasks (partial success) can be tested. */
export const echoTask: TaskDefinition = {
  key: 'echo',
  title: 'Echo (tests only)',
  description: 'Succeeds at once.',
  optionsSchema: Type.Object({}, { additionalProperties: false }),
  async run() {
    return { ok: true };
  },
};

/** A task with a short timeout that never ends on its own. */
export const stuckTask: TaskDefinition = {
  key: 'stuck',
  title: 'Stuck (tests only)',
  description: 'Waits until aborted.',
  optionsSchema: Type.Object({}, { additionalProperties: false }),
  timeoutMs: 300,
  run: (ctx) => sleep(3_600_000, ctx.signal).then(() => ({})),
};

/**
 * Asks the model about a text read from a file (as a real task reads container logs: the text never
 * passes through the run's options or the database) and writes the answer into its report.
 */
export const askTask: TaskDefinition = {
  key: 'ask',
  title: 'Ask (tests only)',
  description: 'Sends a file to the model, writes the answer in a report.',
  optionsSchema: Type.Object(
    { prompt_file: Type.String({ maxLength: 300 }), calls: Type.Integer({ minimum: 1, maximum: 5, default: 1 }) },
    { additionalProperties: false },
  ),
  async run(ctx) {
    const o = ctx.options as { prompt_file: string; calls: number };
    const text = await Bun.file(o.prompt_file).text();
    const answers: string[] = [];
    let failed = 0;
    for (let i = 0; i < o.calls; i++) {
      const r = await ctx.llm.chat([
        { role: 'system', content: ctx.directive.text },
        { role: 'user', content: text },
      ]);
      if (r.ok) answers.push(r.text);
      else failed++;
    }
    const body = answers.length ? answers.join('\n\n') : '_No explanation: the model could not be reached._';
    await ctx.writeArtifact('ask/report.md', `### Answer\n\n${body}\n`, { kind: 'report', mimeType: 'text/markdown' });
    return { answered: answers.length, failed };
  },
};

export function testTasks(): TaskRegistry {
  return new TaskRegistry().register(probeTask).register(echoTask).register(stuckTask).register(askTask);
}
