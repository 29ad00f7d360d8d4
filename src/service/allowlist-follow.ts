// Keeps the allowlist attached to the containers it means. A recreated container (compose pull, a
// `docker run` under the same name) has a new id: an entry with follow on moves to it, in one
// transaction with its history row. Containers labelled cyberbrain.allow=true are added; one labelled
// cyberbrain.allow=false is never followed onto or added.
import { allowLabel, type ContainerSummary } from '../docker/types.ts';
import * as store from '../store/allowlist.ts';
import type { AllowlistContext } from './context.ts';

export interface FollowChange {
  from_container_id: string;
  to_container_id: string;
  name: string;
  reason: 'same name' | 'same compose service';
}

export const OPT_IN_REASON = 'label cyberbrain.allow=true';

function pick(
  entry: store.AllowlistRow,
  candidates: ContainerSummary[],
): { c: ContainerSummary; reason: FollowChange['reason'] } | undefined {
  const byName = candidates.find((c) => c.name === entry.name);
  if (byName) return { c: byName, reason: 'same name' };
  if (!entry.compose_project || !entry.compose_service) return undefined;
  // several replicas of one service: the newest is the one that replaced the old container
  const same = candidates
    .filter((c) => c.compose_project === entry.compose_project && c.compose_service === entry.compose_service)
    .sort((a, b) => b.created.localeCompare(a.created));
  return same[0] ? { c: same[0], reason: 'same compose service' } : undefined;
}

/** Moves following entries whose container is gone onto their recreated container. */
export async function followRecreatedContainers(
  ctx: AllowlistContext,
  live: ContainerSummary[],
): Promise<FollowChange[]> {
  const sql = ctx.db.sql;
  const liveIds = new Set(live.map((c) => c.id));
  const projects = [...new Set(live.map((c) => c.compose_project).filter((p): p is string => p !== null))];
  const targets = await store.findFollowTargets(
    sql,
    live.map((c) => c.name),
    projects,
  );
  const stale = targets.filter((t) => !liveIds.has(t.container_id));
  if (stale.length === 0) return [];
  const taken = new Set(await store.allowlistedIds(sql, [...liveIds]));
  const changes: FollowChange[] = [];
  for (const entry of stale) {
    const candidates = live.filter((c) => !taken.has(c.id) && allowLabel(c.labels) !== false);
    const match = pick(entry, candidates);
    if (!match) continue;
    const at = ctx.clock.now();
    const moved = await sql.begin(async (tx) => {
      const row = await store.moveAllowlistEntry(
        tx,
        entry.container_id,
        {
          containerId: match.c.id,
          name: match.c.name,
          composeProject: match.c.compose_project,
          composeService: match.c.compose_service,
        },
        at,
      );
      if (!row) return undefined; // moved meanwhile, or follow switched off
      await store.insertAllowlistHistory(tx, {
        containerId: match.c.id,
        previousContainerId: entry.container_id,
        action: 'followed',
        name: match.c.name,
        reason: match.reason,
        at,
      });
      return row;
    });
    if (!moved) continue;
    taken.add(match.c.id);
    const change: FollowChange = {
      from_container_id: entry.container_id,
      to_container_id: match.c.id,
      name: match.c.name,
      reason: match.reason,
    };
    changes.push(change);
    ctx.events.publish('allowlist.followed', { ...change });
  }
  return changes;
}

/** Adds containers labelled cyberbrain.allow=true that are not on the list yet; returns their ids. */
export async function addLabelOptIns(ctx: AllowlistContext, live: ContainerSummary[]): Promise<string[]> {
  const added: string[] = [];
  for (const c of live) {
    if (allowLabel(c.labels) !== true) continue;
    const at = ctx.clock.now();
    const row = await ctx.db.sql.begin(async (tx) => {
      const inserted = await store.insertAllowlistEntry(tx, {
        containerId: c.id,
        name: c.name,
        composeProject: c.compose_project,
        composeService: c.compose_service,
        enabled: true,
        description: '',
        tags: [],
        follow: true,
        source: 'label',
        at,
      });
      if (inserted) {
        await store.insertAllowlistHistory(tx, {
          containerId: c.id,
          previousContainerId: null,
          action: 'added',
          name: c.name,
          reason: OPT_IN_REASON,
          at,
        });
      }
      return inserted;
    });
    if (!row) continue;
    added.push(c.id);
    ctx.events.publish('allowlist.changed', {
      action: 'added',
      container_id: c.id,
      name: c.name,
      reason: OPT_IN_REASON,
    });
  }
  return added;
}
