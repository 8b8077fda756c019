import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrivateFile,
  looksPrivate,
  makePrivateDir,
  restrictWindowsAcl,
  tightenDataDir,
  windowsAclCommand,
} from '../../../main/core/privateFiles.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const modeOf = (path: string) => lstatSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('private files (POSIX modes)', () => {
  const dir = makeTempDir();
  let previousUmask: number;
  beforeAll(() => {
    previousUmask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(previousUmask);
    dir.remove();
  });

  it('tells whether a data directory needs the walk from its top and the folders under blobs/ alone', () => {
    const dataDir = join(dir.path, 'looks');
    makePrivateDir(join(dataDir, 'blobs', 'ab'));
    createPrivateFile(join(dataDir, 'index.sqlite'));
    createPrivateFile(join(dataDir, 'blobs', 'ab', 'ab01'));
    expect(looksPrivate(dataDir)).toBe(true);
    // A file deep inside a 0700 folder cannot be reached by others: no walk needed for it.
    chmodSync(join(dataDir, 'blobs', 'ab', 'ab01'), 0o644);
    expect(looksPrivate(dataDir)).toBe(true);
    chmodSync(join(dataDir, 'blobs', 'ab'), 0o755);
    expect(looksPrivate(dataDir)).toBe(false);
    tightenDataDir(dataDir);
    expect(looksPrivate(dataDir)).toBe(true);
    chmodSync(join(dataDir, 'index.sqlite'), 0o644);
    expect(looksPrivate(dataDir)).toBe(false);
  });

  it('creates directories 0700 and files 0600 under umask 022, and tightens existing ones', () => {
    const nested = join(dir.path, 'made', 'deeper');
    makePrivateDir(nested);
    expect(modeOf(nested)).toBe(0o700);
    const open = join(dir.path, 'open');
    mkdirSync(open, { mode: 0o755 });
    makePrivateDir(open);
    expect(modeOf(open)).toBe(0o700);

    const file = join(open, 'index.sqlite');
    createPrivateFile(file);
    expect(modeOf(file)).toBe(0o600);
    writeFileSync(file, 'kept');
    chmodSync(file, 0o644);
    createPrivateFile(file);
    expect(modeOf(file)).toBe(0o600);
    expect(statSync(file).size).toBe(4); // never truncated
  });

  it('an index made by openIndex, its WAL and SHM, and blobs are 0600', () => {
    const dataDir = join(dir.path, 'index');
    const db = openIndex(join(dataDir, 'index.sqlite'));
    try {
      const blobs = new BlobStore(db, join(dataDir, 'blobs'));
      const sha = blobs.put(Buffer.from('From: a@example.test\r\n\r\nhello'));
      expect(modeOf(dataDir)).toBe(0o700);
      for (const name of ['index.sqlite', 'index.sqlite-wal', 'index.sqlite-shm'])
        expect(modeOf(join(dataDir, name))).toBe(0o600);
      expect(modeOf(join(dataDir, 'blobs'))).toBe(0o700);
      expect(modeOf(join(dataDir, 'blobs', sha.slice(0, 2)))).toBe(0o700);
      expect(modeOf(blobs.pathOf(sha))).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('one walk tightens every directory and file, counts what it changed, and follows no link', () => {
    const root = join(dir.path, 'install');
    mkdirSync(join(root, 'blobs', 'ab'), { recursive: true, mode: 0o755 });
    chmodSync(root, 0o755);
    writeFileSync(join(root, 'index.sqlite'), '', { mode: 0o644 });
    writeFileSync(join(root, 'blobs', 'ab', 'abcd'), 'x', { mode: 0o644 });
    writeFileSync(join(root, 'vault.key'), 'k', { mode: 0o600 });
    const outside = join(dir.path, 'outside.txt');
    writeFileSync(outside, 'not ours', { mode: 0o644 });
    symlinkSync(outside, join(root, 'link'));

    const done = tightenDataDir(root);
    expect(done).toMatchObject({ directories: 3, files: 3, changed: 5, refused: [] });
    for (const path of [root, join(root, 'blobs'), join(root, 'blobs', 'ab')]) expect(modeOf(path)).toBe(0o700);
    for (const path of ['index.sqlite', 'vault.key', 'blobs/ab/abcd']) expect(modeOf(join(root, path))).toBe(0o600);
    expect(modeOf(outside)).toBe(0o644);
    expect(tightenDataDir(root).changed).toBe(0);
  });
});

describe('the data directory on Windows (icacls)', () => {
  it('limits the directory to the user, inherited by what is created inside', () => {
    expect(windowsAclCommand('C:\\Users\\ann\\AppData\\Roaming\\Outpost', 'PC\\ann')).toEqual({
      file: 'icacls',
      args: ['C:\\Users\\ann\\AppData\\Roaming\\Outpost', '/inheritance:r', '/grant:r', 'PC\\ann:(OI)(CI)F', '/q'],
    });
  });

  it('runs nothing on other platforms', () => {
    const calls: string[] = [];
    restrictWindowsAcl('/tmp/x', (file) => calls.push(file));
    expect(calls).toEqual(process.platform === 'win32' ? ['icacls'] : []);
  });

  it.skipIf(process.platform !== 'win32')(
    'leaves only the user in the ACL (runs on Windows only: icacls and ACLs do not exist on Linux or macOS)',
    () => {
      const dir = makeTempDir();
      try {
        restrictWindowsAcl(dir.path);
        const acl = execFileSync('icacls', [dir.path], { encoding: 'utf8' });
        expect(acl).not.toMatch(/Everyone|BUILTIN\\Users|Authenticated Users/);
        expect(acl).toMatch(/\(OI\)\(CI\)\(F\)/);
      } finally {
        dir.remove();
      }
    },
  );
});
