// Real receivers on loopback for notification tests: an HTTP server that records every request (and
// can answer with an error, to play a receiver that is down), and an SMTP server (smtp-server, run
// under Node) that records every mail, offering STARTTLS with its built-in self-signed certificate.
import { join } from 'node:path';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status the receiver answers with (200 by default). */
  status: number;
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

async function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

export function startHttpReceiver(): HttpReceiver {
  const requests: ReceivedRequest[] = [];
  const r: HttpReceiver = {
    url: '',
    requests,
    status: 200,
    waitFor: (n, timeoutMs = 10_000) =>
      waitUntil(() => (requests.length >= n ? requests.slice() : undefined), timeoutMs, `${n} request(s)`),
    close: async () => {
      await server.stop(true);
    },
  };
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const u = new URL(req.url);
      requests.push({
        method: req.method,
        path: u.pathname + u.search,
        headers: headersOf(req),
        body: await req.text(),
        at: Date.now(),
      });
      return new Response(r.status < 300 ? '{"ok":true}' : 'down', { status: r.status });
    },
  });
  r.url = `http://127.0.0.1:${server.port}`;
  return r;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
  user: string | null;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Starts the SMTP receiver (a Node child process, see smtp-receiver.mjs); `tls`: TLS from the first byte. */
export async function startSmtpReceiver(opts: {
  user: string;
  password: string;
  tls?: boolean;
}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const proc = Bun.spawn(
    ['node', join(import.meta.dir, 'smtp-receiver.mjs'), opts.user, opts.password, opts.tls ? 'tls' : 'starttls'],
    {
      cwd: join(import.meta.dir, '..', '..'),
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'inherit',
    },
  );
  let port = 0;
  void (async () => {
    const decoder = new TextDecoder();
    let rest = '';
    const reader = proc.stdout.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
      const lines = rest.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('listening ')) port = Number(line.slice(10));
        else if (line.startsWith('mail ')) mails.push(JSON.parse(line.slice(5)) as ReceivedMail);
      }
    }
  })();
  await waitUntil(() => (port ? port : undefined), 10_000, 'the SMTP receiver to listen');
  return {
    port,
    mails,
    waitFor: (n, timeoutMs = 10_000) =>
      waitUntil(() => (mails.length >= n ? mails.slice() : undefined), timeoutMs, `${n} mail(s)`),
    close: async () => {
      proc.stdin.end();
      const t = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await proc.exited;
      clearTimeout(t);
    },
  };
}
