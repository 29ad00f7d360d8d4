// Input validation at the use-case boundary. HTTP routes validate with the same schemas already; this
// also covers MCP and any adapter whose framework lets an odd value through (an array for an object).
import type { Static, TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { AppError } from '../errors.ts';

/** The allowed values of a union of literals (an enum), or null for any other schema. */
function allowedValues(schema: TSchema): unknown[] | null {
  const options = (schema as { anyOf?: unknown }).anyOf;
  if (!Array.isArray(options) || options.length === 0) return null;
  const values: unknown[] = [];
  for (const o of options) {
    if (typeof o !== 'object' || o === null || !('const' in o)) return null;
    values.push((o as { const: unknown }).const);
  }
  return values;
}

/** A problem in words an agent can act on: an enum names its allowed values. */
function problemOf(e: ValueError): string {
  const values = allowedValues(e.schema);
  return values ? `must be one of: ${values.map((v) => String(v)).join(', ')}` : e.message;
}

export function assertValid<T extends TSchema>(schema: T, input: unknown, what: string): Static<T> {
  if (Value.Check(schema, input)) return input as Static<T>;
  const problems = [...Value.Errors(schema, input)]
    .slice(0, 10)
    .map((e) => ({ field: e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)', problem: problemOf(e) }));
  const first = problems[0];
  throw new AppError(
    400,
    'validation_failed',
    first ? `invalid ${what}: ${first.field}: ${first.problem}` : `invalid ${what}`,
    problems,
  );
}
