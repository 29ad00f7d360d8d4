// Schemas shared by several use cases. Written once with TypeBox: Elysia validates requests with them,
// the OpenAPI document shows them and MCP tools use them as inputSchema.
import { Type, type SchemaOptions, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';

/** One of a list of strings written once elsewhere (statuses, kinds), as a union of literals. */
export function OneOf<const T extends readonly string[]>(
  values: T,
  options?: SchemaOptions,
): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
}

/** A database id in a path or a query: a positive integer that fits a JS number. */
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'numeric id' });

export const TaskKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$', description: 'a task key, e.g. log_triage' });

export const DirectiveLevel = Type.Union(
  [Type.Literal('D1'), Type.Literal('D2'), Type.Literal('D3'), Type.Literal('D4')],
  {
    description: 'D1 read-only diagnostics, D2 conservative recommendations, D3 change planning, D4 admin override',
  },
);

/** Directive and custom instruction text is bounded: it goes into a small model's prompt. */
export const MAX_DIRECTIVE_CHARS = 8000;

/** A value or null (the JSON of an absent figure). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
