// Log lines about model calls. Metadata only; in DEBUG_REDACTED_MODE each content is shown as its
// length and sha256 so an operator can tell calls apart and match repeats without seeing any text.
import { createHash } from 'node:crypto';
import type { LogFields, Logger } from '../log.ts';
import type { LlmCallRow, NewLlmCall } from '../store/llm-calls.ts';
import type { ChatMessage } from './usage.ts';

export interface ContentDigest {
  chars: number;
  sha256: string;
}

export function digest(text: string): ContentDigest {
  return { chars: text.length, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The row's numbers, as log fields (the same names the API uses). */
function metadata(call: NewLlmCall): LogFields {
  const fields: Partial<Record<keyof LlmCallRow, unknown>> = {
    run_id: call.runId,
    job_id: call.jobId,
    endpoint: call.endpoint,
    model: call.model,
    attempt: call.attempt,
    status: call.status,
    error_kind: call.errorKind,
    duration_ms: call.durationMs,
    prompt_tokens: call.promptTokens,
    completion_tokens: call.completionTokens,
    total_tokens: call.totalTokens,
    estimated: call.estimated,
  };
  return fields;
}

/**
 * One line per attempt. Normally: failures at warn, successes at debug. In DEBUG_REDACTED_MODE: every
 * attempt at info, with the prompt messages and the answer as digests.
 */
export function logAttempt(
  logger: Logger,
  debugRedacted: boolean,
  call: NewLlmCall,
  messages: readonly ChatMessage[],
  answer: string | null,
): void {
  const fields = metadata(call);
  if (debugRedacted) {
    logger.info('llm call', {
      ...fields,
      prompt: messages.map((m) => ({ role: m.role, ...digest(m.content) })),
      response: answer === null ? null : digest(answer),
    });
    return;
  }
  if (call.status === 'ok') logger.debug('llm call', fields);
  else logger.warn('llm call failed', fields);
}
