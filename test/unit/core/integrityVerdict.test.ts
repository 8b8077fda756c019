import { copyFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine } from '../../../main/core/engine.ts';
import { assessIndex, cleanVerdictPath } from '../../../main/core/indexCondition.ts';
import { silentLog } from '../../../main/core/log.ts';
import { blobsDir, indexPath } from '../../../main/core/paths.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { importRawMessages } from '../../../main/mail/importRawMessages.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';
import { writeRandomBytesIntoMiddle } from '../../support/damageIndex.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/**
 * The integrity check before opening (PRAGMA quick_check on indexes up to
 * 32 MiB) is paid once per state of the index file: a clean verdict is kept
 * beside it, keyed by the index's and its WAL's identity, and a command on the
 * unchanged index skips the check. Whether the check ran is what assessIndex
 * answers (`report` present), not how long it took.
 */
describe('the integrity check before opening reuses a clean verdict for an unchanged index', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  async function smallIndex(): Promise<string> {
    const temp = makeTempDir();
    dirs.push(temp);
    const db = openIndex(indexPath(temp.path));
    const account = ensureAccount(db, 'gmail', 'me@example.test');
    const raws = loadCorpus()
      .slice(0, 200)
      .map((m) => m.raw);
    await importRawMessages(db, new BlobStore(db, blobsDir(temp.path)), account.id, raws, { attachmentSizeCap: 25 * 2 ** 20 });
    db.close();
    return temp.path;
  }

  it('checks once, then skips the check while nothing about the file changes', async () => {
    const dataDir = await smallIndex();
    const first = assessIndex(dataDir);
    expect(first).toMatchObject({ damage: null, checked: true, reused: false });
    expect(first.report?.ok).toBe(true);
    expect(statSync(cleanVerdictPath(dataDir)).mode & 0o777).toBe(0o600);

    const second = assessIndex(dataDir);
    expect(second).toMatchObject({ damage: null, checked: true, reused: true });
    expect(second.report).toBeUndefined();
  });

  it('checks again once the index is written to (main file or WAL)', async () => {
    const dataDir = await smallIndex();
    assessIndex(dataDir);
    const db = openIndex(indexPath(dataDir));
    try {
      ensureAccount(db, 'gmail', 'other@example.test');
      // The writer is still open: the change is in the WAL only.
      const withWal = assessIndex(dataDir);
      expect(withWal.reused).toBe(false);
      expect(withWal.report?.ok).toBe(true);
      expect(assessIndex(dataDir).reused).toBe(true);
    } finally {
      db.close();
    }
    // Closing checkpoints the WAL into the main file and removes it.
    expect(assessIndex(dataDir).reused).toBe(false);
  });

  it('finds damage written after a clean verdict, even when the file keeps its size and modification time', async () => {
    const dataDir = await smallIndex();
    const index = indexPath(dataDir);
    expect(assessIndex(dataDir).damage).toBeNull();
    expect(assessIndex(dataDir).reused).toBe(true);
    const { atime, mtime } = statSync(index);
    writeRandomBytesIntoMiddle(index);
    utimesSync(index, atime, mtime);
    const damaged = assessIndex(dataDir);
    expect(damaged.reused).toBe(false);
    expect(damaged.damage?.message).toMatch(/is damaged .*run outpost repair$/);
    // And every later opening refuses (the damage note), never a stale clean verdict.
    expect(assessIndex(dataDir).damage).toEqual(damaged.damage);
  });

  it('a verdict about another file (a backup copied over the index) is not reused', async () => {
    const dataDir = await smallIndex();
    assessIndex(dataDir);
    const other = await smallIndex();
    copyFileSync(indexPath(other), indexPath(dataDir));
    expect(assessIndex(dataDir).reused).toBe(false);
  });

  it('an engine (sync, serve) that opened a clean index and met no damage leaves the verdict for what it wrote', async () => {
    const dataDir = await smallIndex();
    const engine = openEngine({ log: silentLog, dataDir, providers: { google: null, microsoft: null } });
    ensureAccount(engine.db, 'gmail', 'other@example.test');
    await engine.close();
    expect(assessIndex(dataDir)).toMatchObject({ damage: null, reused: true });
  });

  it('an engine that opened an index too large to check leaves no verdict', async () => {
    const dataDir = await smallIndex();
    process.env.OUTPOST_INTEGRITY_CHECK_MAX_BYTES = '0';
    let engine: ReturnType<typeof openEngine>;
    try {
      engine = openEngine({ log: silentLog, dataDir, providers: { google: null, microsoft: null } });
    } finally {
      delete process.env.OUTPOST_INTEGRITY_CHECK_MAX_BYTES;
    }
    expect(engine.indexChecked).toBe(false);
    ensureAccount(engine.db, 'gmail', 'other@example.test');
    await engine.close();
    expect(assessIndex(dataDir).reused).toBe(false);
  });

  it('an unreadable verdict file is ignored: the index is checked', async () => {
    const dataDir = await smallIndex();
    assessIndex(dataDir);
    writeFileSync(cleanVerdictPath(dataDir), '{ not json');
    expect(assessIndex(dataDir).reused).toBe(false);
    expect(assessIndex(dataDir).reused).toBe(true);
  });
});
