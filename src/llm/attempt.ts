// One HTTP exchange with an OpenAI-compatible server: POST /chat/completions, read the answer.
// Failures come back as short kinds (http_503, connection_refused, ...). Underlying error messages are
// dropped on purpose: a JSON parse error, for one, quotes the text it choked on.
import { readUsage, type ChatMessage, type TokenUsage } from './usage.ts';

export type LlmErrorKind =
  | 'not_configured'
  | 'aborted'
  | 'timeout'
  | 'bad_response'
  | 'connection_refused'
  | 'connection_reset'
  | 'connection_failed'
  | `http_${number}`;

export type AttemptOutcome =
  | { ok: true; text: string; usage: TokenUsage | null; finishReason: string | null }
  | { ok: false; kind: LlmErrorKind };

export interface AttemptRequest {
  url: string;
  apiKey: string | undefined;
  model: string;
  messages: readonly ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Retried: the server may be starting, restarting or briefly overloaded. A 4xx, a timeout or a malformed answer would fail the same way again. */
export function isRetryable(kind: LlmErrorKind): boolean {
  return kind.startsWith('connection_') || /^http_5\d\d$/.test(kind);
}

function connectionKind(err: unknown): LlmErrorKind {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ConnectionRefused' || code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'ConnectionClosed' || code === 'EPIPE') return 'connection_reset';
  return 'connection_failed';
}

function parseAnswer(raw: string): AttemptOutcome {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, kind: 'bad_response' };
  }
  const choice = (body as { choices?: unknown })?.choices;
  const first = Array.isArray(choice)
    ? (choice[0] as { message?: { content?: unknown }; finish_reason?: unknown } | undefined)
    : undefined;
  const text = first?.message?.content;
  if (typeof text !== 'string') return { ok: false, kind: 'bad_response' };
  const finishReason = typeof first?.finish_reason === 'string' ? first.finish_reason : null;
  return { ok: true, text, usage: readUsage((body as { usage?: unknown }).usage), finishReason };
}

export async function postChatCompletion(req: AttemptRequest): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const onAbort = () => controller.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const payload: Record<string, unknown> = { model: req.model, messages: req.messages, stream: false };
  if (req.maxTokens !== undefined) payload.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) payload.temperature = req.temperature;
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {}),
      },
      body: JSON.stringify(payload),
      signal: controller.signal,
    });
    if (!res.ok) {
      // the body of an error answer may quote the prompt: it is not read
      await res.body?.cancel().catch(() => {});
      return { ok: false, kind: `http_${res.status}` };
    }
    return parseAnswer(await res.text());
  } catch (err) {
    if (req.signal?.aborted) return { ok: false, kind: 'aborted' };
    if (timedOut) return { ok: false, kind: 'timeout' };
    return { ok: false, kind: connectionKind(err) };
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}
