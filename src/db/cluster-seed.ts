// A new, empty PGlite cluster made once (`bun scripts/cluster-seed.ts`) and shipped with the code, in the
// repository and inside the compiled binary alike: PGlite's initdb takes 5-8 s and peaks near 0.9 GB on a
// small machine, while unpacking the same cluster takes a fraction of a second and almost no memory. A
// cluster only suits the PGlite it was made by, so the version is recorded here and checked by a test.
import { PGlite } from '@electric-sql/pglite';
import seedPath from './pglite-cluster.tar.zst' with { type: 'file' };
import { pgliteRuntimeFiles } from './pglite-files.ts';

/** The PGlite release that made src/db/pglite-cluster.tar.zst (tests/unit/cluster-seed.test.ts compares). */
export const CLUSTER_SEED_PGLITE_VERSION = '0.5.16';

/** Where the seed file lives (a path inside the binary's own file system when compiled). */
export const CLUSTER_SEED_PATH = seedPath;

/** The shipped cluster as a plain tar archive of a data folder. */
export async function clusterSeedTar(): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(Bun.zstdDecompressSync(await Bun.file(seedPath).bytes()));
}

/** Creates a cluster in memory and returns it as a zstd-compressed tar archive (for the seed script). */
export async function makeClusterSeed(): Promise<Uint8Array> {
  const pg = await PGlite.create({ ...(await pgliteRuntimeFiles()) });
  try {
    const tar = new Uint8Array(await ((await pg.dumpDataDir('none')) as Blob).arrayBuffer());
    return Bun.zstdCompressSync(tar, { level: 19 });
  } finally {
    await pg.close();
  }
}
