// The container allowlist: which containers Cyber-Brain may look inside. One function per capability,
// shared by REST, MCP and the web UI. Enforcement itself lives in the Docker gateway.
import { Type, type Static } from '@sinclair/typebox';
import { ContainerNotFoundError } from '../docker/errors.ts';
import { allowLabel, type ContainerSummary } from '../docker/types.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import * as store from '../store/allowlist.ts';
import type { AllowlistContext, DockerContext } from './context.ts';

/** A container as the API accepts it: full id, unique id prefix or name. */
export const ContainerRef = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$',
  description: 'container id, unique id prefix or name',
});
/** An allowlist key: the full container id or a unique prefix of at least 12 hex digits. */
export const AllowlistKey = Type.String({
  pattern: '^[0-9a-f]{12,64}$',
  description: 'container id (full, or a unique prefix of 12+ hex digits)',
});

const Tags = Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,39}$' }), {
  maxItems: 20,
  uniqueItems: true,
});
const Description = Type.String({ maxLength: 500 });

export const AddToAllowlistInput = Type.Object(
  {
    container: ContainerRef,
    description: Type.Optional(Description),
    tags: Type.Optional(Tags),
    follow: Type.Optional(
      Type.Boolean({ description: 'move the entry to the container when it is recreated (default true)' }),
    ),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type AddToAllowlistInput = Static<typeof AddToAllowlistInput>;

export const UpdateAllowlistInput = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    description: Type.Optional(Description),
    tags: Type.Optional(Tags),
    follow: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAllowlistInput = Static<typeof UpdateAllowlistInput>;

/** An allowlist entry as the API shows it: the stored row, dates as ISO strings. */
export type AllowlistEntryView = Omit<store.AllowlistRow, 'created_at' | 'updated_at'> & {
  created_at: string;
  updated_at: string;
};

export interface AllowlistHistoryView {
  id: number;
  container_id: string;
  previous_container_id: string | null;
  action: store.AllowlistAction;
  name: string;
  reason: string;
  at: string;
}

export const entryView = (r: store.AllowlistRow): AllowlistEntryView => ({
  container_id: r.container_id,
  name: r.name,
  compose_project: r.compose_project,
  compose_service: r.compose_service,
  enabled: r.enabled,
  description: r.description,
  tags: r.tags,
  follow: r.follow,
  source: r.source,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

const historyView = (r: store.AllowlistHistoryRow): AllowlistHistoryView => ({
  id: r.id,
  container_id: r.container_id,
  previous_container_id: r.previous_container_id,
  action: r.action,
  name: r.name,
  reason: r.reason,
  at: r.at.toISOString(),
});

/** Finds a live container by full id, exact name or unique id prefix. */
export function resolveContainer(live: ContainerSummary[], ref: string): ContainerSummary {
  const exact = live.find((c) => c.id === ref || c.name === ref);
  if (exact) return exact;
  const byPrefix = /^[0-9a-f]+$/.test(ref) ? live.filter((c) => c.id.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1)
    throw new AppError(
      409,
      'ambiguous_container',
      `"${ref}" matches ${byPrefix.length} containers; give more of the id`,
    );
  throw new ContainerNotFoundError(ref);
}

async function findEntry(ctx: AllowlistContext, key: string): Promise<store.AllowlistRow> {
  const row = await findEntryByRef(ctx, key);
  if (!row) throw notFound(`allowlist entry ${key}`);
  return row;
}

/** The entry of a container given by full id, unique id prefix or name; undefined when none. */
async function findEntryByRef(ctx: AllowlistContext, ref: string): Promise<store.AllowlistRow | undefined> {
  const exact = await store.findAllowlistEntry(ctx.db.sql, ref);
  if (exact) return exact;
  const rows = /^[0-9a-f]{1,63}$/.test(ref) ? await store.findAllowlistEntriesByPrefix(ctx.db.sql, ref) : [];
  if (rows.length > 1)
    throw new AppError(409, 'ambiguous_container', `"${ref}" matches several allowlist entries; give the full id`);
  if (rows.length === 1) return rows[0];
  return (await store.listAllowlist(ctx.db.sql)).find((e) => e.name === ref);
}

export async function listAllowlist(ctx: AllowlistContext): Promise<AllowlistEntryView[]> {
  return (await store.listAllowlist(ctx.db.sql)).map(entryView);
}

export async function getAllowlistEntry(
  ctx: AllowlistContext,
  key: string,
): Promise<AllowlistEntryView & { history: AllowlistHistoryView[] }> {
  const row = await findEntry(ctx, key);
  const history = await store.listAllowlistHistory(ctx.db.sql, row.container_id);
  return { ...entryView(row), history: history.map(historyView) };
}

/** The newest history rows of one action over every entry, newest first (e.g. recent "followed" moves). */
export async function recentAllowlistHistory(
  ctx: AllowlistContext,
  action: store.AllowlistAction,
  limit = 10,
): Promise<AllowlistHistoryView[]> {
  return (await store.listRecentAllowlistHistory(ctx.db.sql, action, limit)).map(historyView);
}

export async function addToAllowlist(ctx: DockerContext, input: AddToAllowlistInput): Promise<AllowlistEntryView> {
  const c = resolveContainer(await ctx.docker.listContainers(), input.container);
  if (allowLabel(c.labels) === false) {
    throw conflict(`container "${c.name}" is labelled cyberbrain.allow=false and cannot be added to the allowlist`, {
      reason: 'label cyberbrain.allow=false',
      container_id: c.id,
      name: c.name,
    });
  }
  const at = ctx.clock.now();
  const row = await ctx.db.sql.begin(async (tx) => {
    const inserted = await store.insertAllowlistEntry(tx, {
      containerId: c.id,
      name: c.name,
      composeProject: c.compose_project,
      composeService: c.compose_service,
      enabled: input.enabled ?? true,
      description: input.description?.trim() ?? '',
      tags: input.tags ?? [],
      follow: input.follow ?? true,
      source: 'api',
      at,
    });
    if (inserted)
      await store.insertAllowlistHistory(tx, {
        containerId: c.id,
        previousContainerId: null,
        action: 'added',
        name: c.name,
        reason: 'api',
        at,
      });
    return inserted;
  });
  if (!row) throw conflict(`container "${c.name}" is already on the allowlist`, { container_id: c.id });
  ctx.events.publish('allowlist.changed', { action: 'added', container_id: c.id, name: c.name });
  return entryView(row);
}

export async function updateAllowlistEntry(
  ctx: AllowlistContext,
  key: string,
  input: UpdateAllowlistInput,
): Promise<AllowlistEntryView> {
  const current = await findEntry(ctx, key);
  const next: store.AllowlistChanges = {
    enabled: input.enabled ?? current.enabled,
    description: input.description?.trim() ?? current.description,
    tags: input.tags ?? current.tags,
    follow: input.follow ?? current.follow,
  };
  const changed = (Object.keys(next) as (keyof store.AllowlistChanges)[]).filter(
    (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
  );
  if (changed.length === 0) return entryView(current);
  const at = ctx.clock.now();
  const row = await ctx.db.sql.begin(async (tx) => {
    const updated = await store.updateAllowlistEntry(tx, current.container_id, next, at);
    if (updated) {
      await store.insertAllowlistHistory(tx, {
        containerId: updated.container_id,
        previousContainerId: null,
        action: 'updated',
        name: updated.name,
        reason: changed.join(', '),
        at,
      });
    }
    return updated;
  });
  if (!row) throw notFound(`allowlist entry ${key}`);
  ctx.events.publish('allowlist.changed', {
    action: 'updated',
    container_id: row.container_id,
    name: row.name,
    fields: changed,
  });
  return entryView(row);
}

export async function removeFromAllowlist(ctx: AllowlistContext, key: string): Promise<AllowlistEntryView> {
  const current = await findEntry(ctx, key);
  const at = ctx.clock.now();
  const row = await ctx.db.sql.begin(async (tx) => {
    const deleted = await store.deleteAllowlistEntry(tx, current.container_id);
    if (deleted)
      await store.insertAllowlistHistory(tx, {
        containerId: deleted.container_id,
        previousContainerId: null,
        action: 'removed',
        name: deleted.name,
        reason: 'api',
        at,
      });
    return deleted;
  });
  if (!row) throw notFound(`allowlist entry ${key}`);
  ctx.events.publish('allowlist.changed', { action: 'removed', container_id: row.container_id, name: row.name });
  return entryView(row);
}

export const AllowlistAction = Type.Union(
  [Type.Literal('add'), Type.Literal('enable'), Type.Literal('disable'), Type.Literal('remove')],
  {
    description: 'add: allow the container; enable/disable: switch its entry; remove: take it off the allowlist',
  },
);

export const SetAllowlistInput = Type.Object(
  { action: AllowlistAction, container: ContainerRef, description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type SetAllowlistInput = Static<typeof SetAllowlistInput>;

export interface SetAllowlistResult {
  action: SetAllowlistInput['action'];
  container: string;
  /** False when the allowlist already was as asked: the same call twice changes it once. */
  changed: boolean;
  /** The entry after the change; null once removed. */
  entry: AllowlistEntryView | null;
}

/**
 * Brings one container's allowlist state to what `action` asks, by id, id prefix or name. Idempotent:
 * asking for the state the allowlist already has changes nothing and is no error. A name that is
 * neither on the allowlist nor on the Docker host is an error that names it.
 */
export async function setAllowlist(ctx: DockerContext, input: SetAllowlistInput): Promise<SetAllowlistResult> {
  const { action, container } = input;
  const entry = await findEntryByRef(ctx, container);
  const done = (changed: boolean, row: AllowlistEntryView | null): SetAllowlistResult => ({
    action,
    container,
    changed,
    entry: row,
  });
  if (action === 'add') {
    if (entry) return done(false, entryView(entry));
    return done(
      true,
      await addToAllowlist(ctx, { container, ...(input.description ? { description: input.description } : {}) }),
    );
  }
  if (!entry) {
    const live = await ctx.docker.listContainers();
    const known = live.some(
      (c) =>
        c.id === container || c.name === container || (/^[0-9a-f]+$/.test(container) && c.id.startsWith(container)),
    );
    if (!known)
      throw new AppError(
        404,
        'container_not_found',
        `no container "${container}": it is neither on the allowlist nor on the Docker host`,
      );
    if (action === 'remove') return done(false, null);
    throw new AppError(404, 'not_on_allowlist', `container "${container}" is not on the allowlist; add it first`);
  }
  if (action === 'remove') {
    await removeFromAllowlist(ctx, entry.container_id);
    return done(true, null);
  }
  const enabled = action === 'enable';
  if (entry.enabled === enabled) return done(false, entryView(entry));
  return done(true, await updateAllowlistEntry(ctx, entry.container_id, { enabled }));
}
