// The catalogue of tasks this process can run. main.ts registers the product's tasks; tests register
// their own on a registry of their own.
import { Value } from '@sinclair/typebox/value';
import type { TaskDefinition } from './task.ts';

export interface TaskCatalogEntry {
  key: string;
  title: string;
  description: string;
  options_schema: unknown;
}

export class TaskRegistry {
  private readonly tasks = new Map<string, TaskDefinition>();

  register(task: TaskDefinition): this {
    if (this.tasks.has(task.key)) throw new Error(`task ${task.key} registered twice`);
    this.tasks.set(task.key, task);
    return this;
  }

  get(key: string): TaskDefinition | undefined {
    return this.tasks.get(key);
  }

  keys(): string[] {
    return [...this.tasks.keys()];
  }

  catalog(): TaskCatalogEntry[] {
    return [...this.tasks.values()].map((t) => ({
      key: t.key,
      title: t.title,
      description: t.description,
      options_schema: t.optionsSchema,
    }));
  }

  /** Options for one task with defaults applied; the list of problems when they do not fit its schema. */
  resolveOptions(
    key: string,
    given: unknown,
  ): { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] } {
    const task = this.tasks.get(key);
    if (!task) return { ok: false, problems: [`unknown task ${key}`] };
    const value = Value.Default(task.optionsSchema, structuredClone(given ?? {}));
    if (Value.Check(task.optionsSchema, value)) return { ok: true, value: value as Record<string, unknown> };
    const problems = [...Value.Errors(task.optionsSchema, value)]
      .slice(0, 5)
      .map((e) => `${key}${e.path.replace(/\//g, '.')}: ${e.message}`);
    return { ok: false, problems };
  }
}
