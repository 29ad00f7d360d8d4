// Aggregates read at scrape time for /metrics.
import type { Sql } from 'postgres';

export async function runCountsByTaskAndStatus(sql: Sql): Promise<{ task: string; status: string; n: number }[]> {
  return sql<{ task: string; status: string; n: number }[]>`
    select j.task, j.status, count(*) as n from jobs j group by j.task, j.status`;
}

export async function queuedJobs(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*) as n from jobs where status = 'queued'`;
  return row?.n ?? 0;
}

export async function llmTotalsByModel(
  sql: Sql,
): Promise<{ model: string; status: string; calls: number; prompt: number; completion: number }[]> {
  return sql<{ model: string; status: string; calls: number; prompt: number; completion: number }[]>`
    select model, status, count(*) as calls, coalesce(sum(prompt_tokens), 0)::int8 as prompt,
           coalesce(sum(completion_tokens), 0)::int8 as completion
    from llm_calls group by model, status`;
}
