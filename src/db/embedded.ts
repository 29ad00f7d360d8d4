// Embedded PostgreSQL: PGlite persisted in a folder, served by pglite-socket on a private unix socket so
// the rest of the app talks to it through postgres.js exactly as it talks to a real server.
// pglite-socket serialises everything into one session, so exactly ONE client connection is used and
// nothing may LISTEN (the in-process event bus carries notifications instead).
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Database } from './database.ts';
import { clusterSeedTar } from './cluster-seed.ts';
import { acquireFolderLock } from './folder-lock.ts';
import { pgliteRuntimeFiles } from './pglite-files.ts';
import { extractTar } from './tar.ts';
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
  /** Called before a new data folder's cluster is made, so the caller can say what a slow first start is doing. */
  onCreating?: (dataDir: string) => void;
}

/**
 * Makes the cluster of a new data folder by unpacking the one shipped with the code (no initdb, no
 * second PGlite instance). It is unpacked beside the folder and renamed into place, so a first start cut
 * short leaves no half-made database behind, only a leftover that the next start replaces.
 */
async function createCluster(dataDir: string): Promise<void> {
  if (readdirSync(dataDir).length > 0) {
    throw new Error(
      `${dataDir} holds files but no database (no PG_VERSION); move them away, or set CYBER_BRAIN_DATA to another folder`,
    );
  }
  const fresh = `${dataDir}.new`;
  rmSync(fresh, { recursive: true, force: true });
  extractTar(await clusterSeedTar(), fresh);
  rmSync(dataDir, { recursive: true });
  renameSync(fresh, dataDir);
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
    const base = { startParams: [...PGlite.defaultStartParams, ...SERVER_SETTINGS], ...(await pgliteRuntimeFiles()) };
    if (options.dataDir && !existsSync(join(options.dataDir, 'PG_VERSION'))) {
      options.onCreating?.(options.dataDir);
      await createCluster(options.dataDir);
      created = 'shipped cluster';
    }
    // An in-memory database (tests) starts from the given tarball, else from the shipped cluster: never initdb.
    const loadDataDir = options.dataDir ? undefined : (options.loadDataDir ?? new Blob([await clusterSeedTar()]));
    pg = await PGlite.create({ ...base, dataDir: options.dataDir, loadDataDir });
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
