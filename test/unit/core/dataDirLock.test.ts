import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirBusyError } from '../../../main/core/dataDirLock.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('the data directory lock', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('refuses a second holder while the first lives, naming its port', () => {
    writeFileSync(join(dir.path, 'outpost.lock'), JSON.stringify({ pid: process.ppid, port: 7766 }));
    expect(() => acquireDataDirLock(dir.path, null)).toThrow(DataDirBusyError);
    try {
      acquireDataDirLock(dir.path, null);
    } catch (error) {
      expect((error as DataDirBusyError).port).toBe(7766);
    }
  });

  it('names what holds it to whoever is refused', () => {
    const held = acquireDataDirLock(dir.path, null, 'outpost import-mbox');
    try {
      // Another process reading the same file (this process's own lock is its own, so pretend to be the parent).
      const info = JSON.parse(readFileSync(join(dir.path, 'outpost.lock'), 'utf8'));
      expect(info).toMatchObject({ pid: process.pid, what: 'outpost import-mbox' });
      writeFileSync(join(dir.path, 'outpost.lock'), JSON.stringify({ ...info, pid: process.ppid, port: 7766 }));
      expect(() => acquireDataDirLock(dir.path, null)).toThrow(
        new RegExp(
          `another Outpost \\(pid ${process.ppid}, API on 127\\.0\\.0\\.1:7766\\) is using .* \\(outpost import-mbox\\)$`,
        ),
      );
    } finally {
      held.release();
    }
  });

  it('takes over a lock whose process is gone, and releases its own', () => {
    writeFileSync(join(dir.path, 'outpost.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1 }));
    const lock = acquireDataDirLock(dir.path, 5000);
    lock.release();
    acquireDataDirLock(dir.path, null).release();
  });
});
