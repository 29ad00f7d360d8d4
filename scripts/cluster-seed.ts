// Remakes src/db/pglite-cluster.tar.zst, the empty database cluster every first start unpacks. Run it after
// changing the PGlite version, then set CLUSTER_SEED_PGLITE_VERSION in src/db/cluster-seed.ts to match
// (tests/unit/cluster-seed.test.ts fails until both agree).
//   bun scripts/cluster-seed.ts
import { join } from 'node:path';
import { makeClusterSeed } from '../src/db/cluster-seed.ts';

const out = join(import.meta.dir, '..', 'src', 'db', 'pglite-cluster.tar.zst');
const started = performance.now();
const seed = await makeClusterSeed();
await Bun.write(out, seed);
const version: string = (
  await Bun.file(join(import.meta.dir, '..', 'node_modules', '@electric-sql', 'pglite', 'package.json')).json()
).version;
console.log(
  `cluster-seed: ${out} ${(seed.length / 1048576).toFixed(2)} MiB for PGlite ${version} in ${Math.round(performance.now() - started)} ms`,
);
