import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/** Every path under `root` (itself included) with its permission bits, directories marked with a trailing slash. */
function modesUnder(root: string): Map<string, number> {
  const modes = new Map<string, number>();
  const walk = (path: string, name: string) => {
    const stat = lstatSync(path);
    modes.set(stat.isDirectory() ? `${name}/` : name, stat.mode & 0o777);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry), name ? `${name}/${entry}` : entry);
  };
  walk(root, '');
  return modes;
}

/** The entries whose mode lets anyone but the owner in: directories must be 0700, files 0600. */
function notPrivate(root: string): string[] {
  return [...modesUnder(root)]
    .filter(([name, mode]) => mode !== (name.endsWith('/') ? 0o700 : 0o600))
    .map(([name, mode]) => `${name || '.'} ${mode.toString(8)}`);
}

describe.skipIf(process.platform === 'win32')('the data directory is private whatever the umask', () => {
  const dir = makeTempDir();
  const mbox = join(dir.path, 'mail.mbox');
  let previousUmask: number;

  beforeAll(() => {
    // The usual umask: files 0644 and directories 0755 unless Outpost says otherwise.
    previousUmask = process.umask(0o022);
    writeCorpusMbox(mbox, 30);
  });
  afterAll(() => {
    process.umask(previousUmask);
    dir.remove();
  });

  it('an import and a running serve leave nothing readable by others: index, WAL, SHM, blobs, logs, lock, vault', async () => {
    const dataDir = join(dir.path, 'fresh');
    const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);
    const serve = await startServe(dataDir);
    try {
      // While serve runs, the WAL and SHM exist beside the index.
      const names = [...modesUnder(dataDir).keys()];
      for (const expected of [
        'index.sqlite',
        'index.sqlite-wal',
        'index.sqlite-shm',
        'outpost.lock',
        'vault.key',
        'blobs/',
        'logs/',
      ])
        expect(names).toContain(expected);
      expect(names.filter((n) => n.startsWith('blobs/') && !n.endsWith('/')).length).toBeGreaterThanOrEqual(30);
      expect(names.some((n) => /^logs\/outpost\.\d+\.log$/.test(n))).toBe(true);
      expect(notPrivate(dataDir)).toEqual([]);
    } finally {
      await serve.stop();
    }
    expect(notPrivate(dataDir)).toEqual([]);
  });

  it('the default data directory ($XDG_DATA_HOME/outpost) is private too', async () => {
    const home = join(dir.path, 'home');
    const env = { XDG_DATA_HOME: join(home, '.local', 'share'), HOME: home, OUTPOST_DATA_DIR: '' };
    const imported = await runCli(['import-mbox', mbox], env);
    expect(imported.code, imported.stderr).toBe(0);
    const dataDir = join(home, '.local', 'share', 'outpost');
    expect(existsSync(join(dataDir, 'index.sqlite'))).toBe(true);
    expect(notPrivate(dataDir)).toEqual([]);
  });

  it('an existing install with open modes is tightened when the engine starts', async () => {
    const dataDir = join(dir.path, 'older-install');
    expect((await runCli(['import-mbox', mbox, '--data-dir', dataDir])).code).toBe(0);
    // As an older Outpost left it: everything readable by the group and others, plus files Outpost did not write.
    const loosen = (path: string) => {
      const stat = lstatSync(path);
      chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
      if (stat.isDirectory()) for (const entry of readdirSync(path)) loosen(join(path, entry));
    };
    mkdirSync(join(dataDir, 'attachments', 'nested'), { recursive: true });
    writeFileSync(join(dataDir, 'attachments', 'nested', 'report.pdf'), 'pdf');
    loosen(dataDir);
    expect(notPrivate(dataDir).length).toBeGreaterThan(30);

    const serve = await startServe(dataDir);
    try {
      expect(notPrivate(dataDir)).toEqual([]);
    } finally {
      await serve.stop();
    }
  });
});
