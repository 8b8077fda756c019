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

/** Every page after the first (the schema's) replaced by random bytes: any read of a table meets the damage. */
export function writeRandomBytesAfterFirstPage(path: string, pageSize = 4096): void {
  const fd = openSync(path, 'r+');
  try {
    const length = statSync(path).size - pageSize;
    writeSync(fd, randomBytes(length), 0, length, pageSize);
  } finally {
    closeSync(fd);
  }
}
