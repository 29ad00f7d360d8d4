// Listens with the front door before the app (what Elysia's listen() would do, minus Bun's per-route
// table, which would send requests past the front door).
import type { Server } from 'bun';
import type { AnyElysia } from 'elysia';
import { frontDoor, type FrontDoorDeps } from './front-door.ts';

export interface ListenOptions {
  hostname: string;
  port: number;
}

export function serveApp(app: AnyElysia, deps: FrontDoorDeps, options: ListenOptions): Server<unknown> {
  const handle = frontDoor(app, deps);
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    reusePort: false, // a second instance must fail to start, not share the port silently
    idleTimeout: 30,
    // Bun would refuse a declared size over its limit itself, with an empty 413; the front door refuses
    // it with the error shape, and counts the bytes of every framing (body-limits.ts has the caps).
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    development: false,
    fetch: (request, srv) => handle(request, srv),
  });
  app.server = server; // route handlers reach the server through the app (per-request timeouts)
  return server;
}
