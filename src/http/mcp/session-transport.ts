// The transport a Streamable HTTP session's MCP server is connected to. Streamable HTTP lets a server
// answer a POSTed request with one JSON object or with an event stream; the SDK's transport picks one
// mode for all requests: always SSE, or always JSON (which drops the notifications a request sends,
// such as launch_run's progress). It also costs a good part of a call's time before and after the
// handler runs (zod validation of every message in and out, a stream with its keep-alive timer per
// request), and the client then needs an event-stream parser for one message.
//
// So most requests take a direct path here: a single well-formed request on the session (not
// initialize, not a call of a tool that streams) goes straight to the server, and its response comes
// back as application/json. Everything else (initialize, the GET event stream, DELETE, notifications,
// responses, batches, launch_run, anything malformed) is the SDK transport's, unchanged. A direct
// request never loses a message: notifications it sends after all are collected and the answer then
// goes out as an event stream holding them and the response, in order; an answer still pending after
// COLLECT_MS is streamed from then on, with keep-alives, as the SDK would.
import {
  WebStandardStreamableHTTPServerTransport,
  type WebStandardStreamableHTTPServerTransportOptions,
} from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { DATABASE_RETRY_SECONDS, DATABASE_UNAVAILABLE_RPC_CODE } from '../database-errors.ts';

/** How long a direct answer is held for one JSON reply before it is streamed (keep-alives need a stream). */
export const COLLECT_MS = 5_000;
const KEEP_ALIVE_MS = 15_000;

const encoder = new TextEncoder();
const sseEvent = (json: string) => `event: message\ndata: ${json}\n\n`;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * The body as a single JSON-RPC request whose answer is its response alone, or undefined: anything but
 * initialize and a call of a tool that `streams` (may wait long and report progress as it goes). A
 * progress token on any other request changes nothing: nothing else sends progress. The shape checks
 * are the protocol's (the SDK's JSONRPCRequestSchema); whatever fails them is left to the SDK, which
 * answers with the protocol's errors.
 */
export function directRequest(body: unknown, streams: (tool: string) => boolean): JSONRPCRequest | undefined {
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || typeof body.method !== 'string') return undefined;
  if (!(typeof body.id === 'string' || Number.isInteger(body.id))) return undefined;
  for (const key in body) if (!REQUEST_KEYS.has(key)) return undefined;
  const params = body.params;
  if (params !== undefined && (!isPlainObject(params) || (params._meta !== undefined && !isPlainObject(params._meta))))
    return undefined;
  if (body.method === 'initialize') return undefined;
  if (body.method === 'tools/call' && typeof params?.name === 'string' && streams(params.name)) return undefined;
  return body as JSONRPCRequest;
}

/** What a POST must carry for the SDK to take it (else it answers 406, 415 or 400; it is left to it). */
function acceptable(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return false;
  const type = request.headers.get('content-type');
  if (type !== 'application/json' && (type ?? '').split(';', 1)[0]!.trim().toLowerCase() !== 'application/json')
    return false;
  const version = request.headers.get('mcp-protocol-version');
  return version === null || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

interface Pending {
  resolve(response: Response): void;
  /** Notifications sent for the request before its response (JSON text). */
  collected: string[];
  timer: ReturnType<typeof setTimeout>;
  /** Set once the answer became an event stream. */
  stream?: ReadableStreamDefaultController<Uint8Array>;
  keepAlive?: ReturnType<typeof setInterval>;
}

export class SessionTransport implements Transport {
  readonly inner: WebStandardStreamableHTTPServerTransport;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private readonly direct = new Map<RequestId, Pending>();
  private closed = false;

  constructor(
    options: WebStandardStreamableHTTPServerTransportOptions,
    private readonly streams: (tool: string) => boolean,
    private readonly collectMs = COLLECT_MS,
  ) {
    this.inner = new WebStandardStreamableHTTPServerTransport(options);
    this.inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => {
      this.closed = true;
      for (const [id, pending] of [...this.direct]) this.settle(id, pending, undefined);
      this.onclose?.();
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Answers an HTTP request of this session: directly when it can, else through the SDK's transport. */
  handleRequest(request: Request, parsedBody: unknown): Promise<Response> {
    const message =
      request.method === 'POST' && !this.closed && this.inner.sessionId !== undefined
        ? directRequest(parsedBody, this.streams)
        : undefined;
    if (!message || this.direct.has(message.id) || !acceptable(request))
      return this.inner.handleRequest(request, { parsedBody });
    return new Promise<Response>((resolve) => {
      const pending: Pending = {
        resolve,
        collected: [],
        timer: setTimeout(() => this.toStream(pending), this.collectMs),
      };
      this.direct.set(message.id, pending);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      this.onmessage?.(message, { requestInfo: { headers, url: new URL(request.url) } });
    });
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const isResponse = 'id' in message && ('result' in message || 'error' in message);
    const id = isResponse ? message.id : options?.relatedRequestId;
    const pending = id === undefined ? undefined : this.direct.get(id);
    if (!pending) return this.inner.send(message, options);
    const json = JSON.stringify(message);
    const outage = 'error' in message && message.error.code === DATABASE_UNAVAILABLE_RPC_CODE;
    if (!isResponse) {
      if (pending.stream) pending.stream.enqueue(encoder.encode(sseEvent(json)));
      else pending.collected.push(json);
      return;
    }
    this.settle(id!, pending, json, outage);
  }

  /** Ends a direct request: with its response (JSON, or the stream's last event) or, closed, without.
   * A database outage answered as plain JSON is an HTTP 503 with Retry-After, as on the REST API. */
  private settle(id: RequestId, pending: Pending, response: string | undefined, outage = false): void {
    this.direct.delete(id);
    clearTimeout(pending.timer);
    clearInterval(pending.keepAlive);
    if (pending.stream) {
      try {
        if (response !== undefined) pending.stream.enqueue(encoder.encode(sseEvent(response)));
        pending.stream.close();
      } catch {
        // the client went away
      }
    } else if (response === undefined) {
      pending.resolve(
        Response.json(
          { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null },
          { status: 404 },
        ),
      );
    } else if (pending.collected.length === 0) {
      const headers = outage
        ? { ...this.headers('application/json'), 'retry-after': String(DATABASE_RETRY_SECONDS) }
        : this.headers('application/json');
      pending.resolve(new Response(response, { status: outage ? 503 : 200, headers }));
    } else {
      pending.resolve(
        new Response([...pending.collected, response].map(sseEvent).join(''), {
          status: 200,
          headers: this.headers('text/event-stream'),
        }),
      );
    }
  }

  /** The answer takes long: from now on it is an event stream (what was collected, then the rest). */
  private toStream(pending: Pending): void {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        pending.stream = controller;
        for (const json of pending.collected) controller.enqueue(encoder.encode(sseEvent(json)));
        pending.collected = [];
        pending.keepAlive = setInterval(() => {
          try {
            controller.enqueue(encoder.encode(': keepalive\n\n'));
          } catch {
            clearInterval(pending.keepAlive);
          }
        }, KEEP_ALIVE_MS);
        pending.keepAlive.unref?.();
      },
      cancel: () => clearInterval(pending.keepAlive), // the response, when it comes, is dropped
    });
    pending.resolve(
      new Response(body, {
        status: 200,
        headers: { ...this.headers('text/event-stream'), 'cache-control': 'no-cache, no-transform' },
      }),
    );
  }

  private headers(contentType: string): Record<string, string> {
    return this.inner.sessionId === undefined
      ? { 'content-type': contentType }
      : { 'content-type': contentType, 'mcp-session-id': this.inner.sessionId };
  }
}
