import { randomBytes } from 'node:crypto';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';

/** Issue 18's damage: 32 KiB of random bytes written over the middle of a file (an index whose WAL is checkpointed). */
export function writeRandomBytesIntoMiddle(path: string, bytes = 32 * 1024): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, randomBytes(bytes), 0, bytes, Math.max(0, Math.floor(statSync(path).size / 2) - bytes / 2));
  } finally {
    closeSync(fd);
  }
}
