// Open MCP sessions (Streamable HTTP and SSE): each bound to the caller who opened it, closed after an
// idle time, and capped in number, in all and per caller. A full cap refuses the NEW session (never
// closes someone else's: one caller must not be able to end another's work). A slot is reserved before
// the session's server is made, so callers opening many at once cannot slip past the cap.
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

/** Why a new session is refused, and when trying again makes sense. */
export interface SessionRefusal {
  status: 429 | 503;
  code: 'too_many_sessions' | 'sessions_full';
  message: string;
  retryAfterSeconds: number;
}

/** A reserved slot: add() the session with it, or release() it when none was made. */
export interface SessionSlot {
  owner: string;
  release(): void;
}

export class McpSessions {
  private readonly sessions = new Map<string, McpSession>();
  /** Slots reserved by sessions being opened, per owner. */
  private readonly pending = new Map<string, number>();
  private pendingTotal = 0;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly perCaller: number = max,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, Math.max(1000, idleMs / 4)));
    this.sweeper.unref?.();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Sessions (open and being opened) of one owner. */
  countOf(owner: string): number {
    let n = this.pending.get(owner) ?? 0;
    for (const s of this.sessions.values()) if (s.owner === owner) n++;
    return n;
  }

  /** Seconds until the first of these sessions would end by idling. */
  private retryAfter(owner?: string): number {
    let oldest = Infinity;
    for (const s of this.sessions.values())
      if (owner === undefined || s.owner === owner) oldest = Math.min(oldest, s.lastSeen);
    if (oldest === Infinity) return 1;
    return Math.max(1, Math.ceil((oldest + this.idleMs - this.now()) / 1000));
  }

  /** A slot for a new session of this owner, or why there is none. */
  reserve(owner: string): SessionSlot | SessionRefusal {
    // Expired sessions leave first, so a refusal is never due to sessions that are already dead.
    const t = this.now();
    for (const s of [...this.sessions.values()]) if (t - s.lastSeen > this.idleMs) void this.end(s.id);
    if (this.countOf(owner) >= this.perCaller) {
      return {
        status: 429,
        code: 'too_many_sessions',
        message: `this caller has ${this.perCaller} MCP sessions open, the most allowed; end one (DELETE /mcp) or wait until one idles out`,
        retryAfterSeconds: this.retryAfter(owner),
      };
    }
    if (this.sessions.size + this.pendingTotal >= this.max) {
      return {
        status: 503,
        code: 'sessions_full',
        message: `the server has ${this.max} MCP sessions open, the most allowed; retry later`,
        retryAfterSeconds: this.retryAfter(),
      };
    }
    this.pending.set(owner, (this.pending.get(owner) ?? 0) + 1);
    this.pendingTotal++;
    let released = false;
    return {
      owner,
      release: () => {
        if (released) return;
        released = true;
        const n = (this.pending.get(owner) ?? 1) - 1;
        if (n > 0) this.pending.set(owner, n);
        else this.pending.delete(owner);
        this.pendingTotal--;
      },
    };
  }

  /** Registers an opened session in the slot reserved for it. */
  add(session: McpSession, slot: SessionSlot): void {
    slot.release();
    this.sessions.set(session.id, session);
  }

  /** The session if it exists, belongs to this caller and is not expired; touching it keeps it alive. */
  find<K extends McpSession['kind']>(
    id: string,
    principal: Principal,
    kind: K,
  ): Extract<McpSession, { kind: K }> | undefined {
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
