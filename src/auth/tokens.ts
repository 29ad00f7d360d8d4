// Tokens and sessions: create (the text is shown once), list, revoke, and resolve a presented secret
// to a principal. Only sha256 hashes are stored; the admin token from the environment is compared in
// constant time.
import { Type, type Static } from '@sinclair/typebox';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { assertValid } from '../service/validate.ts';
import * as store from '../store/auth.ts';
import type { Scope } from './scope.ts';

export interface Principal {
  kind: 'admin_token' | 'api_token' | 'session' | 'auth_off';
  scope: Scope;
  /** Who, for audit fields such as decided_by: never a secret. */
  name: string;
  tokenId: number | null;
  session?: { idHash: string; csrf: string };
}

export const CreateTokenInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    scope: Type.Union([Type.Literal('read'), Type.Literal('operate'), Type.Literal('admin')]),
  },
  { additionalProperties: false },
);
export type CreateTokenInput = Static<typeof CreateTokenInput>;

export interface TokenView {
  id: number;
  name: string;
  scope: Scope;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function view(row: store.TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.token_prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

type Ctx = { db: Database; clock: Clock };

export async function createToken(ctx: Ctx, raw: CreateTokenInput): Promise<TokenView & { token: string }> {
  const input = assertValid(CreateTokenInput, raw, 'token');
  const token = `cbt_${randomBytes(32).toString('base64url')}`;
  const row = await store.insertToken(ctx.db.sql, {
    name: input.name.trim(),
    scope: input.scope,
    hash: hashSecret(token),
    prefix: token.slice(0, 10),
    now: ctx.clock.now(),
  });
  return { ...view(row), token };
}

export async function listTokens(ctx: Ctx): Promise<TokenView[]> {
  return (await store.listTokens(ctx.db.sql)).map(view);
}

export async function revokeToken(ctx: Ctx, id: number): Promise<TokenView> {
  const row = await store.revokeToken(ctx.db.sql, id, ctx.clock.now());
  if (!row) throw notFound(`token ${id}`);
  return view(row);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashSecret(a), 'hex');
  const y = Buffer.from(hashSecret(b), 'hex');
  return timingSafeEqual(x, y);
}

/** The principal a bearer token stands for, or undefined. */
export async function principalForToken(
  ctx: Ctx,
  adminToken: string | undefined,
  presented: string,
): Promise<Principal | undefined> {
  if (presented.length === 0 || presented.length > 512) return undefined;
  if (adminToken && sameSecret(presented, adminToken))
    return { kind: 'admin_token', scope: 'admin', name: 'admin', tokenId: null };
  const row = await store.findTokenByHash(ctx.db.sql, hashSecret(presented));
  if (!row) return undefined;
  await store.touchToken(ctx.db.sql, row.id, ctx.clock.now());
  return { kind: 'api_token', scope: row.scope, name: `token:${row.name}`, tokenId: row.id };
}

/** Opens a browser session for a principal; returns the cookie secret (only its hash is stored). */
export async function openSession(
  ctx: Ctx,
  principal: Principal,
  ttlHours: number,
): Promise<{ secret: string; csrf: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await store.deleteExpiredSessions(ctx.db.sql, now);
  await store.insertSession(ctx.db.sql, {
    idHash: hashSecret(secret),
    tokenId: principal.tokenId,
    scope: principal.scope,
    csrf,
    now,
    expiresAt,
  });
  return { secret, csrf, expiresAt };
}

export async function principalForSession(ctx: Ctx, secret: string): Promise<Principal | undefined> {
  if (secret.length === 0 || secret.length > 200) return undefined;
  const idHash = hashSecret(secret);
  const row = await store.findLiveSession(ctx.db.sql, idHash, ctx.clock.now());
  if (!row) return undefined;
  return {
    kind: 'session',
    scope: row.scope,
    name: row.token_id ? `session:token ${row.token_id}` : 'session:admin',
    tokenId: row.token_id,
    session: { idHash, csrf: row.csrf_token },
  };
}

export async function closeSession(ctx: Ctx, secret: string): Promise<void> {
  await store.deleteSession(ctx.db.sql, hashSecret(secret));
}
