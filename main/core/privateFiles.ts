import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A data directory is its user's alone, whatever the umask: directories
 * 0700, files 0600 (the index, its WAL and SHM, raw messages and
 * attachments, logs, the vault key and lock). On Windows the directory's ACL
 * is limited to the user instead (icacls), and what is created inside
 * inherits it.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const posix = process.platform !== 'win32';

/** Creates a directory (and its missing parents) only its owner may enter; an existing one is tightened. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (posix && (lstatSync(path).mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(path, PRIVATE_DIR_MODE);
}

/**
 * Creates `path` empty with mode 0600 unless it exists (then it is made
 * 0600). SQLite gives an index's -wal, -shm and -journal its main file's
 * mode, so the index is created here before SQLite opens it.
 */
export function createPrivateFile(path: string): void {
  const fd = openSync(path, 'a', PRIVATE_FILE_MODE);
  try {
    if (posix) fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

export interface Tightening {
  directories: number;
  files: number;
  /** Entries whose mode was changed. */
  changed: number;
  /** Entries whose mode could not be changed (another owner): their paths, relative to the data directory. */
  refused: string[];
  ms: number;
}

/**
 * One walk over the data directory: directories to 0700, files to 0600
 * (installs from before Outpost set modes itself, files copied in by hand).
 * Symbolic links are left alone, never followed. On Windows the ACL does
 * this job (restrictWindowsAcl).
 */
export function tightenDataDir(dataDir: string): Tightening {
  const started = performance.now();
  const result: Tightening = { directories: 0, files: 0, changed: 0, refused: [], ms: 0 };
  if (!posix) return result;
  const tighten = (path: string, relative: string, mode: number, current: number) => {
    if ((current & 0o777) === mode) return;
    try {
      chmodSync(path, mode);
      result.changed++;
    } catch {
      result.refused.push(relative || '.');
    }
  };
  const walk = (dir: string, relative: string) => {
    result.directories++;
    tighten(dir, relative, PRIVATE_DIR_MODE, lstatSync(dir).mode);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path, name);
      else if (entry.isFile()) {
        result.files++;
        tighten(path, name, PRIVATE_FILE_MODE, lstatSync(path).mode);
      }
    }
  };
  walk(dataDir, '');
  result.ms = performance.now() - started;
  return result;
}

/**
 * Whether a data directory already looks private without walking its files:
 * every entry at its top and every folder under blobs/ has Outpost's mode.
 * Everything Outpost writes is private from the start, and a file inside a
 * 0700 folder cannot be reached by anyone else whatever its own mode, so
 * once this holds the full walk (one lstat per stored file: 0.7 s at 100,000)
 * has nothing left to protect. An install from before Outpost set modes (or
 * loosened by hand) fails it and gets the walk.
 */
export function looksPrivate(dataDir: string): boolean {
  if (!posix) return true;
  const privateMode = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return true;
    return (stat.mode & 0o777) === (stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE);
  };
  if (!privateMode(dataDir)) return false;
  for (const entry of readdirSync(dataDir)) if (!privateMode(join(dataDir, entry))) return false;
  const blobs = join(dataDir, 'blobs');
  try {
    for (const entry of readdirSync(blobs)) if (!privateMode(join(blobs, entry))) return false;
  } catch {
    // No blobs yet.
  }
  return true;
}

/**
 * The icacls command that limits a directory to one user on Windows: the
 * inherited entries removed (/inheritance:r), full control granted to the
 * user alone, inherited by every file and folder created inside ((OI)(CI)).
 */
export function windowsAclCommand(dir: string, user: string): { file: string; args: string[] } {
  return { file: 'icacls', args: [dir, '/inheritance:r', '/grant:r', `${user}:(OI)(CI)F`, '/q'] };
}

/** Windows only: limits the data directory's ACL to the current user (a no-op elsewhere). */
export function restrictWindowsAcl(dataDir: string, run: (file: string, args: string[]) => void = runQuietly): void {
  if (process.platform !== 'win32') return;
  const domain = process.env.USERDOMAIN;
  const user = domain ? `${domain}\\${userInfo().username}` : userInfo().username;
  const { file, args } = windowsAclCommand(dataDir, user);
  run(file, args);
}

function runQuietly(file: string, args: string[]): void {
  execFileSync(file, args, { stdio: 'ignore', windowsHide: true });
}
