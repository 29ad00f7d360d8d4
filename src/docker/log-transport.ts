// The byte stream of GET /containers/{id}/logs. Over a unix socket or TCP (TLS included) it is read
// with Bun's own socket and a small HTTP reader: under Bun, node:http (which dockerode uses) keeps
// received chunks alive long enough to push a 1M-line read past 130 MB of RSS, and its readable does
// not hold the daemon back. Here the socket is paused while more than HIGH_WATER bytes wait, so
// memory stays flat however slowly the caller consumes. ssh:// goes through dockerode's modem.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { DockerEndpoint } from './client.ts';
import { HttpResponseReader } from './http-response.ts';

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
/**
 * Bun's socket buffers are external memory the collector does not weigh: a fast 100 MB read would
 * leave ~100 MB of dead buffers until the next collection. A collection hint every GC_EVERY bytes
 * keeps the dead ones few (costs ~1 ms per hint).
 */
const GC_EVERY = 8 * 1024 * 1024;

export interface LogByteStream {
  chunks: AsyncIterable<Uint8Array>;
  close(): void;
}

/** An HTTP failure shaped like dockerode's, so mapDockerError treats both alike. */
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { statusCode: status });

export function openLogBytes(
  endpoint: DockerEndpoint,
  client: Docker,
  path: string,
  query: Record<string, string>,
  signal?: AbortSignal,
): Promise<LogByteStream> {
  const o = endpoint.options;
  if (o.protocol === 'ssh') return openThroughModem(client, path, query, signal);
  const qs = new URLSearchParams(query).toString();
  const request = `GET ${path}?${qs} HTTP/1.1\r\nHost: docker\r\nUser-Agent: cyber-brain\r\nConnection: close\r\n\r\n`;

  return new Promise<LogByteStream>((resolveOpen, rejectOpen) => {
    const reader = new HttpResponseReader();
    const queue: Uint8Array[] = [];
    let queued = 0;
    let paused = false;
    let ended = false;
    let opened = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    let sinceGc = 0;
    let socket: Bun.Socket<undefined> | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const fail = (err: unknown) => {
      failure ??= err;
      ended = true;
      socket?.terminate();
      if (!opened) rejectOpen(err);
      notify();
    };
    const onAbort = () => fail(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    const stream: LogByteStream = {
      chunks: {
        async *[Symbol.asyncIterator]() {
          try {
            for (;;) {
              const next = queue.shift();
              if (next) {
                queued -= next.length;
                if (paused && queued < LOW_WATER) {
                  paused = false;
                  socket?.resume();
                }
                yield next;
                continue;
              }
              if (failure) throw failure;
              if (ended) return;
              await new Promise<void>((r) => (wake = r));
            }
          } finally {
            stream.close();
          }
        },
      },
      close() {
        ended = true;
        signal?.removeEventListener('abort', onAbort);
        socket?.terminate();
      },
    };

    const handlers: Bun.SocketHandler<undefined> = {
      open(s) {
        socket = s;
        s.write(request);
      },
      data(s, data) {
        sinceGc += data.length;
        if (sinceGc > GC_EVERY) {
          sinceGc = 0;
          Bun.gc(true);
        }
        try {
          const done = reader.push(data, (piece) => {
            // Bun hands each read its own buffer; pieces are views into it, not copies
            queue.push(piece);
            queued += piece.length;
          });
          if (!opened && reader.head) {
            opened = true;
            if (reader.head.status !== 200) {
              failure = httpError(reader.head.status);
              rejectOpen(failure);
              s.terminate();
              return;
            }
            resolveOpen(stream);
          }
          if (done) {
            ended = true;
            s.end();
          } else if (queued > HIGH_WATER && !paused) {
            paused = true;
            s.pause();
          }
          notify();
        } catch (err) {
          fail(err);
        }
      },
      close() {
        if (!ended) {
          try {
            reader.closed();
            ended = true;
          } catch (err) {
            failure ??= err;
            ended = true;
          }
        }
        if (!opened) rejectOpen(failure ?? Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
        notify();
      },
      error(_s, err) {
        fail(err);
      },
    };

    const tls = o.protocol === 'https' ? { ca: o.ca, cert: o.cert, key: o.key } : undefined;
    const connecting = o.socketPath
      ? Bun.connect({ unix: String(o.socketPath), socket: handlers })
      : Bun.connect({
          hostname: String(o.host ?? 'localhost'),
          port: Number(o.port ?? 2375),
          tls: tls as Bun.TLSOptions | undefined,
          socket: handlers,
        });
    connecting.catch(fail);
  });
}

/** ssh:// endpoints: dockerode's modem streams the body (isStream, not buffered whole). */
function openThroughModem(
  client: Docker,
  path: string,
  query: Record<string, string>,
  signal?: AbortSignal,
): Promise<LogByteStream> {
  return new Promise((resolve, reject) => {
    client.modem.dial(
      {
        path: `${path}?`,
        method: 'GET',
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      },
      (err: unknown, body: unknown) => {
        if (err) return reject(err);
        const readable = body as Readable;
        resolve({ chunks: readable as AsyncIterable<Uint8Array>, close: () => readable.destroy() });
      },
    );
  });
}
