// The database cluster shipped with the code: made by the PGlite installed here, unpacked whole by the
// tar reader, which refuses entries that would land outside the target folder.
import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_SEED_PGLITE_VERSION, clusterSeedTar } from '../../src/db/cluster-seed.ts';
import { extractTar } from '../../src/db/tar.ts';

const root = mkdtempSync(join(tmpdir(), 'cb-seed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A one-entry ustar archive. */
function tarOf(name: string, body: string, type = '0'): Uint8Array {
  const data = new TextEncoder().encode(body);
  const header = new Uint8Array(512);
  const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
  put(0, name);
  put(100, '0000644\0');
  put(124, `${data.length.toString(8).padStart(11, '0')}\0`);
  put(156, type);
  put(257, 'ustar\0');
  put(263, '00');
  const padded = Math.ceil(data.length / 512) * 512;
  const out = new Uint8Array(512 + padded + 1024);
  out.set(header, 0);
  out.set(data, 512);
  return out;
}

describe('the shipped cluster', () => {
  test('was made by the PGlite installed here (remake it with bun scripts/cluster-seed.ts after an upgrade)', async () => {
    const installed: string = (
      await Bun.file(
        join(import.meta.dir, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json'),
      ).json()
    ).version;
    expect(CLUSTER_SEED_PGLITE_VERSION).toBe(installed);
  });

  test('unpacks into a whole PostgreSQL 18 data folder', async () => {
    const dir = join(root, 'cluster');
    const files = extractTar(await clusterSeedTar(), dir);
    expect(files).toBeGreaterThan(500);
    expect(readFileSync(join(dir, 'PG_VERSION'), 'utf8').trim()).toBe('18');
    expect(existsSync(join(dir, 'global', 'pg_control'))).toBe(true);
    // a full WAL segment: PostgreSQL refuses a short one
    expect(statSync(join(dir, 'pg_wal', '000000010000000000000001')).size).toBe(16 * 1024 * 1024);
  });
});

describe('the tar reader', () => {
  test('writes a file with its contents', () => {
    const dir = join(root, 'plain');
    expect(extractTar(tarOf('/a/b.txt', 'hello'), dir)).toBe(1);
    expect(readFileSync(join(dir, 'a', 'b.txt'), 'utf8')).toBe('hello');
  });

  test('refuses an entry that climbs out of the target folder, and writes nothing outside it', () => {
    const dir = join(root, 'escape', 'inner');
    expect(() => extractTar(tarOf('../../outside.txt', 'x'), dir)).toThrow(/leaves the target folder/);
    expect(existsSync(join(root, 'outside.txt'))).toBe(false);
  });

  test('refuses links and other kinds it does not write', () => {
    expect(() => extractTar(tarOf('link', '', '2'), join(root, 'links'))).toThrow(/type "2"/);
  });

  test('refuses a cut-short archive', () => {
    const whole = tarOf('f.txt', 'x'.repeat(2000));
    expect(() => extractTar(whole.subarray(0, 1024), join(root, 'short'))).toThrow(/cut short/);
  });
});
