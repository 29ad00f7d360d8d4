// Embedded PostgreSQL: PGlite persisted in a folder, served by pglite-socket on a private unix socket so
// the rest of the app talks to it through postgres.js exactly as it talks to a real server.
// pglite-socket serialises everything into one session, so exactly ONE client connection is used and
// nothing may LISTEN (the in-process event bus carries notifications instead).
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Database } from './database.ts';
import { shippedClusterSeed } from './cluster-seed.ts';
import { acquireFolderLock } from './folder-lock.ts';
import { pgliteRuntimeFiles } from './pglite-files.ts';
import { sharedOptions } from './types.ts';

/**
 * PostgreSQL's default 128 MB of shared buffers live in PGlite's WebAssembly memory and stay resident:
 * an appliance's database is a few megabytes, so 16 MB holds it and saves about 120 MB of RSS (and
 * half the open time). Its files are still cached by the operating system.
 */
const SERVER_SETTINGS = ['-c', 'shared_buffers=16MB'];

export interface EmbeddedOptions {
  /** Folder holding the database files; omitted = in memory (tests). */
  dataDir?: string;
  /** A tarball from PGlite's dumpDataDir to start from instead of an empty cluster (tests). */
  loadDataDir?: Blob;
}

export async function openEmbedded(options: EmbeddedOptions): Promise<Database> {
  let releaseLock = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireFolderLock(`${options.dataDir}.lock`, options.dataDir);
  }
  const socketDir = mkdtempSync(join(tmpdir(), 'cyber-brain-pg-'));
  chmodSync(socketDir, 0o700);
  const socketPath = join(socketDir, '.s.PGSQL.5432');
  let pg: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  let created: Database['created'];
  try {
    const creating = options.dataDir !== undefined && !existsSync(join(options.dataDir, 'PG_VERSION'));
    const seed = options.loadDataDir ?? (creating ? shippedClusterSeed() : undefined);
    const pgliteOptions = {
      dataDir: options.dataDir,
      loadDataDir: seed,
      startParams: [...PGlite.defaultStartParams, ...SERVER_SETTINGS],
      ...(await pgliteRuntimeFiles()),
    };
    pg = await PGlite.create(pgliteOptions);
    if (creating) {
      created = seed ? 'shipped cluster' : 'initdb';
      // Creating (or unpacking) the cluster leaves its set-up memory (about 350 MB) held by this
      // instance: start again on the new files, as every later start does.
      await pg.close();
      pg = await PGlite.create({ ...pgliteOptions, loadDataDir: undefined });
      // Hand back the garbage of that set-up now (a one-off at the first start) rather than whenever
      // the collector next runs, so an idle appliance does not sit on it.
      Bun.gc(true);
    }
    server = new PGLiteSocketServer({ db: pg, path: socketPath, maxConnections: 1 });
    await server.start();
  } catch (err) {
    await pg?.close().catch(() => {});
    rmSync(socketDir, { recursive: true, force: true });
    releaseLock();
    throw err;
  }
  const sql = postgres({
    path: socketPath,
    username: 'postgres',
    database: 'postgres',
    max: 1,
    ...sharedOptions,
  });
  let closed = false;
  return {
    sql,
    backend: 'embedded',
    canListen: false,
    created,
    async close() {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 }).catch(() => {});
      await server?.stop().catch(() => {});
      await pg?.close().catch(() => {});
      rmSync(socketDir, { recursive: true, force: true });
      releaseLock();
    },
    async dumpDataDir() {
      if (!pg) throw new Error('embedded database is not open');
      return (await pg.dumpDataDir('none')) as Blob;
    },
  };
}
