// Token accounting use cases: the model calls of a run, and token sums over a time range grouped by
// model, task, directive or day. Metadata only: llm_calls has no content to show. Shared by REST (and
// later MCP and the web UI); every input is checked here, so a bad value is a 400 whichever door it used.
import { Type, type Static } from '@sinclair/typebox';
import type { Database } from '../db/database.ts';
import { badRequest } from '../errors.ts';
import * as store from '../store/llm-calls.ts';

export const GROUP_BY = ['model', 'task', 'directive', 'day'] as const;
export type TokenStatsGroupBy = (typeof GROUP_BY)[number];

export const MAX_LLM_CALLS_LIMIT = 1000;
const DEFAULT_LLM_CALLS_LIMIT = 200;

export const ListLlmCallsInput = Type.Object(
  {
    run: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'only the calls of this run (oldest first); absent = the latest calls (newest first)',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_LLM_CALLS_LIMIT,
        description: `at most this many calls (default ${DEFAULT_LLM_CALLS_LIMIT})`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListLlmCallsInput = Static<typeof ListLlmCallsInput>;

const instant = (what: string) =>
  Type.String({
    minLength: 1,
    maxLength: 40,
    description: `${what}: an ISO 8601 date (2026-01-31, UTC midnight) or date-time (2026-01-31T12:00:00Z; no offset = UTC)`,
  });

export const TokenStatsInput = Type.Object(
  {
    since: Type.Optional(instant('calls at or after this moment')),
    until: Type.Optional(instant('calls before this moment')),
    group_by: Type.Optional(
      Type.Union(
        GROUP_BY.map((g) => Type.Literal(g)),
        { description: 'default model' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TokenStatsInput = Static<typeof TokenStatsInput>;

/** A call as the API shows it: the stored row, dates as ISO strings. */
export type LlmCallView = Omit<store.LlmCallRow, 'created_at'> & { created_at: string };

export type TokenSums = Omit<store.TokenStatsRow, 'key'>;

export interface TokenStatsView {
  group_by: TokenStatsGroupBy;
  since: string | null;
  until: string | null;
  /** key: the model, task, directive name ('(custom)' for custom text) or UTC day; null = calls outside a run/job. */
  groups: store.TokenStatsRow[];
  totals: TokenSums;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Parses since/until strictly: real calendar dates, years 1970-9999 (what both databases store). */
export function parseInstant(field: string, raw: string): Date {
  const text = raw
    .trim()
    .replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T')
    // an unencoded '+' in a query string arrives as a space: T12:00:00 02:00 means +02:00
    .replace(/(T[\d:.]+) (\d{2}:?\d{2})$/i, '$1+$2');
  const bad = () =>
    badRequest(`${field} must be an ISO 8601 date or date-time such as 2026-01-31 or 2026-01-31T12:00:00Z`, { field });
  const m = ISO.exec(text);
  if (!m) throw bad();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const realDay = month >= 1 && month <= 12 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
  const realTime = m[4] === undefined || (Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6] ?? 0) <= 59);
  if (!realDay || !realTime || year < 1970 || year > 9999) throw bad();
  // a date-time without an offset is UTC (JavaScript would read it as server-local time)
  const date = new Date(m[4] !== undefined && m[7] === undefined ? `${text}Z` : text);
  if (Number.isNaN(date.getTime())) throw bad();
  return date;
}

// Field by field, not a spread of the row: a column added later must not change the API's answer.
function toView(r: store.LlmCallRow): LlmCallView {
  return {
    id: r.id,
    run_id: r.run_id,
    job_id: r.job_id,
    endpoint: r.endpoint,
    model: r.model,
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    total_tokens: r.total_tokens,
    estimated: r.estimated,
    duration_ms: r.duration_ms,
    status: r.status,
    error_kind: r.error_kind,
    attempt: r.attempt,
    created_at: r.created_at.toISOString(),
  };
}

export async function listLlmCalls(db: Database, input: ListLlmCallsInput): Promise<{ calls: LlmCallView[] }> {
  const limit = input.limit ?? DEFAULT_LLM_CALLS_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LLM_CALLS_LIMIT)
    throw badRequest(`limit must be an integer from 1 to ${MAX_LLM_CALLS_LIMIT}`, { field: 'limit' });
  if (input.run !== undefined && (!Number.isSafeInteger(input.run) || input.run < 1))
    throw badRequest('run must be a positive integer id', { field: 'run' });
  const rows =
    input.run === undefined
      ? await store.listRecentLlmCalls(db.sql, limit)
      : await store.listLlmCallsOfRun(db.sql, input.run, limit);
  return { calls: rows.map(toView) };
}

const STATS_BY: Record<
  TokenStatsGroupBy,
  (sql: Database['sql'], range: store.TimeRange) => Promise<store.TokenStatsRow[]>
> = {
  model: store.tokenStatsByModel,
  task: store.tokenStatsByTask,
  directive: store.tokenStatsByDirective,
  day: store.tokenStatsByDay,
};

export async function tokenStats(db: Database, input: TokenStatsInput): Promise<TokenStatsView> {
  const groupBy = input.group_by ?? 'model';
  if (!GROUP_BY.includes(groupBy))
    throw badRequest(`group_by must be one of: ${GROUP_BY.join(', ')}`, { field: 'group_by' });
  const since = input.since === undefined ? null : parseInstant('since', input.since);
  const until = input.until === undefined ? null : parseInstant('until', input.until);
  if (since && until && since.getTime() >= until.getTime())
    throw badRequest('since must be earlier than until', { field: 'since' });
  const groups = await STATS_BY[groupBy](db.sql, { since, until });
  const totals: TokenSums = {
    calls: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    estimated_calls: 0,
    error_calls: 0,
  };
  for (const g of groups) for (const k of Object.keys(totals) as (keyof TokenSums)[]) totals[k] += g[k];
  return {
    group_by: groupBy,
    since: since?.toISOString() ?? null,
    until: until?.toISOString() ?? null,
    groups,
    totals,
  };
}
