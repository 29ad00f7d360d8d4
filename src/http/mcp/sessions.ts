// Open MCP sessions (Streamable HTTP and SSE): each bound to the caller who opened it, closed after an
// idle time, and capped in number (the idlest one makes room for a new one).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Principal } from '../../auth/tokens.ts';
import type { SessionTransport } from './session-transport.ts';
import type { WebSseServerTransport } from './sse-transport.ts';

export type McpSession = {
  id: string;
  owner: string;
  server: Server;
  lastSeen: number;
  close(): Promise<void>;
} & ({ kind: 'streamable-http'; transport: SessionTransport } | { kind: 'sse'; transport: WebSseServerTransport });

/** Who may use a session: the same token (or the same admin/auth-off caller) that opened it. */
export const ownerOf = (p: Principal) => `${p.kind}:${p.tokenId ?? p.name}`;

export class McpSessions {
  private readonly sessions = new Map<string, McpSession>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, Math.max(1000, idleMs / 4)));
    this.sweeper.unref?.();
  }

  get size(): number {
    return this.sessions.size;
  }

  async add(session: McpSession): Promise<void> {
    if (this.sessions.size >= this.max) {
      const idlest = [...this.sessions.values()].sort((a, b) => a.lastSeen - b.lastSeen)[0];
      if (idlest) await this.end(idlest.id);
    }
    this.sessions.set(session.id, session);
  }

  /** The session if it exists, belongs to this caller and is not expired; touching it keeps it alive. */
  find<K extends McpSession['kind']>(id: string, principal: Principal, kind: K): Extract<McpSession, { kind: K }> | undefined {
    const s = this.sessions.get(id) as Extract<McpSession, { kind: K }> | undefined;
    if (!s || s.kind !== kind || s.owner !== ownerOf(principal)) return undefined;
    if (this.now() - s.lastSeen > this.idleMs) {
      void this.end(id);
      return undefined;
    }
    s.lastSeen = this.now();
    return s;
  }

  forget(id: string): void {
    this.sessions.delete(id);
  }

  async end(id: string): Promise<void> {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    await s.close().catch(() => {});
  }

  async sweep(): Promise<void> {
    const t = this.now();
    for (const s of [...this.sessions.values()]) if (t - s.lastSeen > this.idleMs) await this.end(s.id);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) await this.end(id);
  }
}
