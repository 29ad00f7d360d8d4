// The older MCP HTTP+SSE transport (GET /sse opens the stream, POST /messages?sessionId= sends), written
// on web streams: the SDK's own version needs Node's response object, which a Bun/Elysia route lacks.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';

const encoder = new TextEncoder();

export class WebSseServerTransport implements Transport {
  readonly sessionId = randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private keepAlive?: ReturnType<typeof setInterval>;
  private closed = false;

  /** The event stream to return from GET /sse; its first event names where to POST. */
  response(messagesPath: string, keepAliveMs = 15_000): Response {
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        controller.enqueue(encoder.encode(`event: endpoint\ndata: ${messagesPath}?sessionId=${this.sessionId}\n\n`));
        this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), keepAliveMs);
      },
      cancel: () => void this.close(),
    });
    return new Response(stream, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      },
    });
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('the SSE stream is closed');
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** Hands a POSTed message to the server; false when it is not a JSON-RPC message. */
  receive(body: unknown): boolean {
    const parsed = JSONRPCMessageSchema.safeParse(body);
    if (!parsed.success) return false;
    this.onmessage?.(parsed.data);
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    try {
      this.controller?.close();
    } catch {
      // already closed by the client
    }
    this.onclose?.();
  }

  private write(text: string): void {
    if (this.closed) return;
    try {
      this.controller?.enqueue(encoder.encode(text));
    } catch {
      void this.close();
    }
  }
}
