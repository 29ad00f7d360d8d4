// The MCP endpoint answers a request that cannot report progress as plain JSON, without losing any
// message the transport wrote when that guess is wrong, and streams an answer that takes long.
import { describe, expect, test } from 'bun:test';
import { answersAlone, asJsonWhenAlone } from '../../src/http/mcp/json-answer.ts';

const encoder = new TextEncoder();
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'mcp-session-id': 's-1' };
const event = (message: object) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

/** An event stream like the transport's: each part written after its delay (ms). */
function sse(parts: [number, string][], status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [delay, text] of parts) {
        if (delay) await Bun.sleep(delay);
        controller.enqueue(encoder.encode(text));
      }
      controller.close();
    },
  });
  return new Response(body, { status, headers: SSE_HEADERS });
}

describe('answersAlone', () => {
  const streams = (tool: string) => tool === 'launch_run';
  test('any single request but a call of a tool that streams, progress token or not', () => {
    expect(answersAlone({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_run', arguments: { id: 1 } } }, streams)).toBe(true);
    expect(answersAlone({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_run', arguments: { id: 1 }, _meta: { progressToken: 0 } } }, streams)).toBe(true);
    expect(answersAlone({ jsonrpc: '2.0', id: 'a', method: 'resources/read', params: { uri: 'cyberbrain://runs/1' } }, streams)).toBe(true);
    expect(answersAlone({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} }, streams)).toBe(true);
    expect(answersAlone({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, streams)).toBe(true);
    expect(answersAlone({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 7 } }, streams)).toBe(true); // refused by the server, in one message
  });
  test('not a call of a tool that streams, nor notifications, responses or batches', () => {
    expect(answersAlone({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'launch_run', arguments: { tasks: ['gpu_report'] } } }, streams)).toBe(false);
    expect(answersAlone({ jsonrpc: '2.0', method: 'notifications/initialized' }, streams)).toBe(false);
    expect(answersAlone({ jsonrpc: '2.0', id: 1, result: {} }, streams)).toBe(false);
    expect(answersAlone([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }], streams)).toBe(false);
    expect(answersAlone(null, streams)).toBe(false);
    expect(answersAlone('x', streams)).toBe(false);
  });
});

describe('asJsonWhenAlone', () => {
  const response = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'line one\nline two: "quoted"' }] } };

  test('one message becomes JSON, with the session header', async () => {
    const r = await asJsonWhenAlone(sse([[0, event(response)]]));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('mcp-session-id')).toBe('s-1');
    expect(await r.json()).toEqual(response);
  });

  test('split across chunks, after a keep-alive comment, it is still one message', async () => {
    const text = event(response);
    const r = await asJsonWhenAlone(sse([[0, ': keepalive\n\n'], [5, text.slice(0, 10)], [5, text.slice(10)]]));
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(await r.json()).toEqual(response);
  });

  test('more than one message (a notification after all) stays an event stream, every byte kept', async () => {
    const text = event({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 0 } }) + event(response);
    const r = await asJsonWhenAlone(sse([[0, text]]));
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(await r.text()).toBe(text);
  });

  test('a stream closed without any message stays what it was', async () => {
    const r = await asJsonWhenAlone(sse([]));
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(await r.text()).toBe('');
  });

  test('errors and other answers pass through untouched', async () => {
    const error = Response.json({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }, { status: 404 });
    expect(await asJsonWhenAlone(error)).toBe(error);
    const accepted = new Response(null, { status: 202 });
    expect(await asJsonWhenAlone(accepted)).toBe(accepted);
    const json = Response.json(response);
    expect(await asJsonWhenAlone(json)).toBe(json);
  });

  test('an answer still pending after the collect time is streamed: what came first, then the rest', async () => {
    const first = ': keepalive\n\n';
    const started = performance.now();
    const r = await asJsonWhenAlone(sse([[0, first], [500, event(response)]]), 30);
    expect(performance.now() - started).toBeLessThan(400);
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(r.headers.get('mcp-session-id')).toBe('s-1');
    expect(await r.text()).toBe(first + event(response));
  });
});
