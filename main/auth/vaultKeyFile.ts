import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

/**
 * The headless vault key: 32 random bytes in a file only the owner can read
 * (0600), created on first use. Electron supplies a safeStorage-protected
 * key instead (main/electron).
 */
export function loadOrCreateVaultKey(path: string): Buffer {
  if (!existsSync(path)) {
    const key = randomBytes(32);
    try {
      // 'wx' fails if another process created it first; then we read theirs.
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, key.toString('base64'));
      closeSync(fd);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`vault key file ${path} is damaged (expected 32 bytes of base64)`);
  return key;
}
