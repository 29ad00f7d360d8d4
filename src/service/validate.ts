// Input validation at the use-case boundary. HTTP routes validate with the same schemas already; this
// also covers MCP and any adapter whose framework lets an odd value through (an array for an object).
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from '../http/errors.ts';

export function assertValid<T extends TSchema>(schema: T, input: unknown, what: string): Static<T> {
  if (Value.Check(schema, input)) return input as Static<T>;
  const problems = [...Value.Errors(schema, input)].slice(0, 10).map((e) => ({ field: e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)', problem: e.message }));
  const first = problems[0];
  throw new AppError(400, 'validation_failed', first ? `invalid ${what}: ${first.field}: ${first.problem}` : `invalid ${what}`, problems);
}
