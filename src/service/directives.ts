// Directives: the operator's standing instructions. Every content edit is a new version; built-ins
// can be edited but not deleted. One function per capability, shared by REST, MCP and the web UI.
import { Type, type Static } from '@sinclair/typebox';
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import * as store from '../store/directives.ts';
import { DirectiveLevel, MAX_DIRECTIVE_CHARS } from './schemas.ts';
import { assertValid } from './validate.ts';

export const CreateDirectiveInput = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
      description: 'unique, lowercase letters, digits and dashes',
    }),
    level: DirectiveLevel,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: MAX_DIRECTIVE_CHARS }),
    approval_required: Type.Optional(Type.Boolean({ description: 'forced on for D3 and D4' })),
  },
  { additionalProperties: false },
);
export type CreateDirectiveInput = Static<typeof CreateDirectiveInput>;

export const UpdateDirectiveInput = Type.Object(
  {
    level: Type.Optional(DirectiveLevel),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_DIRECTIVE_CHARS })),
    approval_required: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDirectiveInput = Static<typeof UpdateDirectiveInput>;

export interface DirectiveView {
  id: number;
  name: string;
  level: store.DirectiveLevel;
  title: string;
  body: string;
  sha256: string;
  approval_required: boolean;
  is_builtin: boolean;
  active: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** D3 and D4 always wait for a person. */
const needsApproval = (level: store.DirectiveLevel, asked: boolean | undefined) =>
  level === 'D3' || level === 'D4' || asked === true;

function view(row: store.DirectiveRow): DirectiveView {
  return {
    id: row.id,
    name: row.name,
    level: row.level,
    title: row.title,
    body: row.body,
    sha256: sha256Hex(row.body),
    approval_required: row.approval_required,
    is_builtin: row.is_builtin,
    active: row.active,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

type Ctx = { db: Database };

export async function listDirectives(ctx: Ctx, includeInactive = false): Promise<DirectiveView[]> {
  return (await store.listDirectives(ctx.db.sql, includeInactive)).map(view);
}

export async function getDirective(ctx: Ctx, id: number): Promise<DirectiveView> {
  const row = await store.findDirective(ctx.db.sql, id);
  if (!row) throw notFound(`directive ${id}`);
  return view(row);
}

export async function createDirective(ctx: Ctx, raw: CreateDirectiveInput): Promise<DirectiveView> {
  const input = assertValid(CreateDirectiveInput, raw, 'directive');
  const row = await store.insertDirective(ctx.db.sql, {
    name: input.name,
    level: input.level,
    title: input.title.trim(),
    body: input.body,
    approvalRequired: needsApproval(input.level, input.approval_required),
    sha256: sha256Hex(input.body),
  });
  if (!row) throw conflict(`a directive named "${input.name}" already exists`);
  return view(row);
}

export async function updateDirective(ctx: Ctx, id: number, raw: UpdateDirectiveInput): Promise<DirectiveView> {
  const input = assertValid(UpdateDirectiveInput, raw, 'directive change');
  const current = await store.findDirective(ctx.db.sql, id);
  if (!current) throw notFound(`directive ${id}`);
  if (current.is_builtin && input.level !== undefined && input.level !== current.level) {
    throw conflict(`built-in directive "${current.name}" keeps its level ${current.level}`);
  }
  const level = input.level ?? current.level;
  const next = {
    level,
    title: input.title?.trim() ?? current.title,
    body: input.body ?? current.body,
    approvalRequired: needsApproval(level, input.approval_required ?? current.approval_required),
    active: input.active ?? current.active,
  };
  const contentChanged =
    next.level !== current.level ||
    next.title !== current.title ||
    next.body !== current.body ||
    next.approvalRequired !== current.approval_required;
  const row = await store.updateDirective(ctx.db.sql, id, { ...next, sha256: sha256Hex(next.body) }, contentChanged);
  if (!row) throw notFound(`directive ${id}`);
  return view(row);
}

export async function deleteDirective(ctx: Ctx, id: number): Promise<void> {
  const row = await store.findDirective(ctx.db.sql, id);
  if (!row) throw notFound(`directive ${id}`);
  if (row.is_builtin)
    throw new AppError(
      409,
      'builtin_directive',
      `built-in directive "${row.name}" cannot be deleted; deactivate it instead`,
    );
  await store.deleteDirective(ctx.db.sql, id);
}

export interface DirectiveVersionView {
  version: number;
  level: store.DirectiveLevel;
  title: string;
  body: string;
  sha256: string;
  approval_required: boolean;
  created_at: string;
}

export async function listDirectiveVersions(ctx: Ctx, id: number): Promise<DirectiveVersionView[]> {
  if (!(await store.findDirective(ctx.db.sql, id))) throw notFound(`directive ${id}`);
  return (await store.listDirectiveVersions(ctx.db.sql, id)).map((v) => ({
    version: v.version,
    level: v.level,
    title: v.title,
    body: v.body,
    sha256: v.sha256,
    approval_required: v.approval_required,
    created_at: v.created_at.toISOString(),
  }));
}
