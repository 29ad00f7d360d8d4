// What an MCP tool is: a thin adapter over src/service with the input and output schemas the REST
// routes use too, honest annotations, the scope it needs, and a complete text rendering of its result.
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import type { AppDeps } from '../../app-deps.ts';
import type { Scope } from '../../auth/scope.ts';
import { AppError } from '../../errors.ts';

export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolCall {
  deps: AppDeps;
  /** Who calls, for audit fields. */
  actor: string;
  /** Sends a progress notification when the client asked for them. */
  progress(done: number, total: number, message: string): Promise<void>;
  signal: AbortSignal;
}

export interface ToolDefinition<S extends TSchema = TSchema, O extends TObject = TObject> {
  name: string;
  description: string;
  inputSchema: S;
  /** The shape of structuredContent (always an object). */
  outputSchema: O;
  annotations: ToolAnnotations;
  scope: Scope;
  /**
   * The tool may take long and report progress (call.progress): its answer goes out as an event
   * stream, so notifications reach the client as they happen. Other tools are answered as plain JSON.
   */
  streams?: boolean;
  /**
   * The text is a markdown document (a run report) that may be very long: past a limit it ends at a
   * whole line with a notice (structuredContent keeps the whole). Other texts are never cut.
   */
  documentText?: boolean;
  run(args: Static<S>, call: ToolCall): Promise<Static<O>>;
  /** The whole result as text, for hosts that hand the model only the text: every item named. */
  text(result: Static<O>): string;
}

/** A tool as the registry keeps it: its own schema types erased once, here. */
export type AnyTool = ToolDefinition<TSchema, TObject>;

export function tool<S extends TSchema, O extends TObject>(def: ToolDefinition<S, O>): AnyTool {
  return def as unknown as AnyTool;
}

export const readOnly = (title: string): ToolAnnotations => ({
  title,
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});
export const changes = (title: string, idempotent: boolean, destructive = false): ToolAnnotations => ({
  title,
  readOnlyHint: false,
  destructiveHint: destructive,
  idempotentHint: idempotent,
  openWorldHint: false,
});

export const NoInput = Type.Object({}, { additionalProperties: false });

/** The same object schema refusing unknown fields (an agent's typo should be an error, not ignored). */
export function strict<T extends TObject>(schema: T): T {
  return Type.Object(schema.properties, {
    ...(schema.description ? { description: schema.description } : {}),
    additionalProperties: false,
  }) as unknown as T;
}

/** A cursor is the offset of the next page, as text (opaque to the agent). */
export const Cursor = Type.String({ pattern: '^[0-9]{1,9}$', description: 'next_cursor of the previous page' });
export const NextCursor = Type.Union([Type.String(), Type.Null()], {
  description: 'pass as cursor for the next page; null on the last page',
});

/** One page of a list; the rest is reached with the cursor, so no answer is ever cut short. */
export function pageOf<T>(
  all: T[],
  cursor: string | undefined,
  size: number,
): { items: T[]; next_cursor: string | null; total: number } {
  const from = cursor === undefined ? 0 : Number(cursor);
  if (from > all.length)
    throw new AppError(400, 'invalid_cursor', `cursor ${cursor} is past the end (${all.length} items)`);
  const items = all.slice(from, from + size);
  return { items, next_cursor: from + size < all.length ? String(from + size) : null, total: all.length };
}

export const pageNote = (p: { items: unknown[]; next_cursor: string | null; total: number }) =>
  p.next_cursor === null ? '' : `\n(${p.items.length} of ${p.total} shown; next page: cursor "${p.next_cursor}")`;

/** Structured JSON under a one-line summary: complete, never cut. */
export const withJson = (summary: string, result: unknown) => `${summary}\n${JSON.stringify(result, null, 1)}`;
