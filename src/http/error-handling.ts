// Global error handling, registered before any route (Elysia applies onError only to routes added after
// it). Maps everything to the one error shape; validation errors name the field but never echo the
// value (it may be a secret); a database that cannot be reached is a 503 with Retry-After; anything
// else unexpected is a 500 whose text says nothing internal.
import { Elysia, ValidationError } from 'elysia';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import { bodyCapFor, MAX_BODY_BYTES } from './body-limits.ts';
import { DATABASE_RETRY_SECONDS, isDatabaseUnavailable } from './database-errors.ts';
import { AppError } from '../errors.ts';
import { errorBody, errorResponse } from './errors.ts';
import { jsonTooDeep, MAX_JSON_DEPTH, nulField } from './json-depth.ts';
import { errorPage, loginRedirect, wantsPage } from './web/error-page.tsx';

export { MAX_BODY_BYTES }; // its older home; body-limits.ts has the caps now

interface FieldProblem {
  field: string;
  problem: string;
}

function fieldProblems(err: ValidationError): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const e of err.all) {
    if (!('path' in e)) continue;
    const field = e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
    const problem = e.message;
    const key = `${field}\u0000${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, problem });
    if (out.length >= 10) break;
  }
  return out;
}

function hasBody(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  return request.body !== null && request.headers.get('content-length') !== '0';
}

function locationName(type: string): string {
  return type === 'body'
    ? 'body'
    : type === 'query'
      ? 'query string'
      : type === 'params'
        ? 'path'
        : type === 'headers'
          ? 'headers'
          : type;
}

interface ErrorContext {
  code: string | number;
  error: unknown;
  set: { status?: number | string; headers: Record<string, string | number> };
  request: Request;
}

/** The one error shape for any error; sets the status on the way. */
function jsonError(logger: Logger, { code, error: raised, set, request }: ErrorContext) {
  let error = raised;
  set.headers['content-type'] = 'application/json';
  // Elysia wraps what a parse hook throws: our own refusals (too deep, not an object) come out as they are.
  if (code === 'PARSE' && error instanceof Error && error.cause instanceof AppError) error = error.cause;
  if (error instanceof AppError) {
    set.status = error.status;
    for (const [k, v] of Object.entries(error.headers ?? {})) set.headers[k] = v;
    return errorBody(error.errorCode, error.message, error.details);
  }
  if (isDatabaseUnavailable(error)) {
    set.status = 503;
    set.headers['retry-after'] = String(DATABASE_RETRY_SECONDS);
    return errorBody(
      'database_unavailable',
      `the database cannot be reached right now; retry in ${DATABASE_RETRY_SECONDS} s`,
    );
  }
  switch (code) {
    case 'VALIDATION': {
      const v = error as ValidationError;
      if (v.type === 'response') break; // our own output failed its schema: a bug, not the caller's fault
      const problems = fieldProblems(v);
      const first = problems[0];
      set.status = 400;
      return errorBody(
        'validation_failed',
        first ? `invalid ${locationName(v.type)}: ${first.field}: ${first.problem}` : `invalid ${locationName(v.type)}`,
        problems,
      );
    }
    case 'PARSE':
      set.status = 400;
      return errorBody('invalid_body', 'the request body could not be parsed (malformed JSON or wrong content type)');
    case 'NOT_FOUND':
      set.status = 404;
      return errorBody('not_found', `no route for ${request.method} ${new URL(request.url).pathname}`);
    case 'INVALID_COOKIE_SIGNATURE':
      set.status = 400;
      return errorBody('invalid_cookie', 'a cookie failed its signature check');
  }
  logger.error('unhandled error', {
    method: request.method,
    path: new URL(request.url).pathname,
    ...errorFields(error),
  });
  set.status = 500;
  return errorBody('internal_error', 'internal error; the server log has the details');
}

export function errorHandling(logger: Logger) {
  return new Elysia({ name: 'error-handling' })
    .onRequest(({ request }) => {
      // Declared sizes only; the front door (front-door.ts) counts the bytes of every framing.
      const length = Number(request.headers.get('content-length') ?? '0');
      const cap = bodyCapFor(new URL(request.url).pathname);
      if (length > cap) return errorResponse(413, 'payload_too_large', `request body is larger than ${cap} bytes`);
      // The API reads JSON only. Refusing other types also stops cross-site form posts (text/plain,
      // form encodings) that a browser sends without a preflight.
      if (hasBody(request) && new URL(request.url).pathname.startsWith('/api/')) {
        const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json') {
          return errorResponse(
            415,
            'unsupported_media_type',
            'the API accepts request bodies as application/json only',
          );
        }
      }
    })
    .onParse({ as: 'global' }, async ({ request, contentType }) => {
      if (contentType !== 'application/json') return;
      // Our own JSON parsing, for the API and MCP alike (MCP handlers get the parsed body, so the
      // stream is read once, here, before anything awaits). A REST body must be a JSON object:
      // the framework would otherwise turn an array into an object.
      const text = await request.text();
      if (text.trim() === '') return undefined;
      // Before parsing: a deep body would hold the event loop in the parser and every walk after it.
      if (jsonTooDeep(text))
        throw new AppError(400, 'too_deep', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new AppError(400, 'invalid_body', 'the request body is not valid JSON');
      }
      const api = new URL(request.url).pathname.startsWith('/api/');
      if (api && (value === null || typeof value !== 'object' || Array.isArray(value))) {
        throw new AppError(400, 'invalid_body', 'the request body must be a JSON object');
      }
      return value;
    })
    .onTransform({ as: 'global' }, ({ body, query }) => {
      // PostgreSQL cannot store a NUL in text: refuse it by name rather than fail at the insert.
      const inBody = nulField(body);
      if (inBody)
        throw new AppError(
          400,
          'invalid_text',
          `body field ${inBody} contains a NUL character (\\u0000), which cannot be stored`,
          [{ field: inBody, problem: 'contains a NUL character' }],
        );
      const inQuery = nulField(query);
      if (inQuery)
        throw new AppError(
          400,
          'invalid_text',
          `query parameter ${inQuery} contains a NUL character, which cannot be stored`,
          [{ field: inQuery, problem: 'contains a NUL character' }],
        );
    })
    .onError({ as: 'global' }, (ctx) => {
      const body = jsonError(logger, ctx);
      if (!wantsPage(ctx.request)) return body;
      // A browser on a page: sign in first, or a readable page with the same code and message.
      const status = typeof ctx.set.status === 'number' ? ctx.set.status : 500;
      delete ctx.set.headers['content-type'];
      if (status === 401) return loginRedirect(ctx.request);
      const page = errorPage(status, body.error.code, body.error.message);
      const retry = ctx.set.headers['retry-after'];
      if (retry !== undefined) page.headers.set('retry-after', String(retry));
      return page;
    });
}
