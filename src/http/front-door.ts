// The front door: what runs for every request before the app, and so before any body is read.
// Elysia parses a body before its hooks can look at the caller, and Bun's own size limit trusts
// Content-Length alone; a chunked body could be read (and parsed) in full without a token. So here,
// in order: Host and Origin checks (every route but /healthz), the caller for any route that needs one
// (401 before a byte is read), then the body itself, counted as it streams in and cut at its route
// class's cap (413 at once). The app then gets a copy of the request with the bytes read.
import type { Server } from 'bun';
import { requiredScope } from '../auth/scope.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import { allowedHostNames, checkHostAndOrigin, identifyCaller, OPEN_TO_ANY_HOST, type AuthDeps } from './auth-guard.ts';
import { bodyCapFor, readCapped, tooLarge } from './body-limits.ts';
import { DATABASE_RETRY_SECONDS, isDatabaseUnavailable } from './database-errors.ts';
import { AppError, retryLater } from '../errors.ts';
import { errorResponse } from './errors.ts';
import { setRequestState } from './request-state.ts';
import { errorPage, loginRedirect, wantsPage } from './web/error-page.tsx';

export interface FrontDoorDeps extends AuthDeps {
  logger: Logger;
}

type Handler = (request: Request) => Response | Promise<Response>;

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

function refusal(request: Request, err: AppError): Response {
  if (wantsPage(request)) {
    if (err.status === 401) return loginRedirect(request);
    const page = errorPage(err.status, err.errorCode, err.message);
    for (const [k, v] of Object.entries(err.headers ?? {})) page.headers.set(k, v);
    return page;
  }
  return errorResponse(err.status, err.errorCode, err.message, err.details, err.headers);
}

export function frontDoor(app: { fetch: Handler }, deps: FrontDoorDeps) {
  const names = allowedHostNames(deps.config);
  return async function handle(request: Request, server?: Server<unknown>): Promise<Response> {
    const started = performance.now();
    const address = server?.requestIP(request)?.address;
    if (address) setRequestState(request, { address });
    const path = new URL(request.url).pathname;
    // The app logs the requests it answers (request-log.ts); these it never sees.
    const refused = (response: Response) => {
      deps.logger.info('request', {
        method: request.method,
        path,
        status: response.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        refused_by: 'front_door',
      });
      return response;
    };
    try {
      if (path !== OPEN_TO_ANY_HOST) checkHostAndOrigin(request, deps.config, names);
      // Bodies of GET and friends are never read by the app: nothing to guard here.
      if (NO_BODY.has(request.method) || request.body === null) return await app.fetch(request);
      const cap = bodyCapFor(path);
      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > cap) throw tooLarge(cap);
      // The route is not known yet; a path equals its route for every public one (/login, /static/...).
      const principal =
        deps.config.auth.enabled && requiredScope(request.method, path, deps.config.auth.metricsPublic) !== 'public'
          ? await identifyCaller(deps, request)
          : undefined;
      const bytes = await readCapped(request.body, cap);
      const copy = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: bytes,
        signal: request.signal,
      });
      setRequestState(copy, { address, principal });
      return await app.fetch(copy);
    } catch (err) {
      if (err instanceof AppError) return refused(refusal(request, err));
      if (isDatabaseUnavailable(err)) {
        return refused(
          refusal(
            request,
            retryLater(
              503,
              'database_unavailable',
              `the database cannot be reached right now; retry in ${DATABASE_RETRY_SECONDS} s`,
              DATABASE_RETRY_SECONDS,
            ),
          ),
        );
      }
      deps.logger.error('unhandled error at the front door', { method: request.method, path, ...errorFields(err) });
      return refused(errorResponse(500, 'internal_error', 'internal error; the server log has the details'));
    }
  };
}
