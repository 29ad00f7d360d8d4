// The MCP endpoint: Streamable HTTP at /mcp (POST, GET for the server's event stream, DELETE to end a
// session) and the older HTTP+SSE transport at /sse + /messages. Authentication and Origin/Host checks
// are the auth guard's, as for /api; each session belongs to the caller who opened it, and only that
// caller may use or end it. Session numbers are capped in all and per caller (sessions.ts).
import { Elysia, t } from 'elysia';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../app-deps.ts';
import type { Principal } from '../../auth/tokens.ts';
import { errorResponse } from '../errors.ts';
import { principalOf } from '../principal.ts';
import { createMcpServer } from './server.ts';
import { SessionTransport } from './session-transport.ts';
import { McpSessions, ownerOf, type SessionRefusal, type SessionSlot } from './sessions.ts';
import { WebSseServerTransport } from './sse-transport.ts';
import { TOOLS_BY_NAME } from './tools.ts';

const SESSION_HEADER = 'mcp-session-id';

/** The protocol's answer to an unknown or expired session: HTTP 404 with a JSON-RPC error. */
function sessionNotFound(): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null },
    { status: 404 },
  );
}

/** Tools whose calls are answered as an event stream (they may wait long and report progress); the
 * session transport answers other requests as plain JSON. */
const streams = (tool: string) => TOOLS_BY_NAME.get(tool)?.streams === true;

const anonymous: Principal = { kind: 'auth_off', scope: 'admin', name: 'local-operator', tokenId: null };

const refused = (r: SessionSlot | SessionRefusal): r is SessionRefusal => 'status' in r;

function refusalResponse(r: SessionRefusal): Response {
  return errorResponse(r.status, r.code, r.message, undefined, { 'retry-after': String(r.retryAfterSeconds) });
}

/** Whether a POSTed body opens a session (an initialize request, alone or in a batch). */
function opensSession(body: unknown): boolean {
  const isInit = (m: unknown) =>
    typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize';
  return Array.isArray(body) ? body.some(isInit) : isInit(body);
}

export function mcpRoutes(deps: AppDeps, sessions: McpSessions) {
  const caller = (ctx: object) => principalOf(ctx) ?? anonymous;
  const detail = (summary: string) => ({ summary, tags: ['mcp'] });

  async function streamable(ctx: {
    request: Request;
    body: unknown;
    server: { timeout(r: Request, s: number): void } | null;
  }) {
    const { request } = ctx;
    const principal = caller(ctx);
    const id = request.headers.get(SESSION_HEADER);
    if (id) {
      const session = sessions.find(id, principal, 'streamable-http');
      if (!session) return sessionNotFound();
      if (request.method === 'GET') ctx.server?.timeout(request, 0); // the server's event stream stays open
      return session.transport.handleRequest(request, ctx.body);
    }
    if (request.method !== 'POST')
      return errorResponse(
        400,
        'missing_session',
        `send ${SESSION_HEADER} (start a session with an initialize request)`,
      );
    // A new session: a slot first (or a refusal), then the transport answers the initialize request
    // and names the session.
    const slot = opensSession(ctx.body) ? sessions.reserve(ownerOf(principal)) : undefined;
    if (slot && refused(slot)) return refusalResponse(slot);
    const { server, dispose } = createMcpServer(deps, principal);
    let registered = false;
    const transport: SessionTransport = new SessionTransport(
      {
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => {
          if (!slot) return;
          registered = true;
          sessions.add(
            {
              id: sessionId,
              kind: 'streamable-http',
              owner: slot.owner,
              server,
              lastSeen: Date.now(),
              close: () => transport.close(),
              transport,
            },
            slot,
          );
        },
        onsessionclosed: (sessionId) => sessions.forget(sessionId),
      },
      streams,
    );
    transport.onclose = () => {
      dispose();
      if (transport.sessionId) sessions.forget(transport.sessionId);
    };
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(request, ctx.body);
      if (!registered) await transport.close(); // not an initialize request: nothing to keep
      return response;
    } finally {
      slot?.release(); // a no-op once added
    }
  }

  return new Elysia({ name: 'mcp' })
    .post('/mcp', streamable, { detail: detail('MCP Streamable HTTP: JSON-RPC requests (initialize opens a session)') })
    .get('/mcp', streamable, { detail: detail('MCP Streamable HTTP: the server-to-client event stream of a session') })
    .delete('/mcp', streamable, { detail: detail('MCP Streamable HTTP: end a session') })
    .get(
      '/sse',
      async (ctx) => {
        const principal = caller(ctx);
        const slot = sessions.reserve(ownerOf(principal));
        if (refused(slot)) return refusalResponse(slot);
        const transport = new WebSseServerTransport();
        const { server, dispose } = createMcpServer(deps, principal);
        transport.onclose = () => {
          dispose();
          sessions.forget(transport.sessionId);
        };
        try {
          await server.connect(transport);
        } catch (err) {
          slot.release();
          throw err;
        }
        sessions.add(
          {
            id: transport.sessionId,
            kind: 'sse',
            owner: slot.owner,
            server,
            lastSeen: Date.now(),
            close: () => transport.close(),
            transport,
          },
          slot,
        );
        ctx.server?.timeout(ctx.request, 0);
        return transport.response('/messages');
      },
      {
        detail: detail(
          'MCP over the older HTTP+SSE transport: the event stream (its first event names the POST endpoint)',
        ),
      },
    )
    .post(
      '/messages',
      async (ctx) => {
        const session = sessions.find(ctx.query.sessionId, caller(ctx), 'sse');
        if (!session) return sessionNotFound();
        if (!session.transport.receive(ctx.body))
          return errorResponse(400, 'invalid_message', 'the body is not a JSON-RPC message');
        return new Response('Accepted', { status: 202 });
      },
      {
        query: t.Object({ sessionId: t.String({ format: 'uuid' }) }),
        detail: detail('MCP over the older HTTP+SSE transport: send a message'),
      },
    );
}
