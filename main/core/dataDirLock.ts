import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirBusyError extends Error {
  readonly code = 'data_dir_busy';
  readonly port: number | null;
  constructor(message: string, port: number | null) {
    super(message);
    this.port = port;
  }
}

interface LockInfo {
  pid: number;
  port: number | null;
}

/**
 * One sync engine per data directory: two would claim the same jobs and
 * race on cursors. The lock file names the holder's pid (and API port); a
 * lock whose process is gone is stale and taken over.
 */
export function acquireDataDirLock(dataDir: string, port: number | null): { update(port: number): void; release(): void } {
  const path = join(dataDir, 'outpost.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, port } satisfies LockInfo));
      closeSync(fd);
      return {
        update(newPort: number) {
          const fdUpdate = openSync(path, 'w', 0o600);
          writeSync(fdUpdate, JSON.stringify({ pid: process.pid, port: newPort } satisfies LockInfo));
          closeSync(fdUpdate);
        },
        release() {
          try {
            if ((JSON.parse(readFileSync(path, 'utf8')) as LockInfo).pid === process.pid) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DataDirBusyError(
          `another Outpost (pid ${holder.pid}${holder.port ? `, API on 127.0.0.1:${holder.port}` : ''}) is using ${dataDir}`,
          holder.port,
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new DataDirBusyError(`cannot lock ${dataDir}`, null);
}

function readHolder(path: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
