import { accessSync, closeSync, constants, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OutpostError } from './outpostError.ts';
import { makePrivateDir } from './privateFiles.ts';

export class DataDirBusyError extends OutpostError {
  /** The holder's API port, so a command can point at the running server. */
  readonly port: number | null;
  constructor(message: string, port: number | null) {
    super('data_dir_busy', message);
    this.port = port;
  }
}

interface LockInfo {
  pid: number;
  port: number | null;
  /** What holds it, for the one who is refused: "outpost serve", "outpost import-mbox", "the Outpost desktop app"... */
  what?: string;
}

export interface DataDirLock {
  update(port: number): void;
  release(): void;
}

/**
 * One writer per data directory: two sync engines would claim the same jobs
 * and race on cursors, and a writer beside a running engine (import-mbox,
 * repair) would change mail behind its back. The lock file names the
 * holder's pid, what it is and its API port; a lock whose process is gone is
 * stale and taken over.
 */
export function acquireDataDirLock(dataDir: string, port: number | null, what: string = thisProcess()): DataDirLock {
  ensureDataDir(dataDir);
  const path = join(dataDir, 'outpost.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, port, what } satisfies LockInfo));
      closeSync(fd);
      return {
        update(newPort: number) {
          const fdUpdate = openSync(path, 'w', 0o600);
          writeSync(fdUpdate, JSON.stringify({ pid: process.pid, port: newPort, what } satisfies LockInfo));
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
          `another Outpost (pid ${holder.pid}${holder.port ? `, API on 127.0.0.1:${holder.port}` : ''}) is using ${dataDir}${holder.what ? ` (${holder.what})` : ''}`,
          holder.port,
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new DataDirBusyError(`cannot lock ${dataDir}`, null);
}

/** Creates the data directory (only its owner may enter it) or says why it cannot be used. */
export function ensureDataDir(dataDir: string): void {
  try {
    makePrivateDir(dataDir);
  } catch (error) {
    throw new OutpostError(
      'index_unwritable',
      `cannot create data directory ${dataDir}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  if (!statSync(dataDir).isDirectory())
    throw new OutpostError('index_unwritable', `data directory ${dataDir} is not a directory`);
  try {
    accessSync(dataDir, constants.W_OK);
  } catch {
    throw new OutpostError('index_unwritable', `data directory ${dataDir} is not writable`);
  }
}

/** How this process is named in its lock when its caller does not say. */
function thisProcess(): string {
  return process.versions.electron ? 'the Outpost desktop app' : 'Outpost';
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
