// Artifact files under CYBER_BRAIN_LOGS/run_<id>/. Writes are atomic (temp file in the same folder,
// fsync, rename, fsync the folder): a crash leaves no file or the whole file, never a partial one.
// Reads re-check that the resolved path stays inside the logs folder.
import { createHash, randomBytes } from 'node:crypto';
import {
  type Dirent,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../errors.ts';

const TEMP_MARK = '.partial-';

export function runFolder(logsDir: string, runId: number): string {
  return join(logsDir, `run_${runId}`);
}

/** A relative artifact path: plain names in sub-folders, no "..", no hidden or absolute parts. */
export function checkArtifactPath(path: string): string {
  const parts = path.split('/');
  const ok =
    path.length > 0 &&
    path.length <= 200 &&
    parts.every((p) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(p) && p !== '..' && !p.includes(TEMP_MARK));
  if (!ok)
    throw new AppError(
      400,
      'invalid_artifact_path',
      `artifact path "${path.slice(0, 80)}" is not a plain relative path`,
    );
  return path;
}

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

function fsyncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes content to run_<id>/<path> atomically; returns its size and sha256. */
export function writeArtifactFile(
  logsDir: string,
  runId: number,
  path: string,
  content: string | Uint8Array,
): WrittenFile {
  const target = join(runFolder(logsDir, runId), checkArtifactPath(path));
  const folder = dirname(target);
  mkdirSync(folder, { recursive: true });
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const temp = join(folder, `${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o640);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, Math.min(data.length - off, 1 << 20));
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(temp, target);
  fsyncFolder(folder);
  return { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

/** The absolute path of a recorded artifact, refused when it would leave the logs folder. */
export function resolveArtifactFile(logsDir: string, runId: number, path: string): string {
  const root = realpathSync(logsDir);
  const candidate = resolve(runFolder(root, runId), path);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new AppError(404, 'not_found', 'the artifact file is missing from the logs folder');
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') {
    throw new AppError(403, 'outside_logs_folder', 'the artifact path leaves the logs folder');
  }
  return real;
}

/** Removes temp files left by a crash mid-write (start-up housekeeping). Returns how many. */
export function removeStaleTempFiles(logsDir: string): number {
  let removed = 0;
  const walk = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (e.isFile() && e.name.startsWith(TEMP_MARK)) {
        rmSync(p, { force: true });
        removed++;
      }
    }
  };
  walk(logsDir, 0);
  return removed;
}
