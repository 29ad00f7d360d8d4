// Token estimate for prompt budgets: characters / 4, rounded up. Simple and tokenizer-free; for
// English log text it over-counts slightly, which keeps a prompt under the model's real limit.

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
