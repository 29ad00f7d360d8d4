// Path and query schemas shared by the REST routes and the pages. URLs carry strings; the shared TypeBox schemas (also MCP input
// schemas) say integer, so integer fields are swapped for Elysia's coercing integer here, once.
import { t } from 'elysia';
import { OptionalKind, type TObject, type TSchema } from '@sinclair/typebox';

export const IdParams = t.Object({ id: t.Numeric({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 1 }) });

/** The same object schema with its integer properties accepting numeric strings. */
export function fromQueryString<T extends TObject>(schema: T): T {
  const properties: Record<string, TSchema> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (prop.type !== 'integer') {
      properties[key] = prop;
      continue;
    }
    const { [OptionalKind]: optional, ...options } = prop as TSchema & { [OptionalKind]?: string };
    const coerced = t.Integer(options);
    properties[key] = optional ? t.Optional(coerced) : coerced;
  }
  return t.Object(properties, { additionalProperties: schema.additionalProperties }) as unknown as T;
}
