// The logs and uploads folders must exist and be writable before anything runs: a report that cannot
// be written should stop the start, not fail hours later in a scheduled run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class FolderError extends Error {
  override name = 'FolderError';
}

/** Creates the folder if missing and proves it writable by writing and removing a probe file. */
export function ensureWritableFolder(variable: string, path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    throw new FolderError(`${variable}=${JSON.stringify(path)} cannot be created: ${reason(err)}`);
  }
  const probe = join(path, `.cyber-brain-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    throw new FolderError(`${variable}=${JSON.stringify(path)} is not writable: ${reason(err)}`);
  }
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'read-only file system';
    case 'EEXIST':
      return 'a file with that name exists';
    case 'ENOENT':
      return 'a part of the path does not exist and cannot be created';
    default:
      return code ?? 'unknown error';
  }
}
