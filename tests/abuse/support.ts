// Helpers of the abuse tests: the real process on a database of its own, its resident memory, and a raw
// loopback client that sends a chunked body as fast as the server takes it and stops at the first byte
// of the answer (fetch cannot show an answer that comes before the body is sent).
import { connect, createServer, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, TEST_MAIN, type AppProcess, type Env } from '../support/app-process.ts';
import { createServerDatabase } from '../support/db.ts';
import { hasRealServer, realServerUrl } from '../support/services.ts';

export const ADMIN_TOKEN = 'abuse-admin-token-0123456789';

export interface AbuseApp {
  app: AppProcess;
  url: string;
  port: number;
  /** The process's own database (a fresh one on the real server). */
  databaseUrl: string;
  /** Present when started with `proxy`: stop it and the database is gone for the process (port closed). */
  proxy?: StoppableProxy;
  close(): Promise<void>;
}

/** Abuse tests need the real PostgreSQL server (a database dump, row counts, an outage). */
export const abuseEnabled = (what: string) => hasRealServer(what);

export async function startAbuseApp(env: Env, options: { proxy?: boolean } = {}): Promise<AbuseApp> {
  const { url: databaseUrl, drop } = await createServerDatabase(realServerUrl()!);
  let proxy: StoppableProxy | undefined;
  let appDbUrl = databaseUrl;
  if (options.proxy) {
    const target = new URL(databaseUrl);
    proxy = await startStoppableProxy(target.hostname, Number(target.port || 5432));
    const via = new URL(databaseUrl);
    via.hostname = '127.0.0.1';
    via.port = String(proxy.port);
    appDbUrl = via.toString();
  }
  const data = mkdtempSync(join(tmpdir(), 'cb-abuse-'));
  const app = await startAppProcess({ DATABASE_URL: appDbUrl, CYBER_BRAIN_DATA: data, ...env }, { entry: TEST_MAIN });
  return {
    app,
    url: app.url,
    port: Number(new URL(app.url).port),
    databaseUrl,
    proxy,
    async close() {
      await app.stop();
      proxy?.close();
      await drop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** A loopback TCP proxy whose port can be closed and opened again: what a stopped server looks like
 * to a client (connections dropped, new ones refused), unlike a proxy that accepts and hangs up. */
export interface StoppableProxy {
  port: number;
  stop(): void;
  start(): Promise<void>;
  close(): void;
}

export async function startStoppableProxy(targetHost: string, targetPort: number): Promise<StoppableProxy> {
  interface Pair {
    upstream?: Socket;
    pending: (Buffer | string)[];
  }
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const pair: Pair = { pending: [] };
    open.add(client);
    const upstream = connect({ host: targetHost, port: targetPort }, () => {
      pair.upstream = upstream;
      for (const b of pair.pending) upstream.write(b);
      pair.pending = [];
    });
    open.add(upstream);
    client.on('data', (d) => (pair.upstream ? pair.upstream.write(d) : pair.pending.push(d)));
    upstream.on('data', (d) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', end);
    client.on('error', end);
    upstream.on('close', end);
    upstream.on('error', end);
  });
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen();
  port = (server.address() as { port: number } | null)?.port ?? 0;
  const stop = () => {
    server.close();
    for (const s of open) s.destroy();
    open.clear();
  };
  return { port, stop, start: listen, close: stop };
}

/** Resident memory of a process in bytes (Linux). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export interface RawAnswer {
  /** HTTP status of the answer, or 0 when the connection closed without one. */
  status: number;
  head: string;
  /** From the first byte sent to the first byte of the answer (or the close). */
  ms: number;
  /** Body bytes written before the answer came. */
  sent: number;
  /** Highest resident memory of `pid` seen while sending. */
  peakRss: number;
}

export interface ChunkedOptions {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Body bytes to send at most. */
  total: number;
  /** What the body is made of (repeated). */
  fill?: string;
  /** Exactly this body instead, as one chunk (`total` and `fill` are then ignored). */
  body?: string;
  /** Frame the body with Content-Length: `total` instead of chunked. */
  declared?: boolean;
  /** The server process, to watch its memory; sending stops when it grew by `stopAtGrowth`. */
  pid: number;
  stopAtGrowth?: number;
  /** Give up after this long without an answer. */
  timeoutMs?: number;
}

/** Sends a request with a chunked body of `total` bytes, stopping at the answer; bounded in time. */
export function sendChunked(o: ChunkedOptions): Promise<RawAnswer> {
  const chunkSize = 256 * 1024;
  const chunk = Buffer.from((o.fill ?? 'a').repeat(Math.ceil(chunkSize / (o.fill ?? 'a').length)).slice(0, chunkSize));
  const frame = o.declared
    ? chunk
    : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  const baseRss = rssBytes(o.pid);
  const framing = o.declared ? { 'content-length': String(o.total) } : { 'transfer-encoding': 'chunked' };
  const headers = { host: `127.0.0.1:${o.port}`, ...framing, 'content-type': 'application/json', ...o.headers };
  const head = `${o.method ?? 'POST'} ${o.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port: o.port });
    let sent = 0;
    let answer = '';
    let done = false;
    let peakRss = baseRss;
    const started = performance.now();
    const finish = (status: number) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, head: answer.split('\r\n\r\n')[0] ?? '', ms: performance.now() - started, sent, peakRss });
    };
    const watch = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rssBytes(o.pid));
      } catch {
        // the process is gone: the close reports it
      }
      if (o.stopAtGrowth && peakRss - baseRss > o.stopAtGrowth) finish(0);
    }, 20);
    const timer = setTimeout(() => finish(0), o.timeoutMs ?? 5_000);
    const pump = () => {
      if (o.body !== undefined) {
        const bytes = Buffer.from(o.body);
        socket.write(
          Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]),
        );
        sent = bytes.length;
        return;
      }
      while (!done && sent < o.total) {
        sent += chunk.length;
        if (!socket.write(frame)) return; // wait for drain
      }
      if (!done && sent >= o.total && !o.declared) socket.write('0\r\n\r\n');
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('drain', pump);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m && answer.includes('\r\n\r\n')) finish(Number(m[1]));
    });
    socket.on('error', () => finish(0));
    socket.on('close', () => finish(0));
  });
}

/** Sorted latencies -> the value at quantile q. */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
