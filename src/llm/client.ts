// The model client: OpenAI-compatible chat completions with a timeout, bounded retries and token-only
// accounting. The answer text goes back to the caller in memory and nowhere else: llm_calls gets one
// row of numbers per attempt, the log gets metadata (digests in DEBUG_REDACTED_MODE), and failures are
// short kinds, never the server's words.
import type { Sql } from 'postgres';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { insertLlmCall, type NewLlmCall } from '../store/llm-calls.ts';
import { isRetryable, postChatCompletion, type LlmErrorKind } from './attempt.ts';
import { logAttempt } from './call-log.ts';
import { apiUrl, endpointOrigin } from './endpoint.ts';
import { estimateUsage, type ChatMessage, type TokenUsage } from './usage.ts';

export type { ChatMessage, TokenUsage } from './usage.ts';
export type { LlmErrorKind } from './attempt.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubled before each later one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000 };

export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** The run and job the call belongs to (accounting); null or absent for calls outside a run. */
  runId?: number | null;
  jobId?: number | null;
  maxTokens?: number;
  temperature?: number;
  /** Cancels the call, including a retry wait; the attempt in flight is recorded as error/aborted. */
  signal?: AbortSignal;
}

export type ChatResult =
  | {
      ok: true;
      /** The answer: keep it in memory, render it into a report; never store or log it. */
      text: string;
      usage: TokenUsage;
      finishReason: string | null;
      attempts: number;
      durationMs: number;
    }
  | {
      ok: false;
      error: LlmErrorKind;
      /** Safe to log and show: says what happened in codes and numbers, never content. */
      message: string;
      attempts: number;
      durationMs: number;
    };

export interface LlmClient {
  /** False when LLM_BASE_URL is unset: chat() answers not_configured and callers report without explanations. */
  readonly configured: boolean;
  /** scheme://host:port of the model server, or null. */
  readonly endpoint: string | null;
  readonly model: string;
  chat(request: ChatRequest): Promise<ChatResult>;
}

export interface LlmClientOptions {
  baseUrl: string | undefined;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  debugRedactedMode?: boolean;
  retry?: Partial<RetryPolicy>;
  sql: Sql;
  logger: Logger;
  clock?: Clock;
}

function failureMessage(kind: LlmErrorKind, attempts: number, timeoutMs: number): string {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  if (kind === 'not_configured') return 'no model configured (LLM_BASE_URL is not set)';
  if (kind === 'aborted') return `model call cancelled (${tries})`;
  if (kind === 'timeout') return `model call timed out after ${timeoutMs} ms (${tries})`;
  if (kind === 'bad_response') return `model server sent an answer that is not a chat completion (${tries})`;
  if (kind.startsWith('http_')) return `model server answered HTTP ${kind.slice(5)} (${tries})`;
  return `model server unreachable: ${kind} (${tries})`;
}

/** Waits ms, or less when the signal fires. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createLlmClient(options: LlmClientOptions): LlmClient {
  const clock = options.clock ?? systemClock;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const baseUrl = options.baseUrl;
  const endpoint = baseUrl ? endpointOrigin(baseUrl) : null;
  const elapsed = (from: Date) => Math.max(0, clock.now().getTime() - from.getTime());

  async function chat(request: ChatRequest): Promise<ChatResult> {
    const callStarted = clock.now();
    const fail = (error: LlmErrorKind, attempts: number): ChatResult => ({
      ok: false,
      error,
      message: failureMessage(error, attempts, options.timeoutMs),
      attempts,
      durationMs: elapsed(callStarted),
    });
    if (!baseUrl || !endpoint) return fail('not_configured', 0);

    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) return fail('aborted', attempt - 1);
      const started = clock.now();
      const outcome = await postChatCompletion({
        url: apiUrl(baseUrl, 'chat/completions'),
        apiKey: options.apiKey,
        model: options.model,
        messages: request.messages,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        timeoutMs: options.timeoutMs,
        signal: request.signal,
      });
      const usage = outcome.ok ? (outcome.usage ?? estimateUsage(request.messages, outcome.text)) : null;
      const row: NewLlmCall = {
        runId: request.runId ?? null,
        jobId: request.jobId ?? null,
        endpoint,
        model: options.model,
        // a failed attempt counts nothing: no invented numbers
        promptTokens: usage?.promptTokens ?? 0,
        completionTokens: usage?.completionTokens ?? 0,
        totalTokens: usage?.totalTokens ?? 0,
        estimated: usage?.estimated ?? false,
        durationMs: elapsed(started),
        status: outcome.ok ? 'ok' : outcome.kind === 'timeout' ? 'timeout' : 'error',
        errorKind: outcome.ok ? null : outcome.kind,
        attempt,
        createdAt: started,
      };
      await insertLlmCall(options.sql, row);
      logAttempt(
        options.logger,
        options.debugRedactedMode ?? false,
        row,
        request.messages,
        outcome.ok ? outcome.text : null,
      );

      if (outcome.ok) {
        return {
          ok: true,
          text: outcome.text,
          usage: usage!,
          finishReason: outcome.finishReason,
          attempts: attempt,
          durationMs: elapsed(callStarted),
        };
      }
      if (!isRetryable(outcome.kind) || attempt >= retry.maxAttempts) return fail(outcome.kind, attempt);
      await pause(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)), request.signal);
    }
  }

  return { configured: endpoint !== null, endpoint, model: options.model, chat };
}

/** The client as configured by the environment (LLM_* and DEBUG_REDACTED_MODE). */
export function llmClientFromConfig(
  config: Config,
  deps: { sql: Sql; logger: Logger; clock?: Clock; retry?: Partial<RetryPolicy> },
): LlmClient {
  return createLlmClient({
    baseUrl: config.llm.baseUrl,
    model: config.llm.model,
    apiKey: config.llm.apiKey,
    timeoutMs: config.llm.timeoutMs,
    debugRedactedMode: config.debugRedactedMode,
    ...deps,
  });
}
