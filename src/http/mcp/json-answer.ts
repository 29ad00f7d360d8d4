// Streamable HTTP lets the server answer a POST either as one JSON object or as an event stream. The
// SDK's transport picks one mode per transport: always SSE (progress notifications stream as they
// happen) or always JSON (notifications related to a request are dropped). Most requests produce
// nothing but their response, and for those the client pays for an event-stream parser it does not
// need (about half a millisecond a call in bench/mcp.ts, most of the gap to the same REST call). So: the
// transport stays in SSE mode, and the answer to a request that does not report progress is collected
// here and, when it is exactly one JSON-RPC message, handed out as application/json. Anything else (notifications after all,
// a stream the transport closed early, an answer still pending after a few seconds) goes out as the
// event stream it was, with what was collected first, so no message is lost or reordered.

/** How long an answer is collected before it is streamed after all (keep-alives need a stream). */
export const COLLECT_MS = 5_000;

const SSE_MESSAGE = 'event: message\ndata: ';
const decoder = new TextDecoder();

/**
 * Whether a POST body is a single JSON-RPC request whose answer is its response alone: anything but a
 * call of a tool that `streams` (may wait long and report progress as it goes). A progress token on
 * any other request changes nothing: nothing else sends progress. Notifications, responses and
 * batches are left to the transport as they are.
 */
export function answersAlone(body: unknown, streams: (tool: string) => boolean): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const message = body as { id?: unknown; method?: unknown; params?: unknown };
  if (message.id === undefined || typeof message.method !== 'string') return false;
  if (message.method !== 'tools/call') return true;
  const name = typeof message.params === 'object' && message.params !== null ? (message.params as { name?: unknown }).name : undefined;
  return typeof name !== 'string' || !streams(name);
}

const isEventStream = (r: Response) => (r.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'text/event-stream';

/** The one JSON-RPC message an event stream carries (comments such as keep-alives aside), if it is one. */
function soleMessage(text: string): string | undefined {
  let data: string | undefined;
  for (const event of text.split('\n\n')) {
    if (event === '' || event.split('\n').every((line) => line.startsWith(':'))) continue;
    if (data !== undefined || !event.startsWith(SSE_MESSAGE)) return undefined;
    data = event.slice(SSE_MESSAGE.length);
    if (data.includes('\n')) return undefined; // an id: line or a multi-line event: leave it to the stream
  }
  return data;
}

/**
 * The transport's answer to a request that `answersAlone`: plain JSON when it is one message and
 * arrives within `collectMs`, otherwise the event stream as the transport wrote it.
 */
export async function asJsonWhenAlone(response: Response, collectMs = COLLECT_MS): Promise<Response> {
  if (response.status !== 200 || !response.body || !isEventStream(response)) return response;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, collectMs, 'late')));
  try {
    for (;;) {
      const next = reader.read();
      const first = await Promise.race([next, late]);
      if (first === 'late') return streamOn(response, chunks, next, reader);
      if (first.done) break;
      chunks.push(first.value);
    }
  } finally {
    clearTimeout(timer);
  }
  const text = chunks.length === 1 ? decoder.decode(chunks[0]) : chunks.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
  const message = soleMessage(text);
  if (message === undefined) return new Response(text, { status: response.status, headers: response.headers });
  const headers = new Headers({ 'content-type': 'application/json' });
  const session = response.headers.get('mcp-session-id');
  if (session !== null) headers.set('mcp-session-id', session);
  return new Response(message, { status: 200, headers });
}

type Read = ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>;

/** The event stream after all: what was collected, the read in flight, then the rest as it comes. */
function streamOn(response: Response, collected: Uint8Array[], pending: Read, reader: ReadableStreamDefaultReader<Uint8Array>): Response {
  let next: Read | undefined = pending;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of collected) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await (next ?? reader.read());
      next = undefined;
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
