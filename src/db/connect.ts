// Opens the configured database: the PostgreSQL server in DATABASE_URL, else embedded PGlite.
import { join } from 'node:path';
import postgres from 'postgres';
import type { Database } from './database.ts';
import { openEmbedded } from './embedded.ts';
import { sharedOptions } from './types.ts';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  onCreating?: (dir: string) => void;
}): Promise<Database> {
  if (!options.databaseUrl)
    return openEmbedded({ dataDir: join(options.dataDir, 'pg'), onCreating: options.onCreating });
  return openServer(options.databaseUrl);
}

/** Connects to a PostgreSQL server and proves it answers; the error names the host, never the password. */
export async function openServer(url: string, max = 10): Promise<Database> {
  let where = 'the server';
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    throw new DatabaseUnavailableError('DATABASE_URL is not a valid URL');
  }
  const sql = postgres(url, { max, connect_timeout: 10, ...sharedOptions });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const e = err as NodeJS.ErrnoException;
    throw new DatabaseUnavailableError(
      `cannot reach PostgreSQL at ${where}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' '),
    );
  }
  return {
    sql,
    backend: 'postgres',
    canListen: true,
    async close() {
      await sql.end({ timeout: 5 }).catch(() => {});
    },
  };
}
