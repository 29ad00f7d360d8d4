// Token totals of a run and of each of its jobs, summed from llm_calls (never stored twice).
import type { Sql } from 'postgres';

export interface TokenTotals {
  prompt: number;
  completion: number;
  total: number;
  calls: number;
}

export async function runTokenTotals(
  sql: Sql,
  runId: number,
): Promise<{ run: TokenTotals; byJob: Map<number, TokenTotals> }> {
  const rows = await sql<{ job_id: number | null; prompt: number; completion: number; total: number; calls: number }[]>`
    select job_id, sum(prompt_tokens)::int8 as prompt, sum(completion_tokens)::int8 as completion,
           sum(total_tokens)::int8 as total, count(*)::int8 as calls
    from llm_calls where run_id = ${runId}
    group by job_id`;
  const run: TokenTotals = { prompt: 0, completion: 0, total: 0, calls: 0 };
  const byJob = new Map<number, TokenTotals>();
  for (const r of rows) {
    const t = { prompt: r.prompt, completion: r.completion, total: r.total, calls: r.calls };
    if (r.job_id !== null) byJob.set(r.job_id, t);
    run.prompt += t.prompt;
    run.completion += t.completion;
    run.total += t.total;
    run.calls += t.calls;
  }
  return { run, byJob };
}
