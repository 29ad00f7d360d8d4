// GET /api: what the API offers, derived from the registered routes, and whether auth is on.
import type { AnyElysia } from 'elysia';
import type { Config } from '../config.ts';

export function apiIndex(app: AnyElysia, config: Config) {
  const resources = new Set<string>();
  for (const r of app.routes) {
    const m = /^\/api\/([a-z-]+)/.exec(r.path);
    if (m && m[1] !== 'docs') resources.add(`/api/${m[1]}`);
  }
  return {
    name: 'Cyber-Brain',
    auth: { enabled: config.auth.enabled, reason: config.auth.reason },
    docs: '/api/docs',
    openapi: '/api/openapi.json',
    resources: [...resources].sort(),
  };
}
