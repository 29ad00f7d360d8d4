// Every request passes here before validation and before its handler:
// 1. Host and Origin checks against DNS rebinding and cross-site requests, on every route but
//    /healthz (also when auth is off: a loopback-only appliance is exactly what a rebinding page targets);
// 2. who is calling: a bearer token, or a browser session cookie (whose state-changing requests must
//    carry the session's CSRF token); wrong bearer tokens are counted per client address and slowed down;
// 3. whether that caller's scope covers the route (src/auth/scope.ts).
// The front door (front-door.ts) runs 1 and 2 before a request body is read; this guard reuses its answer.
import { Elysia } from 'elysia';
import { isIP } from 'node:net';
import { requiredScope, scopeAllows } from '../auth/scope.ts';
import type { FailureThrottle } from '../auth/throttle.ts';
import { principalForSession, principalForToken, type Principal } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { AppError, retryLater } from '../errors.ts';
import { clientAddress, preAuthenticated } from './request-state.ts';

export const SESSION_COOKIE = 'cb_session';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthDeps {
  config: Config;
  db: Database;
  clock: Clock;
  /** Failed sign-ins and token guesses per client address. */
  throttle: FailureThrottle;
}

/** The one path every Host accepts: container health checks address the container by any name. */
export const OPEN_TO_ANY_HOST = '/healthz';

function hostOf(hostHeader: string): string {
  // "[::1]:9595" -> "::1"; "cb.lan:9595" -> "cb.lan"
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (m) return m[1]!.toLowerCase();
  return hostHeader.replace(/:\d+$/, '').toLowerCase();
}

/** Host names a request may be addressed to: IP literals always; names only when configured. */
export function allowedHostNames(config: Config): Set<string> {
  const names = new Set(['localhost']);
  if (!isIP(config.host) && config.host !== '0.0.0.0') names.add(config.host.toLowerCase());
  for (const origin of config.auth.allowedOrigins) {
    try {
      names.add(new URL(origin).hostname.toLowerCase());
    } catch {
      // validated at start
    }
  }
  return names;
}

export function checkHostAndOrigin(request: Request, config: Config, names: Set<string>): void {
  const hostHeader = request.headers.get('host') ?? new URL(request.url).host;
  const host = hostOf(hostHeader);
  if (!isIP(host) && !names.has(host)) {
    throw new AppError(
      403,
      'host_not_allowed',
      `requests addressed to "${host.slice(0, 100)}" are refused; add its origin to CYBER_BRAIN_ALLOWED_ORIGINS`,
    );
  }
  const origin = request.headers.get('origin');
  if (origin !== null) {
    const sameOrigin = (() => {
      try {
        return new URL(origin).host.toLowerCase() === hostHeader.toLowerCase();
      } catch {
        return false;
      }
    })();
    if (!sameOrigin && !config.auth.allowedOrigins.includes(origin.replace(/\/+$/, ''))) {
      throw new AppError(
        403,
        'origin_not_allowed',
        'cross-origin requests are refused; add the origin to CYBER_BRAIN_ALLOWED_ORIGINS',
      );
    }
  } else if (!SAFE_METHODS.has(request.method) && request.headers.get('sec-fetch-site') === 'cross-site') {
    throw new AppError(403, 'origin_not_allowed', 'cross-site requests are refused');
  }
}

/** The CSRF token a browser request carries: a header (fetch from our pages) or a form field (forms). */
function csrfPresented(request: Request, body: unknown): string | undefined {
  const header = request.headers.get(CSRF_HEADER);
  if (header) return header;
  if (body && typeof body === 'object' && CSRF_FIELD in body) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/** The session secret from the cookie, if any. */
export function sessionSecret(request: Request): string | undefined {
  const raw = /(?:^|;\s*)cb_session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function bearer(request: Request): string | undefined {
  const h = request.headers.get('authorization');
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw new AppError(401, 'unauthenticated', 'the Authorization header must be "Bearer <token>"');
  return m[1];
}

const AUTH_OFF: Principal = { kind: 'auth_off', scope: 'admin', name: 'local-operator', tokenId: null };

/** A 429 while this address has failed too often; call before checking a presented token. */
export function checkThrottle(throttle: FailureThrottle, address: string): void {
  const wait = throttle.waitMs(address);
  if (wait > 0) {
    throw retryLater(
      429,
      'too_many_attempts',
      `too many failed sign-ins or token tries from this address; retry in ${Math.ceil(wait / 1000)} s`,
      wait / 1000,
    );
  }
}

/** A bearer token to its principal; a wrong one counts against the client's address. */
async function bearerPrincipal(deps: AuthDeps, request: Request, token: string): Promise<Principal> {
  const address = clientAddress(request);
  checkThrottle(deps.throttle, address);
  const principal = await principalForToken({ db: deps.db, clock: deps.clock }, deps.config.token, token);
  if (!principal) {
    deps.throttle.fail(address);
    throw new AppError(401, 'unauthenticated', 'the token is not valid (unknown or revoked)');
  }
  return principal;
}

/**
 * Who is calling, from the headers alone (no body): the bearer token's or the session's principal;
 * throws 401 (or 429 while the address is throttled). Used before the body is read.
 */
export async function identifyCaller(deps: AuthDeps, request: Request): Promise<Principal> {
  const token = bearer(request);
  if (token !== undefined) return bearerPrincipal(deps, request, token);
  const secret = sessionSecret(request);
  const principal = secret ? await principalForSession({ db: deps.db, clock: deps.clock }, secret) : undefined;
  if (!principal)
    throw new AppError(
      401,
      'unauthenticated',
      'authentication required: send "Authorization: Bearer <token>" or sign in at /login',
    );
  return principal;
}

/** The caller when it presents valid credentials, else undefined; never throws (for public routes that show more to a caller). */
async function optionalCaller(deps: AuthDeps, request: Request): Promise<Principal | undefined> {
  if (!deps.config.auth.enabled) return AUTH_OFF;
  if (!request.headers.get('authorization') && !sessionSecret(request)) return undefined;
  try {
    return preAuthenticated(request) ?? (await identifyCaller(deps, request));
  } catch {
    return undefined;
  }
}

/** Resolves the caller; throws 401/403 AppErrors. Exported for the transports that bypass Elysia routing (MCP). */
export async function authenticate(
  deps: AuthDeps,
  request: Request,
  route: string,
  body: unknown,
  names = allowedHostNames(deps.config),
): Promise<Principal | undefined> {
  const required = requiredScope(request.method, route, deps.config.auth.metricsPublic);
  const path = new URL(request.url).pathname;
  if (path !== OPEN_TO_ANY_HOST) checkHostAndOrigin(request, deps.config, names);
  if (required === 'public') return route === '/readyz' ? optionalCaller(deps, request) : undefined;
  if (!deps.config.auth.enabled) return AUTH_OFF;

  const principal = preAuthenticated(request) ?? (await identifyCaller(deps, request));
  if (
    principal.kind === 'session' &&
    !SAFE_METHODS.has(request.method) &&
    csrfPresented(request, body) !== principal.session!.csrf
  ) {
    throw new AppError(403, 'csrf_failed', "this browser request lacks the session's CSRF token");
  }
  if (!scopeAllows(principal.scope, required)) {
    throw new AppError(
      403,
      'insufficient_scope',
      `this route needs the "${required}" scope; the caller has "${principal.scope}"`,
      { required, held: principal.scope },
    );
  }
  return principal;
}

export function authGuard(deps: AuthDeps) {
  const names = allowedHostNames(deps.config);
  return new Elysia({ name: 'auth-guard' }).derive({ as: 'global' }, async ({ request, route, body }) => {
    const principal = await authenticate(deps, request, route, body, names);
    return { principal: principal ?? null };
  });
}
