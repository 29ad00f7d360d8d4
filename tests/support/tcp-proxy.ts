// A loopback TCP proxy a test can cut: "the database goes away" without stopping the shared server.
import type { Socket, TCPSocketListener } from 'bun';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until resume(). */
  cut(): void;
  /** Keeps connections open but holds what clients send: the server seems to hang. */
  stall(): void;
  resume(): void;
  close(): void;
}

interface Pair {
  upstream?: Socket<Pair>;
  client: Socket<Pair>;
  pending: Uint8Array[];
}

/** `unixPath`: forward to a unix socket instead (a Docker daemon on a private socket). */
export async function startTcpProxy(targetHost: string, targetPort: number, unixPath?: string): Promise<TcpProxy> {
  let open = true;
  let stalled = false;
  const clients = new Set<Socket<Pair>>();
  const listener: TCPSocketListener<Pair> = Bun.listen<Pair>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(client) {
        if (!open) {
          client.end();
          return;
        }
        const pair: Pair = { client, pending: [] };
        client.data = pair;
        clients.add(client);
        void Bun.connect<Pair>({
          ...((unixPath ? { unix: unixPath } : { hostname: targetHost, port: targetPort }) as {
            hostname: string;
            port: number;
          }),
          data: pair,
          socket: {
            open(up) {
              pair.upstream = up;
              for (const chunk of pair.pending) up.write(chunk);
              pair.pending = [];
            },
            data(_up, chunk) {
              pair.client.write(chunk);
            },
            close() {
              pair.client.end();
            },
            error() {
              pair.client.end();
            },
          },
        }).catch(() => client.end());
      },
      data(client, chunk) {
        const up = client.data.upstream;
        if (up && !stalled) up.write(chunk);
        else client.data.pending.push(new Uint8Array(chunk));
      },
      close(client) {
        clients.delete(client);
        client.data?.upstream?.end();
      },
    },
  });
  return {
    port: listener.port,
    cut() {
      open = false;
      for (const c of clients) {
        c.data?.upstream?.terminate();
        c.terminate();
      }
      clients.clear();
    },
    stall() {
      stalled = true;
    },
    resume() {
      open = true;
      stalled = false;
      for (const c of clients) {
        const up = c.data?.upstream;
        if (!up) continue;
        for (const chunk of c.data.pending) up.write(chunk);
        c.data.pending = [];
      }
    },
    close() {
      open = false;
      listener.stop(true);
    },
  };
}
