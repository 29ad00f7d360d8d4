// An exclusive lock file for the embedded database folder: two processes opening the same PGlite folder
// would corrupt it, so the second one stops with a clear message instead.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export class FolderLockedError extends Error {
  override name = 'FolderLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws; returns the function that releases it. A lock left by a dead process is taken over. */
export function acquireFolderLock(lockPath: string, folder: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new FolderLockedError(
          `the embedded database in ${folder} is in use by another process (pid ${owner}); stop it or set CYBER_BRAIN_DATA to another folder`,
        );
      }
      rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new FolderLockedError(`could not lock ${lockPath}`);
}
