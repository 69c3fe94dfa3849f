/**
 * One engine per data directory: a lock file holding the owner's process id. A lock left behind by a process that
 * no longer runs (a crash, `kill -9`) is taken over; one held by a running process refuses the start.
 * Never touches the database itself.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface DataDirLock {
  release(): void;
}

export const lockDataDir = (dir: string): DataDirLock => {
  const path = join(dir, 'argyll.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new Error(`data directory ${dir} is in use by another engine (process ${owner})`);
      }
      unlinkSync(path);
    }
  }
  throw new Error(`cannot lock data directory ${dir}`);
};
