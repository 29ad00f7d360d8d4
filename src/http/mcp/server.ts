// One MCP server per session, bound to the caller who opened it: tools filtered by that caller's scope,
// resources with subscriptions (a subscribed run's report is announced when the run ends), prompts.
// Bad arguments come back as isError tool results; nothing is written and the session stays usable.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { AppDeps } from '../../app-deps.ts';
import { scopeAllows } from '../../auth/scope.ts';
import type { Principal } from '../../auth/tokens.ts';
import { assertValid } from '../../service/validate.ts';
import { getRun } from '../../service/runs.ts';
import { DATABASE_RETRY_SECONDS, DATABASE_UNAVAILABLE_RPC_CODE, isDatabaseUnavailable } from '../database-errors.ts';
import { AppError } from '../../errors.ts';
import { getPrompt, PROMPTS, PromptError } from './prompts.ts';
import { listResources, readResource, RESOURCE_TEMPLATES, runIdOf } from './resources.ts';
import { TOOLS, TOOLS_BY_NAME } from './tools.ts';

/** Longest report text a tool result carries (documentText tools only); beyond it the text ends at a line with a notice. */
export const MAX_RESULT_CHARS = 50_000;

const TERMINAL = new Set(['success', 'partial', 'failed', 'cancelled']);

function toolError(message: string) {
  return { isError: true, content: [{ type: 'text' as const, text: message }] };
}

/** Errors a caller can act on become their message; anything else stays internal. */
function messageOf(err: unknown): string {
  if (err instanceof AppError) return `${err.errorCode}: ${err.message}`;
  return 'internal error; the server log has the details';
}

/** A database outage is the protocol's error (the HTTP answer becomes a 503), not a tool result. */
function databaseUnavailable(): Error {
  return protocolError(
    DATABASE_UNAVAILABLE_RPC_CODE,
    `database_unavailable: the database cannot be reached right now; retry in ${DATABASE_RETRY_SECONDS} s`,
  );
}

/** A long report ends at a whole line, saying where the rest is. */
function capped(text: string, name: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_RESULT_CHARS);
  const head = text.slice(0, cut > 0 ? cut : MAX_RESULT_CHARS);
  return `${head}\n\n[${name}: ${text.length - head.length} more characters; structuredContent and the run's report resource hold the whole]`;
}

/**
 * A JSON-RPC error for the protocol layer. The SDK's McpError puts "MCP error <code>:" into its own
 * message, which a client then prefixes again; a plain error with a code is sent as given.
 */
function protocolError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

export function createMcpServer(deps: AppDeps, principal: Principal): { server: Server; dispose(): void } {
  const server = new Server(
    { name: 'cyber-brain', version: '0.1.0' },
    {
      capabilities: { tools: {}, resources: { subscribe: true, listChanged: true }, prompts: {} },
      instructions:
        'Cyber-Brain looks at a home-lab Docker host: launch_run runs log_triage, gpu_report or service_map; reports are resources cyberbrain://runs/{id}/report.md. Containers off the allowlist cannot be read.',
    },
  );
  const allowed = (scope: 'read' | 'operate' | 'admin') => scopeAllows(principal.scope, scope);
  const subscriptions = new Set<string>();

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.filter((t) => allowed(t.scope)).map((t) => ({
      name: t.name,
      title: t.annotations.title,
      description: t.description,
      inputSchema: t.inputSchema as unknown as { type: 'object'; [k: string]: unknown },
      outputSchema: t.outputSchema as unknown as { type: 'object'; [k: string]: unknown },
      annotations: t.annotations,
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = TOOLS_BY_NAME.get(request.params.name);
    if (!tool)
      return toolError(`unknown_tool: no tool named ${request.params.name.slice(0, 80)}; tools/list names them`);
    if (!allowed(tool.scope))
      return toolError(
        `insufficient_scope: ${tool.name} needs the "${tool.scope}" scope; this session has "${principal.scope}"`,
      );
    const progressToken = request.params._meta?.progressToken;
    try {
      const args = assertValid(tool.inputSchema, request.params.arguments ?? {}, `arguments of ${tool.name}`);
      const result = await tool.run(args, {
        deps,
        actor: principal.name,
        signal: extra.signal,
        async progress(done, total, message) {
          if (progressToken === undefined) return;
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: done, total, message },
          });
        },
      });
      const text = tool.documentText ? capped(tool.text(result), tool.name) : tool.text(result);
      return { content: [{ type: 'text' as const, text }], structuredContent: result };
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw databaseUnavailable();
      if (!(err instanceof AppError))
        deps.logger.error('mcp tool failed', {
          tool: tool.name,
          error: err instanceof Error ? err.name : 'unknown',
          message: err instanceof Error ? err.message : undefined,
        });
      return toolError(messageOf(err));
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await listResources(deps) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    try {
      return { contents: [await readResource(deps, request.params.uri)] };
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw protocolError(ErrorCode.InvalidParams, err.message);
      if (err instanceof AppError) throw protocolError(ErrorCode.InvalidRequest, `${err.errorCode}: ${err.message}`);
      if (isDatabaseUnavailable(err)) throw databaseUnavailable();
      throw protocolError(ErrorCode.InternalError, 'internal error');
    }
  });
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const uri = request.params.uri;
    subscriptions.add(uri);
    // A run that ended before the client could subscribe is announced at once, so no end is missed.
    const runId = runIdOf(uri);
    if (runId !== undefined) {
      const run = await getRun(deps, runId).catch(() => undefined);
      if (run && TERMINAL.has(run.status)) setTimeout(() => server.sendResourceUpdated({ uri }).catch(() => {}), 0);
    }
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    try {
      return getPrompt(request.params.name, request.params.arguments);
    } catch (err) {
      if (err instanceof PromptError) throw protocolError(ErrorCode.InvalidParams, err.message);
      throw err;
    }
  });

  // Run events become resource notifications for this session.
  const unsubscribe = deps.events.subscribe((e) => {
    if (e.type !== 'run.status') return;
    const runId = Number(e.data.run_id);
    const status = String(e.data.status);
    if (status === 'queued' || status === 'awaiting_approval') {
      if (e.data.trigger !== undefined) server.sendResourceListChanged().catch(() => {});
      return;
    }
    if (!TERMINAL.has(status)) return;
    for (const uri of subscriptions) {
      if (runIdOf(uri) === runId) server.sendResourceUpdated({ uri }).catch(() => {});
    }
  });
  return { server, dispose: unsubscribe };
}
