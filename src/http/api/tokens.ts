// REST over the token accounting use cases: GET /api/llm-calls and GET /api/token-stats.
import { Elysia, t } from 'elysia';
import type { Database } from '../../db/database.ts';
import { ListLlmCallsInput, listLlmCalls, TokenStatsInput, tokenStats } from '../../service/tokens.ts';
import { fromQueryString } from '../params.ts';
import * as v from '../../service/view-schemas.ts';

export function tokenRoutes(deps: { db: Database }) {
  return new Elysia()
    .get('/llm-calls', ({ query }) => listLlmCalls(deps.db, query), {
      query: fromQueryString(ListLlmCallsInput),
      response: { 200: t.Object({ calls: t.Array(v.LlmCallView) }) },
      detail: {
        summary: 'Model calls (one row per attempt): tokens, duration, status; never content',
        tags: ['tokens'],
      },
    })
    .get('/token-stats', ({ query }) => tokenStats(deps.db, query), {
      query: TokenStatsInput,
      response: { 200: v.TokenStatsView },
      detail: {
        summary: 'Token sums and call counts over [since, until), grouped by model, task, directive or day',
        tags: ['tokens'],
      },
    });
}
