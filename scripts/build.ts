// `bun run build`: dist/cyber-brain, one executable made by `bun build --compile` from src/bin.ts.
// Inside it: the code, the web UI's static files and PGlite's WebAssembly and data files (both imported
// `with { type: 'file' }`), the SQL migrations (passed as extra entry points; src/db/migrate.ts reads
// them from Bun.embeddedFiles) and the new, empty database cluster of src/db/pglite-cluster.tar.zst
// (imported as a file by src/db/cluster-seed.ts, as from source). Code splitting keeps the light commands (healthcheck) from loading the server's modules.
//   bun scripts/build.ts [--outfile PATH]
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dir, '..');
const args = process.argv.slice(2);
let outfile = join(root, 'dist', 'cyber-brain');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--outfile' && args[i + 1]) outfile = resolve(args[++i]!);
  else {
    console.error(`unknown argument ${args[i]}\nusage: bun scripts/build.ts [--outfile PATH]`);
    process.exit(2);
  }
}

const migrations = readdirSync(join(root, 'sql'))
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => join('sql', f));
if (!migrations.length) {
  console.error('build: no migrations in sql/');
  process.exit(1);
}

const command = [
  process.execPath,
  'build',
  '--compile',
  '--splitting',
  // names kept, so a stack trace in a log line still says which function failed
  '--minify-whitespace',
  '--minify-syntax',
  // embedded files keep their names: the migration runner looks them up as NNNN_name.sql
  '--asset-naming=[name].[ext]',
  // ssh2 (dockerode's ssh:// transport) tries this optional native add-on and does without it; where it
  // is installed unbuilt (bun install --ignore-scripts in the Dockerfile) it must not be bundled
  '--external',
  'cpu-features',
  '--outfile',
  outfile,
  'src/bin.ts',
  ...migrations,
];
const started = performance.now();
const proc = Bun.spawnSync(command, { cwd: root, stdout: 'inherit', stderr: 'inherit' });
if (proc.exitCode !== 0) {
  console.error(`build: bun build failed (exit ${proc.exitCode})`);
  process.exit(1);
}
const size = Bun.file(outfile).size;
console.log(
  `build: ${relative(process.cwd(), outfile) || outfile} ${(size / 1048576).toFixed(1)} MiB in ${Math.round(performance.now() - started)} ms`,
);
