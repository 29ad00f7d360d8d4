// The OpenAPI document, generated from the routes' own TypeBox schemas, with what the generator cannot
// know added per operation: the scope it needs, its error responses, bearer security. Served at
// /api/openapi.json; /api/docs renders it as a page that needs nothing from the internet.
import { toOpenAPISchema } from '@elysiajs/openapi';
import type { AnyElysia } from 'elysia';
import { Elysia } from 'elysia';
import { requiredScope } from '../auth/scope.ts';
import type { Config } from '../config.ts';
import { htmlResponse, Page } from './web/page.tsx';

type Json = Record<string, unknown>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'Invalid input (the failing field is named)',
  '401': 'Authentication required',
  '403': 'Scope too small, foreign origin, or container off the allowlist',
  '404': 'Not found',
  '409': 'Conflicts with the current state',
  '413': 'Body larger than 1 MiB',
  '415': 'Body is not application/json',
};

const HIDDEN = new Set(['/api/openapi.json', '/api/docs']);

export function buildOpenApiDocument(app: AnyElysia, config: Config): Json {
  const generated = toOpenAPISchema(app, { paths: [...HIDDEN] }) as unknown as {
    paths: Record<string, Record<string, Json>>;
    components?: Json;
  };
  const paths: Record<string, Record<string, Json>> = {};
  for (const [path, ops] of Object.entries(generated.paths)) {
    // The generator lists "/x" and "/x/" for routes declared with a trailing slash: keep one.
    const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const route = clean.replace(/\{(\w+)\}/g, ':$1');
    for (const [method, op] of Object.entries(ops)) {
      const scope = requiredScope(method, route, config.auth.metricsPublic);
      const responses: Json = { ...((op.responses as Json | undefined) ?? {}) };
      if (!Object.keys(responses).some((s) => s.startsWith('2'))) responses['200'] = { description: 'Success' };
      for (const [status, description] of Object.entries(ERRORS)) {
        if (scope === 'public' && (status === '401' || status === '403')) continue;
        responses[status] ??= {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      (paths[clean] ??= {})[method] = {
        ...op,
        responses,
        'x-required-scope': scope,
        description: `${(op.description as string | undefined) ?? ''}${op.description ? '\n\n' : ''}Required scope: ${scope}.`,
        ...(scope === 'public' ? { security: [] } : {}),
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cyber-Brain API',
      version: '0.1.0',
      description:
        'Operations brain for a home-lab Docker host. Errors always have the shape {"error": {"code", "message", "details"}}.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      ...(generated.components ?? {}),
      schemas: { ...(((generated.components ?? {}) as Json).schemas as Json | undefined), Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'CYBER_BRAIN_TOKEN or a token from /api/tokens' },
      },
    },
  };
}

function DocsPage(props: { doc: Json }): JSX.Element {
  const paths = props.doc.paths as Record<string, Record<string, Json>>;
  return (
    <Page title="API">
      <h1>Cyber-Brain API</h1>
      <p>
        Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Authenticate with{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      {Object.entries(paths).map(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <section>
            <h3>
              <code safe>{`${method.toUpperCase()} ${path}`}</code>
            </h3>
            <p safe>{String(op.summary ?? '')}</p>
            <p class="note" safe>{`Scope: ${String(op['x-required-scope'])}`}</p>
          </section>
        )),
      )}
    </Page>
  );
}

export function openApiRoutes(getApp: () => AnyElysia, config: Config) {
  let cached: Json | undefined;
  const doc = () => (cached ??= buildOpenApiDocument(getApp(), config));
  return new Elysia({ name: 'openapi' })
    .get('/api/openapi.json', () => doc(), { detail: { hide: true } })
    .get('/api/docs', () => htmlResponse(<DocsPage doc={doc()} />), { detail: { hide: true } });
}
