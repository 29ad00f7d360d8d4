// A small OpenAI-compatible model server for tests, on 127.0.0.1 with a free port. It answers
// deterministically, reports `usage` (or not), fails and stalls on demand, and RECORDS every request
// so tests can assert what reached the model (redaction, budgets) and how often (retries).
// Built on node:http rather than Bun.serve: only a raw socket can drop a connection mid-request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatMessage {
  role: string;
  content: string;
}

/** The JSON body of a chat completion request, as the fake received it. */
export interface FakeChatBody {
  model?: string;
  messages?: FakeChatMessage[];
  max_tokens?: number;
  temperature?: number;
  stream?: boolean;
  [key: string]: unknown;
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The raw body text. */
  text: string;
  /** The body parsed as JSON (null when it is not JSON). */
  json: FakeChatBody | null;
}

export interface FakeLlmBehaviour {
  /** The answer's content; default: `fake answer <n>` where n counts chat requests from 1. */
  answer: (body: FakeChatBody, n: number) => string;
  /** true (default): usage from fakeUsage(); false: no usage field; an object or a function: that usage. */
  usage: boolean | FakeUsage | ((body: FakeChatBody, answer: string) => FakeUsage);
  /** How many of the next chat requests fail (Infinity: all). Counts down as they fail. */
  failNext: number;
  /** How they fail: an HTTP status (default 500) answering errorBody, or 'drop' (the connection is cut,
   *  no answer). A 2xx status here gives a malformed answer: errorBody where a completion should be. */
  failWith: number | 'drop';
  /** The body of an error answer: tests put a canary here to prove it never surfaces. */
  errorBody: string;
  /** Wait before answering (also before failing). */
  delayMs: number;
  /** Model name in answers and /v1/models. */
  model: string;
}

export interface FakeLlm {
  /** Base URL with /v1, as an operator would configure it. */
  url: string;
  /** scheme://host:port, what llm_calls.endpoint holds. */
  origin: string;
  /** Every request received, in order (chat, models, anything else). */
  requests: RecordedRequest[];
  /** The bodies of the chat completion requests, in order. */
  chatBodies(): FakeChatBody[];
  setBehaviour(change: Partial<FakeLlmBehaviour>): void;
  /** Forgets recorded requests and restores the default behaviour (plus `initial`). */
  reset(): void;
  stop(): Promise<void>;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Default usage: words of every message content + 3 per message; words of the answer. Deterministic. */
export function fakeUsage(body: FakeChatBody, answer: string): Required<FakeUsage> {
  const prompt = (body.messages ?? []).reduce((sum, m) => sum + 3 + words(String(m.content ?? '')), 0);
  const completion = words(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

const defaults = (): FakeLlmBehaviour => ({
  answer: (_body, n) => `fake answer ${n}`,
  usage: true,
  failNext: 0,
  failWith: 500,
  errorBody: JSON.stringify({ error: { message: 'fake failure', type: 'server_error' } }),
  delayMs: 0,
  model: 'fake-model',
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): FakeChatBody | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as FakeChatBody) : null;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startFakeLlm(initial: Partial<FakeLlmBehaviour> = {}): Promise<FakeLlm> {
  let behaviour: FakeLlmBehaviour = { ...defaults(), ...initial };
  const requests: RecordedRequest[] = [];
  let chatCount = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname.replace(/\/+$/, '');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const json = parseJson(text);
    requests.push({ method: req.method ?? 'GET', path, headers, text, json });

    if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
      return sendJson(res, 200, { object: 'list', data: [{ id: behaviour.model, object: 'model', owned_by: 'fake' }] });
    }
    if (req.method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/chat/completions')) {
      return sendJson(res, 404, { error: { message: 'unknown path', type: 'not_found' } });
    }
    const n = ++chatCount;
    const b = behaviour;
    // decided on arrival, so concurrent requests fail in the order they came
    const failing = b.failNext > 0;
    if (failing) behaviour = { ...behaviour, failNext: behaviour.failNext - 1 };
    if (b.delayMs > 0) await Bun.sleep(b.delayMs);
    if (failing) {
      if (b.failWith === 'drop') {
        req.socket.destroy();
        return;
      }
      return sendJson(res, b.failWith, b.errorBody);
    }
    if (!json || !Array.isArray(json.messages))
      return sendJson(res, 400, { error: { message: 'messages missing', type: 'invalid_request_error' } });
    const answer = b.answer(json, n);
    const usage =
      b.usage === true
        ? fakeUsage(json, answer)
        : b.usage === false
          ? undefined
          : typeof b.usage === 'function'
            ? b.usage(json, answer)
            : b.usage;
    return sendJson(res, 200, {
      id: `chatcmpl-fake-${n}`,
      object: 'chat.completion',
      created: 1_767_225_600,
      model: b.model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
      ...(usage ? { usage } : {}),
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'fake server bug' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    requests,
    chatBodies: () => requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.json ?? {}),
    setBehaviour(change) {
      behaviour = { ...behaviour, ...change };
    },
    reset() {
      requests.length = 0;
      chatCount = 0;
      behaviour = { ...defaults(), ...initial };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
