// The analysis step of a triage: the digest packed to fit the context, ONE model call on it, and the
// report's analysis/digest/tokens sections. Shared by the task (the job's model access) and the
// command line (a direct call); without a model, or when the call fails, the report says why.
import type { ChatMessage } from '../llm/client.ts';
import type { TemplateSummary } from '../triage/index.ts';
import { asDigestFindings, type ReportFinding } from './log-triage-findings.ts';
import { planPrompt } from './log-triage-prompt.ts';
import type { AnalysisReport, DigestReport } from './log-triage-report.ts';

export type ChatOutcome =
  | { ok: true; text: string; usage: { prompt: number; completion: number; total: number } }
  | { ok: false; reason: string };

export interface AnalysisInput {
  directive: string;
  contextTokens: number;
  /** The model's name, or null when none is configured. */
  model: string | null;
  chat: (messages: ChatMessage[], maxTokens: number) => Promise<ChatOutcome>;
  findings: ReportFinding[];
  /** Template summaries by `${container}\0${fingerprint}` (times and per-minute counts for the digest). */
  templates: Map<string, TemplateSummary>;
  totals: { lines: number; templates: number; containers: string[] };
}

export interface AnalysisOutput {
  analysis: AnalysisReport;
  digest: DigestReport | null;
  tokens: { prompt: number; completion: number; total: number };
}

export async function analyse(input: AnalysisInput): Promise<AnalysisOutput> {
  const tokens = { prompt: 0, completion: 0, total: 0 };
  const { findings, contextTokens, model } = input;
  const plan = planPrompt(
    input.directive,
    asDigestFindings(findings, input.templates),
    { lines: input.totals.lines, templates: input.totals.templates, containers: input.totals.containers.join(', ') },
    contextTokens,
  );
  const digest: DigestReport | null = plan && {
    context_tokens: contextTokens,
    answer_reserve: plan.answerReserve,
    budget_tokens: plan.budgetTokens,
    prompt_tokens: plan.promptTokens,
    tokens: plan.digest.tokens,
    included: plan.digest.included,
    omitted: plan.digest.omitted,
    omitted_findings: findings
      .slice(plan.digest.included)
      .map((f) => ({ rank: f.rank, container: f.container, fingerprint: f.fingerprint })),
  };
  const without = (status: AnalysisReport['status'], reason: string): AnalysisOutput => ({
    analysis: { status, model, reason, text: null },
    digest,
    tokens,
  });
  if (model === null) return without('not_configured', 'no model is configured (LLM_BASE_URL is unset)');
  if (findings.length === 0) return without('skipped', 'nothing to explain: no findings in the windows');
  if (!plan) return without('skipped', `the directive leaves no room for a digest in ${contextTokens} context tokens`);
  const answer = await input.chat(plan.messages, plan.answerReserve);
  if (!answer.ok) return without('failed', `the model call failed (${answer.reason})`);
  return { analysis: { status: 'ok', model, reason: null, text: answer.text }, digest, tokens: answer.usage };
}
