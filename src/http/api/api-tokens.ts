// REST adapter for API tokens (admin scope): create (the text is shown once), list, revoke.
import { Elysia, t } from 'elysia';
import type { AppDeps } from '../../app-deps.ts';
import * as tokens from '../../auth/tokens.ts';
import { IdParams } from '../params.ts';
import * as v from '../../service/view-schemas.ts';

export function apiTokenRoutes(deps: AppDeps) {
  const ctx = { db: deps.db, clock: deps.clock };
  return new Elysia({ prefix: '/tokens' })
    .get('/', () => tokens.listTokens(ctx), {
      response: { 200: t.Array(v.ApiTokenView) },
      detail: { summary: 'List API tokens (never their text)', tags: ['auth'] },
    })
    .post(
      '/',
      async ({ body, set }) => {
        set.status = 201;
        return tokens.createToken(ctx, body);
      },
      {
        body: tokens.CreateTokenInput,
        parse: 'application/json',
        response: { 201: v.CreatedApiToken },
        detail: { summary: 'Create a token; its text is in this answer only', tags: ['auth'] },
      },
    )
    .delete('/:id', ({ params }) => tokens.revokeToken(ctx, params.id), {
      params: IdParams,
      response: { 200: v.ApiTokenView },
      detail: { summary: 'Revoke a token (its browser sessions end too)', tags: ['auth'] },
    });
}
