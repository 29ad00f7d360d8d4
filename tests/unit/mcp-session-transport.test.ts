// The session transport answers a plain request directly as JSON and leaves everything else to the
// SDK's transport; a direct request that sends notifications after all, takes long, or outlives its
// session still gets every message, in order, or the protocol's answer.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, test } from 'bun:test';
import { directRequest, SessionTransport } from '../../src/http/mcp/session-transport.ts';

const streams = (tool: string) => tool === 'launch_run';

describe('directRequest', () => {
  const call = (name: string, extra: object = {}) => ({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: {}, ...extra },
  });
  test('a single well-formed request, progress token or not, but not initialize nor a tool that streams', () => {
    expect(directRequest(call('get_run'), streams)).toBeDefined();
    expect(directRequest(call('get_run', { _meta: { progressToken: 3 } }), streams)).toBeDefined();
    expect(
      directRequest(
        { jsonrpc: '2.0', id: 'a', method: 'resources/read', params: { uri: 'cyberbrain://runs/1' } },
        streams,
      ),
    ).toBeDefined();
    expect(directRequest({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, streams)).toBeDefined();
    expect(directRequest(call('launch_run'), streams)).toBeUndefined();
    expect(directRequest({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} }, streams)).toBeUndefined();
  });
  test('notifications, responses, batches and malformed requests are left to the SDK', () => {
    for (const body of [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 1, result: {} },
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }],
      { jsonrpc: '1.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 1.5, method: 'tools/list' },
      { jsonrpc: '2.0', id: null, method: 'tools/list' },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', extra: true },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: [] },
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: 'x' } },
      null,
      'x',
    ]) {
      expect(directRequest(body, streams)).toBeUndefined();
    }
  });
});

describe('SessionTransport', () => {
  let release: () => void = () => {};
  let transport: SessionTransport;
  afterEach(async () => {
    release();
    await transport?.close();
  });

  /** A server whose tools answer at once, notify first, wait for the test, or stream (launch_run). */
  async function session(
    collectMs = 5_000,
  ): Promise<{ post(body: object, headers?: Record<string, string>): Promise<Response> }> {
    const server = new Server({ name: 't', version: '1' }, { capabilities: { tools: {} } });
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const name = request.params.name;
      if (name === 'notifies' || name === 'launch_run')
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: 'p', progress: 1 } });
      if (name === 'slow') await new Promise<void>((resolve) => (release = resolve));
      return { content: [{ type: 'text', text: `${name} done` }] };
    });
    transport = new SessionTransport({ sessionIdGenerator: () => 'session-1' }, streams, collectMs);
    await server.connect(transport);
    const post = (body: object, headers: Record<string, string> = {}) =>
      transport.handleRequest(
        new Request('http://localhost/mcp', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-session-id': 'session-1',
            'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
            ...headers,
          },
          body: JSON.stringify(body),
        }),
        body,
      );
    const init = await post({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'c', version: '1' } },
    });
    expect(init.headers.get('content-type')).toBe('text/event-stream'); // the SDK's
    await init.text();
    return { post };
  }
  const call = (id: number, name: string) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: {} },
  });
  const events = (text: string) =>
    text
      .split('\n\n')
      .filter((e) => e.startsWith('event: message'))
      .map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)));

  test('a plain request is answered as JSON, with the session header', async () => {
    const { post } = await session();
    const r = await post(call(1, 'quick'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('mcp-session-id')).toBe('session-1');
    expect(await r.json()).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: 'quick done' }] },
    });
    expect(await (await post({ jsonrpc: '2.0', id: 2, method: 'no/such' })).json()).toMatchObject({
      id: 2,
      error: { code: -32601 },
    });
  });

  test('notifications sent after all come first, in an event stream with the response', async () => {
    const { post } = await session();
    const r = await post(call(3, 'notifies'));
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(events(await r.text())).toMatchObject([
      { method: 'notifications/progress', params: { progress: 1 } },
      { id: 3, result: { content: [{ text: 'notifies done' }] } },
    ]);
  });

  test('an answer still pending after the collect time is streamed, the response when it comes', async () => {
    const { post } = await session(30);
    const r = await post(call(4, 'slow')); // resolves while the tool still waits
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(r.headers.get('mcp-session-id')).toBe('session-1');
    release();
    expect(events(await r.text())).toMatchObject([{ id: 4, result: { content: [{ text: 'slow done' }] } }]);
  });

  test("a session closed under a pending request answers it with the protocol's not-found", async () => {
    const { post } = await session();
    const pending = post(call(5, 'slow'));
    await Bun.sleep(10);
    await transport.close();
    const r = await pending;
    expect(r.status).toBe(404);
    expect((await r.json()).error.code).toBe(-32001);
  });

  test("a tool that streams, malformed requests and wrong headers are the SDK transport's", async () => {
    const { post } = await session();
    const streamed = await post(call(6, 'launch_run'));
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    expect(events(await streamed.text()).map((m) => m.method ?? m.id)).toEqual(['notifications/progress', 6]);
    expect((await post({ ...call(7, 'quick'), extra: 1 })).status).toBe(400);
    expect((await post(call(8, 'quick'), { accept: 'application/json' })).status).toBe(406);
    expect((await post(call(9, 'quick'), { 'mcp-protocol-version': '1999-01-01' })).status).toBe(400);
    expect((await post(call(10, 'quick'), { 'content-type': 'text/plain' })).status).toBe(415);
  });
});
