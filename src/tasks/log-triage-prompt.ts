// The one model call of a triage job: the directive snapshot as instructions, the digest of ranked
// findings as the question, sized so that prompt + answer reserve fit LLM_CONTEXT_TOKENS. Everything is
// redacted here already (the task's model access redacts again; measuring after redaction keeps the
// size exact even where a marker is longer than what it replaced).
import type { ChatMessage } from '../llm/client.ts';
import { redact } from '../redact/index.ts';
import { renderDigest, type Digest, type Finding } from '../triage/index.ts';
import { estimateTokens } from '../triage/token-estimate.ts';

/** Framing tokens a chat template adds per message (role markers and separators). */
const PER_MESSAGE_OVERHEAD = 8;
/** Smallest digest worth asking about. */
const MIN_DIGEST_TOKENS = 64;

export interface PromptPlan {
  messages: ChatMessage[];
  digest: Digest;
  /** Tokens left for the answer (max_tokens of the call). */
  answerReserve: number;
  /** Tokens the digest could use. */
  budgetTokens: number;
  /** Estimated tokens of the whole prompt. */
  promptTokens: number;
}

export function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + estimateTokens(m.content) + PER_MESSAGE_OVERHEAD, 0);
}

export function answerReserveFor(contextTokens: number): number {
  return Math.min(1024, Math.floor(contextTokens / 4));
}

function instructions(directive: string): string {
  return [
    "You are Cyber-Brain, the operations assistant of a home-lab Docker host. The operator's standing directive:",
    directive.trim(),
    '',
    'You get a digest of the container logs since the last run: ranked findings, each with its template (<*> marks',
    'variable parts), count, first and last time seen, why it was ranked, and redacted examples. "new pattern" means',
    'the container never logged it before. Container events (restarts, exits) are named where errors followed them.',
    'Say briefly what went wrong, what is new, the likely causes, and what to check first. Do not invent facts.',
  ].join('\n');
}

/** A plan, or null when even the instructions leave no room for a digest. */
export function planPrompt(
  directive: string,
  findings: Finding[],
  totals: { lines: number; templates: number; containers: string },
  contextTokens: number,
): PromptPlan | null {
  const system = redact(instructions(directive)).text;
  const answerReserve = answerReserveFor(contextTokens);
  const header = `Containers: ${totals.containers}\n`;
  let budgetTokens =
    contextTokens - answerReserve - estimateTokens(system) - estimateTokens(header) - 2 * PER_MESSAGE_OVERHEAD - 1;
  for (let attempt = 0; attempt < 6 && budgetTokens >= MIN_DIGEST_TOKENS; attempt++) {
    const digest = renderDigest(findings, { budgetTokens, lines: totals.lines, templates: totals.templates });
    const user = redact(header + digest.text).text;
    const messages: ChatMessage[] = [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ];
    const tokens = promptTokens(messages);
    if (tokens + answerReserve <= contextTokens)
      return { messages, digest, answerReserve, budgetTokens, promptTokens: tokens };
    // redaction made it longer than measured: shrink by the excess and pack again
    budgetTokens -= 2 * (tokens + answerReserve - contextTokens) + 8;
  }
  return null;
}
