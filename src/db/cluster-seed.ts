// A new, empty PGlite cluster made at build time and shipped inside the compiled binary: PGlite's
// initdb takes 5-8 s on a small machine, unpacking the same cluster about 1.5 s. Only the binary has
// one (`bun scripts/build.ts` makes it); from source the first start runs initdb as before.
import { PGlite } from '@electric-sql/pglite';
import { pgliteRuntimeFiles } from './pglite-files.ts';

/** The file name inside the binary (scripts/build.ts keeps embedded names as they are). */
export const CLUSTER_SEED_NAME = 'pglite-cluster.tar.gz';

/** The shipped cluster as a gzipped tarball, or undefined outside the compiled binary. */
export function shippedClusterSeed(): Blob | undefined {
  return Bun.embeddedFiles.find((f) => (f as Blob & { name?: string }).name === CLUSTER_SEED_NAME);
}

/** Creates a cluster in memory and returns it as PGlite's gzipped data-folder tarball (for the build). */
export async function makeClusterSeed(): Promise<Blob> {
  const pg = await PGlite.create({ ...(await pgliteRuntimeFiles()) });
  try {
    return (await pg.dumpDataDir('gzip')) as Blob;
  } finally {
    await pg.close();
  }
}
