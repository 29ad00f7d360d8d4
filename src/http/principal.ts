// The caller resolved by the auth guard, as route handlers read it.
import type { Principal } from '../auth/tokens.ts';

/** The guard derives `principal` on every request context; route plugins are built apart from it. */
export function principalOf(ctx: object): Principal | null {
  return (ctx as { principal?: Principal | null }).principal ?? null;
}

export const actorName = (ctx: object) => principalOf(ctx)?.name ?? 'anonymous';
