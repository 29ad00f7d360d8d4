// Migrations: plain numbered files in sql/, applied in order, each in its own transaction, recorded with
// a sha256 in schema_migrations. A session advisory lock serialises instances starting together.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from 'postgres';

export const SQL_DIR = join(import.meta.dir, '..', '..', 'sql');

/** Arbitrary constant shared by every instance; pg_advisory_lock keys are bigints. */
const MIGRATION_LOCK_KEY = 7_302_416_081n;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The migrations in a folder (sql/ by default), checked and ordered. */
export function loadMigrations(dir: string = SQL_DIR): MigrationFile[] {
  const names = readdirSync(dir).filter((entry) => entry.endsWith('.sql'));
  return parseMigrations(names.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') })));
}

/**
 * The migrations this build ships: inside the compiled binary they are embedded files (scripts/build.ts
 * passes sql/*.sql to `bun build --compile`), everywhere else the sql/ folder.
 */
export async function shippedMigrations(): Promise<MigrationFile[]> {
  const embedded = Bun.embeddedFiles.filter((f) => (f as Blob & { name?: string }).name?.endsWith('.sql'));
  if (!embedded.length) return loadMigrations();
  return parseMigrations(
    await Promise.all(embedded.map(async (f) => ({ name: (f as Blob & { name: string }).name, text: await f.text() }))),
  );
}

/** Names, versions, checksums and order of migration files given as text. */
export function parseMigrations(entries: { name: string; text: string }[]): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const { name, text } of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const m = FILE_PATTERN.exec(name);
    if (!m) throw new MigrationError(`sql/${name}: migration files are named NNNN_name.sql (lowercase)`);
    files.push({ version: Number(m[1]), name, sql: text, checksum: checksumOf(text) });
  }
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.version === files[i - 1]!.version) {
      throw new MigrationError(
        `sql/${files[i]!.name} and sql/${files[i - 1]!.name} share version ${files[i]!.version}`,
      );
    }
  }
  return files;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function ensureTable(sql: Sql): Promise<void> {
  await sql`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`;
}

/** Refuses a database whose applied files changed or that is newer than this code. */
function verify(applied: AppliedRow[], files: MigrationFile[]): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationError(
        `the database has migration ${row.name} that this version does not have; run a Cyber-Brain at least as new as the one that applied it`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `sql/${file.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk); restore the file and put the change in a new migration`,
      );
    }
  }
}

/** Applies every pending file; returns the names applied (empty when up to date). */
export async function migrate(sql: Sql, files: MigrationFile[] = loadMigrations()): Promise<string[]> {
  const conn = await sql.reserve();
  const applied: string[] = [];
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    try {
      await ensureTable(conn);
      const rows = await conn<AppliedRow[]>`select version, name, checksum from schema_migrations order by version`;
      verify(rows, files);
      const done = new Set(rows.map((r) => r.version));
      for (const file of files) {
        if (done.has(file.version)) continue;
        await conn`begin`;
        try {
          await conn.unsafe(file.sql);
          await conn`insert into schema_migrations (version, name, checksum) values (${file.version}, ${file.name}, ${file.checksum})`;
          await conn`commit`;
        } catch (err) {
          await conn`rollback`.catch(() => {});
          throw new MigrationError(`sql/${file.name} failed: ${(err as Error).message}`);
        }
        applied.push(file.name);
      }
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.catch(() => {});
    }
  } finally {
    conn.release();
  }
  return applied;
}

/** Readiness: true when every file on disk is applied with the same checksum. */
export async function migrationsCurrent(sql: Sql, files: MigrationFile[]): Promise<boolean> {
  const rows = await sql<AppliedRow[]>`select version, name, checksum from schema_migrations`;
  const have = new Map(rows.map((r) => [r.version, r.checksum]));
  return files.every((f) => have.get(f.version) === f.checksum);
}
