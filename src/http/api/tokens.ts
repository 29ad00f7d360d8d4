// REST over the token accounting use cases: GET /api/llm-calls and GET /api/token-stats.
import { Elysia } from 'elysia';
import type { Database } from '../../db/database.ts';
import { ListLlmCallsInput, listLlmCalls, TokenStatsInput, tokenStats } from '../../service/tokens.ts';
import { fromQueryString } from './params.ts';

export function tokenRoutes(deps: { db: Database }) {
  return new Elysia()
    .get('/llm-calls', ({ query }) => listLlmCalls(deps.db, query), {
      query: fromQueryString(ListLlmCallsInput),
      detail: { summary: 'Model calls (one row per attempt): tokens, duration, status; never content', tags: ['tokens'] },
    })
    .get('/token-stats', ({ query }) => tokenStats(deps.db, query), {
      query: TokenStatsInput,
      detail: { summary: 'Token sums and call counts over [since, until), grouped by model, task, directive or day', tags: ['tokens'] },
    });
}
