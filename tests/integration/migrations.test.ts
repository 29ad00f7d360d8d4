import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { openServer } from '../../src/db/connect.ts';
import {
  checksumOf,
  loadMigrations,
  migrate,
  migrationsCurrent,
  MigrationError,
  type MigrationFile,
} from '../../src/db/migrate.ts';
import { createServerDatabase, openEmptyDatabase, type TestDatabase } from '../support/db.ts';
import { hasRealServer, realServerUrl } from '../support/services.ts';

const file = (version: number, name: string, sql: string): MigrationFile => ({
  version,
  name: `${String(version).padStart(4, '0')}_${name}.sql`,
  sql,
  checksum: checksumOf(sql),
});

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openEmptyDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  test('the shipped files are numbered, unique and apply; a re-run is a no-op', async () => {
    const files = loadMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]!.name).toBe('0001_init.sql');
    const first = await migrate(db.sql, files);
    expect(first).toEqual(files.map((f) => f.name));
    expect(await migrate(db.sql, files)).toEqual([]);
    expect(await migrationsCurrent(db.sql, files)).toBe(true);
    const rows = await db.sql`select version, checksum from schema_migrations order by version`;
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
  });

  test('a file changed after it was applied is refused, and nothing else is applied', async () => {
    const shipped = loadMigrations();
    const changed = shipped.map((f, i) =>
      i === 0 ? { ...f, sql: f.sql + '\n-- edited', checksum: checksumOf(f.sql + '\n-- edited') } : f,
    );
    const extra = file(9001, 'never_applied', 'create table never_applied (x int);');
    const err = await migrate(db.sql, [...changed, extra]).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toContain('sql/0001_init.sql was changed after it was applied');
    const [{ n }] = await db.sql<
      [{ n: number }]
    >`select count(*)::int as n from information_schema.tables where table_name = 'never_applied'`;
    expect(n).toBe(0);
  });

  test('a database newer than the code is refused', async () => {
    const shipped = loadMigrations();
    await migrate(db.sql, [...shipped, file(9002, 'from_the_future', 'select 1;')]);
    const err = await migrate(db.sql, shipped).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toContain('9002_from_the_future.sql that this version does not have');
    await db.sql`delete from schema_migrations where version = 9002`;
  });

  test('a failing file rolls back whole and says which file', async () => {
    const shipped = loadMigrations();
    const broken = file(9003, 'broken', 'create table half_done (x int);\nselect no_such_function();');
    const err = await migrate(db.sql, [...shipped, broken]).catch((e) => e);
    expect(err.message).toStartWith('sql/9003_broken.sql failed:');
    const [{ n }] = await db.sql<
      [{ n: number }]
    >`select count(*)::int as n from information_schema.tables where table_name = 'half_done'`;
    expect(n).toBe(0);
    expect(await migrationsCurrent(db.sql, [...shipped, broken])).toBe(false);
  });
});

describe('two migrators on one real PostgreSQL server', () => {
  const enabled = hasRealServer('concurrent migrators');
  test.skipIf(!enabled)('both succeed and each file is applied once', async () => {
    const { url, drop } = await createServerDatabase(realServerUrl()!);
    const a = await openServer(url, 2);
    const b = await openServer(url, 2);
    try {
      // A slow first file widens the window in which both would apply it without the lock.
      const files = [
        file(1, 'slow', 'select pg_sleep(0.3); create table counter (n int);'),
        file(2, 'seed', 'insert into counter values (1);'),
      ];
      const [ra, rb] = await Promise.all([migrate(a.sql, files), migrate(b.sql, files)]);
      expect([...ra, ...rb].sort()).toEqual(['0001_slow.sql', '0002_seed.sql']);
      const [{ n }] = await a.sql<[{ n: number }]>`select count(*)::int as n from counter`;
      expect(n).toBe(1);
      const [{ m }] = await a.sql<[{ m: number }]>`select count(*)::int as m from schema_migrations`;
      expect(m).toBe(2);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
