// SQL for API tokens and browser sessions (hashes only).
import type { Sql } from 'postgres';
import type { Scope } from '../auth/scope.ts';

export interface TokenRow {
  id: number;
  name: string;
  scope: Scope;
  token_hash: string;
  token_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertToken(
  sql: Sql,
  t: { name: string; scope: Scope; hash: string; prefix: string; now: Date },
): Promise<TokenRow> {
  const [row] = await sql<TokenRow[]>`
    insert into api_tokens (name, scope, token_hash, token_prefix, created_at)
    values (${t.name}, ${t.scope}, ${t.hash}, ${t.prefix}, ${t.now})
    returning *`;
  return row!;
}

export async function listTokens(sql: Sql): Promise<TokenRow[]> {
  return sql<TokenRow[]>`select * from api_tokens order by id desc limit 1000`;
}

export async function findTokenByHash(sql: Sql, hash: string): Promise<TokenRow | undefined> {
  const [row] = await sql<TokenRow[]>`select * from api_tokens where token_hash = ${hash} and revoked_at is null`;
  return row;
}

/** Records use at most once a minute per token, so reads do not turn every request into a write. */
export async function touchToken(sql: Sql, id: number, now: Date): Promise<void> {
  await sql`
    update api_tokens set last_used_at = ${now}
    where id = ${id} and (last_used_at is null or last_used_at < ${new Date(now.getTime() - 60_000)})`;
}

export async function revokeToken(sql: Sql, id: number, now: Date): Promise<TokenRow | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<TokenRow[]>`
      update api_tokens set revoked_at = coalesce(revoked_at, ${now}) where id = ${id} returning *`;
    if (row) await tx`delete from sessions where token_id = ${id}`;
    return row;
  });
}

export interface SessionRow {
  id_hash: string;
  token_id: number | null;
  scope: Scope;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
}

export async function insertSession(
  sql: Sql,
  s: { idHash: string; tokenId: number | null; scope: Scope; csrf: string; now: Date; expiresAt: Date },
): Promise<void> {
  await sql`
    insert into sessions (id_hash, token_id, scope, csrf_token, created_at, expires_at, last_seen_at)
    values (${s.idHash}, ${s.tokenId}, ${s.scope}, ${s.csrf}, ${s.now}, ${s.expiresAt}, ${s.now})`;
}

export async function findLiveSession(sql: Sql, idHash: string, now: Date): Promise<SessionRow | undefined> {
  const [row] = await sql<SessionRow[]>`select * from sessions where id_hash = ${idHash} and expires_at > ${now}`;
  return row;
}

export async function deleteSession(sql: Sql, idHash: string): Promise<void> {
  await sql`delete from sessions where id_hash = ${idHash}`;
}

export async function deleteExpiredSessions(sql: Sql, now: Date): Promise<number> {
  const rows = await sql`delete from sessions where expires_at < ${now} returning id_hash`;
  return rows.length;
}
