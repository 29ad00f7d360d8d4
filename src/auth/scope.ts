// Scopes and which routes need which. One central rule, so a route added later is covered by default:
// reads need `read`, anything that changes state needs `operate`, tokens and approvals need `admin`,
// and only a short list is public.

export type Scope = 'read' | 'operate' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'operate', 'admin'];

const RANK: Record<Scope, number> = { read: 1, operate: 2, admin: 3 };

export function scopeAllows(held: Scope, needed: Scope): boolean {
  return RANK[held] >= RANK[needed];
}

export type Requirement = Scope | 'public';

/** `route` is the registered path pattern (e.g. /api/runs/:id/approve), not the request path. */
export function requiredScope(method: string, route: string, metricsPublic: boolean): Requirement {
  const m = method.toUpperCase();
  if (
    route === '/healthz' ||
    route === '/readyz' ||
    route === '/login' ||
    route === '/logout' ||
    route.startsWith('/static/')
  )
    return 'public';
  if (route === '/metrics' || route === '/metrics/json') return metricsPublic ? 'public' : 'read';
  // MCP: any caller with a token may talk; each tool checks the scope it needs.
  if (route === '/mcp' || route === '/sse' || route === '/messages') return 'read';
  if (route === '/api/tokens' || route.startsWith('/api/tokens/') || route.startsWith('/settings/tokens'))
    return 'admin';
  if (/^(\/api)?\/runs\/:id\/(approve|deny)$/.test(route)) return 'admin';
  // What may be STARTED on the host is an admin decision; reading the list is not.
  if (route.startsWith('/api/worker-images') && m !== 'GET' && m !== 'HEAD') return 'admin';
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return 'read';
  return 'operate';
}
