// The cluster shipped with the code (src/db/cluster-seed.ts) as a plain tarball, written once to a
// temporary file: tests start every embedded database from it, and seed data folders with it.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterSeedTar } from '../../src/db/cluster-seed.ts';

// Keyed by the installed PGlite version: a newer PGlite may not read an older cluster.
const pgliteVersion: string = (
  await Bun.file(join(import.meta.dir, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json')).json()
).version;
const templatePath = join(tmpdir(), `cyber-brain-test-pglite-${pgliteVersion}.tar`);
let pending: Promise<string> | undefined;

async function build(): Promise<string> {
  if (existsSync(templatePath)) return templatePath;
  const dump = await clusterSeedTar();
  const tmp = `${templatePath}.${process.pid}.tmp`;
  await Bun.write(tmp, dump);
  renameSync(tmp, templatePath);
  return templatePath;
}

/** Path of the cached tarball (built on first use). */
export function templateTarball(): Promise<string> {
  pending ??= build();
  return pending;
}

export async function templateBlob(): Promise<Blob> {
  return new Blob([await Bun.file(await templateTarball()).arrayBuffer()]);
}

/** Seeds an embedded data folder (CYBER_BRAIN_DATA) so a real process skips cluster creation. */
export async function seedDataFolder(dataDir: string): Promise<void> {
  const pgDir = join(dataDir, 'pg');
  mkdirSync(pgDir, { recursive: true });
  const r = Bun.spawnSync(['tar', '-xf', await templateTarball(), '-C', pgDir]);
  if (r.exitCode !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
}
