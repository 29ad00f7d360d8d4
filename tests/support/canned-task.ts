// A task under a product task's key that writes a prepared JSON artifact (or fails), so the pages that
// draw a task's output (service map, GPU) are tested through real runs without Docker or a GPU.
import { Type } from '@sinclair/typebox';
import { gpuKey, type GpuReport } from '../../src/gpu/report.ts';
import { insertGpuSamples } from '../../src/store/gpu-samples.ts';
import type { TaskDefinition } from '../../src/tasks/task.ts';

export interface CannedTask {
  task: TaskDefinition;
  /** What the next job writes: a value (as JSON), raw text (a damaged file), or an Error (the job fails). */
  next: unknown;
}

export function cannedTask(key: string, path: string): CannedTask {
  const canned: CannedTask = {
    next: null,
    task: {
      key,
      title: `${key} (canned, tests only)`,
      description: 'Writes the artifact the test prepared.',
      // the pages' forms may send the real task's options (service map scope)
      optionsSchema: Type.Object(
        { scope: Type.Optional(Type.String({ maxLength: 20 })) },
        { additionalProperties: false },
      ),
      async run(ctx) {
        const next = canned.next;
        if (next instanceof Error) throw next;
        const text = typeof next === 'string' ? next : JSON.stringify(next, null, 2);
        await ctx.writeArtifact(path, text, { kind: 'data', mimeType: 'application/json' });
        return { bytes: text.length };
      },
    },
  };
  return canned;
}

/** A canned gpu_report that also keeps the report's GPU samples, as the real task does (the trend is read from them). */
export function cannedGpuTask(): CannedTask {
  const canned = cannedTask('gpu_report', 'gpu_report/gpu_report.json');
  const writeReport = canned.task.run;
  canned.task = {
    ...canned.task,
    async run(ctx) {
      const next = canned.next as GpuReport | Error | string;
      const summary = await writeReport(ctx);
      if (typeof next === 'object' && !(next instanceof Error) && Array.isArray(next.gpus)) {
        const samples = next.gpus.map((g) => ({ ...g, gpu_index: g.index, gpu_uuid: gpuKey(g) }));
        await insertGpuSamples(ctx.db.sql, ctx.runId, ctx.jobId, new Date(next.generated_at), next.source, samples);
      }
      return summary;
    },
  };
  return canned;
}
