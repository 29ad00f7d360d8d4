// The model as a task sees it: bound to its run, job and abort signal, and with every message redacted
// before it leaves the process, so no task can forget to. Redaction counts go into the job's result.
import type { ChatMessage, ChatResult, LlmClient } from '../llm/client.ts';
import { addCounts, redact, type RedactionKind } from '../redact/index.ts';

export interface TaskLlm {
  readonly configured: boolean;
  readonly model: string;
  /** The model's context window (LLM_CONTEXT_TOKENS): prompts must fit it. */
  readonly contextTokens: number;
  chat(messages: readonly ChatMessage[], options?: { maxTokens?: number; temperature?: number }): Promise<ChatResult>;
  /** What redaction masked so far, per kind. */
  redactions(): Partial<Record<RedactionKind, number>>;
}

export function taskLlm(
  client: LlmClient,
  bound: { runId: number; jobId: number; signal: AbortSignal; contextTokens: number },
): TaskLlm {
  const counts: Partial<Record<RedactionKind, number>> = {};
  return {
    configured: client.configured,
    model: client.model,
    contextTokens: bound.contextTokens,
    chat(messages, options = {}) {
      const safe = messages.map((m) => {
        const r = redact(m.content);
        addCounts(counts, r.counts);
        return { role: m.role, content: r.text };
      });
      return client.chat({ messages: safe, runId: bound.runId, jobId: bound.jobId, signal: bound.signal, ...options });
    },
    redactions: () => ({ ...counts }),
  };
}
