// Runs every benchmark in bench/ in turn (or the ones named): bun run bench [name...]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const wanted = process.argv.slice(2);
const all = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .sort();
for (const file of all) {
  const name = file.replace(/\.ts$/, '');
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`== ${name}`);
  const p = Bun.spawnSync(['bun', join(import.meta.dir, file)], {
    stdout: 'inherit',
    stderr: 'inherit',
    env: process.env,
  });
  if (p.exitCode !== 0) process.exitCode = 1;
}
