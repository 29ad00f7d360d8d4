// REST adapter for directives: /api/directives.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as directives from '../../service/directives.ts';
import { IdParams } from '../params.ts';
import * as v from '../../service/view-schemas.ts';

export function directiveRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/directives' })
    .get('/', ({ query }) => directives.listDirectives(deps, query.include_inactive === 'true'), {
      query: t.Object({ include_inactive: t.Optional(t.Union([t.Literal('true'), t.Literal('false')])) }),
      response: { 200: t.Array(v.DirectiveView) },
      detail: { summary: 'List directives', tags: ['directives'] },
    })
    .post(
      '/',
      async ({ body, set }) => {
        set.status = 201;
        return directives.createDirective(deps, body);
      },
      {
        body: directives.CreateDirectiveInput,
        parse: 'application/json',
        response: { 201: v.DirectiveView },
        detail: { summary: 'Create a directive (version 1)', tags: ['directives'] },
      },
    )
    .get('/:id', ({ params }) => directives.getDirective(deps, params.id), {
      params: IdParams,
      response: { 200: v.DirectiveView },
      detail: { summary: 'Read a directive', tags: ['directives'] },
    })
    .patch('/:id', ({ params, body }) => directives.updateDirective(deps, params.id, body), {
      params: IdParams,
      body: directives.UpdateDirectiveInput,
      response: { 200: v.DirectiveView },
      parse: 'application/json',

      detail: { summary: 'Edit a directive: a content change makes a new version', tags: ['directives'] },
    })
    .delete(
      '/:id',
      async ({ params, set }) => {
        await directives.deleteDirective(deps, params.id);
        set.status = 204;
      },
      {
        params: IdParams,
        detail: {
          summary: 'Delete a custom directive (built-ins cannot be deleted)',
          tags: ['directives'],
          responses: { 204: { description: 'Deleted; no body' } },
        },
      },
    )
    .get('/:id/versions', ({ params }) => directives.listDirectiveVersions(deps, params.id), {
      params: IdParams,
      response: { 200: t.Array(v.DirectiveVersionView) },
      detail: { summary: 'Version history of a directive, newest first', tags: ['directives'] },
    });
}
