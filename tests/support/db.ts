// A fresh, migrated database per test file, on whichever backend this run uses: the PostgreSQL server
// in DATABASE_URL (a new database inside it), or embedded PGlite (a new in-memory cluster).
import postgres from 'postgres';
import { openServer } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/database.ts';
import { openEmbedded } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { templateBlob } from './embedded-template.ts';

export interface TestDatabase extends Database {
  /** Set on the server backend: a URL other processes can use to reach this same database. */
  url?: string;
}

export function backendUnderTest(): 'postgres' | 'embedded' {
  return process.env.DATABASE_URL ? 'postgres' : 'embedded';
}

function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database on the server and returns its URL and a drop function. */
export async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cb_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return {
    url: databaseUrl(serverUrl, name),
    drop: async () => {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** An empty database (no migrations applied). */
export async function openEmptyDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openEmbedded({ loadDataDir: await templateBlob() });
  const { url, drop } = await createServerDatabase(serverUrl);
  const db = await openServer(url, 4);
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await drop();
    },
  };
}

/** A fresh database with every migration applied. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const db = await openEmptyDatabase();
  await migrate(db.sql);
  return db;
}
