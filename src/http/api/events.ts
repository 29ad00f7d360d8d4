// GET /api/events: Server-Sent Events of run and job status changes, artifacts written and inventory
// snapshots. Resumes after Last-Event-ID from a replay buffer; a comment line every few seconds keeps
// proxies and the client's idle timers from closing a quiet stream.
import { Elysia, t } from 'elysia';
import type { AppEvent, EventBus } from '../../events/bus.ts';

/** Bus events meant for the runner only, not for clients. */
const INTERNAL = new Set(['jobs.queued', 'run.cancel_requested']);

const encoder = new TextEncoder();

function frame(e: AppEvent): Uint8Array {
  return encoder.encode(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e.data, at: e.at })}\n\n`);
}

export function eventRoutes(deps: { events: EventBus }, heartbeatMs = 15_000) {
  return new Elysia().get(
    '/events',
    ({ request, query, server }) => {
      const header = request.headers.get('last-event-id') ?? query.last_event_id;
      const lastId = header !== undefined && /^\d{1,16}$/.test(header) ? Number(header) : undefined;
      server?.timeout(request, 0); // an event stream is quiet for long stretches
      let cleanup = () => {};
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const send = (e: AppEvent) => {
            if (INTERNAL.has(e.type)) return;
            try {
              controller.enqueue(frame(e));
            } catch {
              cleanup();
            }
          };
          controller.enqueue(encoder.encode('retry: 3000\n: connected\n\n'));
          if (lastId !== undefined) {
            const replay = deps.events.since(lastId);
            if (!replay.complete)
              controller.enqueue(
                encoder.encode(`event: reset\ndata: {"reason":"events were missed; reload the state"}\n\n`),
              );
            for (const e of replay.events) send(e);
          }
          const unsubscribe = deps.events.subscribe(send);
          const beat = setInterval(() => {
            try {
              controller.enqueue(encoder.encode(': keep-alive\n\n'));
            } catch {
              cleanup();
            }
          }, heartbeatMs);
          cleanup = () => {
            unsubscribe();
            clearInterval(beat);
          };
          request.signal.addEventListener('abort', () => {
            cleanup();
            try {
              controller.close();
            } catch {
              // already closed
            }
          });
        },
        cancel() {
          cleanup();
        },
      });
      return new Response(stream, {
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-accel-buffering': 'no',
        },
      });
    },
    {
      query: t.Object({ last_event_id: t.Optional(t.String({ maxLength: 20 })) }),
      detail: {
        summary:
          'Live events (Server-Sent Events): run.status, job.status, artifact.written, inventory.snapshot; resume with Last-Event-ID',
        tags: ['events'],
        responses: {
          200: {
            description: 'An endless event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
  );
}
