// Token usage of one model answer: the server's own `usage` when it sent one, else an estimate that
// is flagged as such. Nothing here keeps or returns content.

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the server sent no usable `usage` and the numbers below come from estimateUsage. */
  estimated: boolean;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

/**
 * The exact numbers from an OpenAI-style `usage` object, or null when it is absent or unusable.
 * A missing total is the sum of the two parts (still exact); a missing part makes the whole unusable.
 */
export function readUsage(usage: unknown): TokenUsage | null {
  if (typeof usage !== 'object' || usage === null) return null;
  const u = usage as Record<string, unknown>;
  const prompt = count(u.prompt_tokens);
  const completion = count(u.completion_tokens);
  if (prompt === undefined || completion === undefined) return null;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: count(u.total_tokens) ?? prompt + completion,
    estimated: false,
  };
}

/** Characters per token of the estimate: OpenAI's rule of thumb for English text. */
export const CHARS_PER_TOKEN = 4;
/** Tokens a chat template spends per message on role markers and separators (OpenAI's cookbook: ~4). */
export const TOKENS_PER_MESSAGE = 4;

/** The estimate for one text: ceil(characters / CHARS_PER_TOKEN). Also usable to size a prompt. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Estimate for servers that send no `usage`: ceil(characters / 4) per content, plus 4 tokens of chat
 * framing per prompt message. Rough (tokenisers differ by model and language) but never zero for a
 * non-empty call, and always marked `estimated` so nobody mistakes it for a count.
 */
export function estimateUsage(messages: readonly ChatMessage[], answer: string): TokenUsage {
  const promptTokens = messages.reduce((sum, m) => sum + TOKENS_PER_MESSAGE + estimateTokens(m.content), 0);
  const completionTokens = estimateTokens(answer);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}
