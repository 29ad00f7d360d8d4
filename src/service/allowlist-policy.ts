// The allowlist as the gateway's access policy: a container's insides may be read when it has an
// enabled entry. A container that is not on the list but looks like a recreated allowlisted one gets
// the entry moved to it first, so a `docker compose pull && up` does not lock the operator out.
import type { AccessPolicy } from '../docker/types.ts';
import * as store from '../store/allowlist.ts';
import { followRecreatedContainers } from './allowlist-follow.ts';
import type { AllowlistContext } from './context.ts';

export function allowlistPolicy(ctx: AllowlistContext): AccessPolicy {
  return {
    async decide(container, live) {
      let entry = await store.findAllowlistEntry(ctx.db.sql, container.id);
      if (!entry) {
        const projects = container.compose_project ? [container.compose_project] : [];
        const targets = await store.findFollowTargets(ctx.db.sql, [container.name], projects);
        if (targets.length > 0) {
          await followRecreatedContainers(ctx, await live());
          entry = await store.findAllowlistEntry(ctx.db.sql, container.id);
        }
      }
      if (!entry) return { allowed: false, reason: 'not_allowlisted' };
      if (!entry.enabled) return { allowed: false, reason: 'disabled' };
      return { allowed: true };
    },
  };
}
