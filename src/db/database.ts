// The database handle everything above src/db/ uses, identical for a real server and embedded PGlite.
import type { Sql } from 'postgres';

export type Backend = 'postgres' | 'embedded';

export interface Database {
  sql: Sql;
  backend: Backend;
  /** False in embedded mode: pglite-socket has one shared session, so LISTEN would block everything. */
  canListen: boolean;
  close(): Promise<void>;
  /** Embedded only, when this open created the database folder (always from the cluster shipped with the code). */
  created?: 'shipped cluster';
  /** Embedded only: the database files as a tarball (tests use it as a template). */
  dumpDataDir?: () => Promise<Blob>;
}
