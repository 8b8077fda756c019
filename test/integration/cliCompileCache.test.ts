import { existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../main/cli/compileCache.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/** A data directory holding an index with two conversations about a meeting. */
function seedDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openIndex(join(dataDir, 'index.sqlite'));
  const { account } = seedAccount(db);
  writeMessages(db, account.id, [
    messageInput({ remoteId: 'a', subject: 'Budget meeting', bodyText: 'meeting notes', sentAt: Date.UTC(2024, 1, 1) }),
    messageInput({ remoteId: 'b', subject: 'Planning', bodyText: 'meeting room booked', sentAt: Date.UTC(2024, 1, 2) }),
  ]);
  db.close();
}

/** Every path under the compile cache with its permission bits. */
function cacheModes(dataDir: string): string[] {
  const modes: string[] = [];
  const walk = (path: string, name: string) => {
    const stat = lstatSync(path);
    modes.push(`${name} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry), `${name}/${entry}`);
  };
  walk(join(dataDir, 'cache'), 'cache');
  return modes;
}

// NODE_DEBUG_NATIVE=COMPILE_CACHE makes Node say on stderr which cache entries it read and accepted.
const traced = { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' };

describe("outpost commands start from Node's compile cache in the data directory", () => {
  const dir = makeTempDir();
  let expected: string;
  beforeAll(async () => {
    // What the search prints with no cache at all.
    seedDataDir(join(dir.path, 'reference'));
    const reference = await runCli(['search', 'meeting', '--data-dir', join(dir.path, 'reference')], {
      NODE_DISABLE_COMPILE_CACHE: '1',
    });
    expect(reference.code, reference.stderr).toBe(0);
    expected = reference.stdout;
    expect(expected).toMatch(/Budget meeting/);
  });
  afterAll(() => dir.remove());

  it('a second search reuses the code the first compiled, kept private (0700/0600), and prints the same', async () => {
    const dataDir = join(dir.path, 'cached');
    seedDataDir(dataDir);
    const first = await runCli(['search', 'meeting', '--data-dir', dataDir], traced);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(expected);
    expect(existsSync(compileCacheDir(dataDir))).toBe(true);
    const modes = cacheModes(dataDir);
    expect(modes.length).toBeGreaterThan(3);
    expect(modes.filter((m) => !/ (700|600)$/.test(m))).toEqual([]);

    const second = await runCli(['search', 'meeting', '--data-dir', dataDir], traced);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(expected);
    expect(second.stderr).toMatch(/cache for file:\/\/\S+\/searchCommand\/searchCommand\.js was accepted/);
    expect(second.stderr).toMatch(/cache for \S+better-sqlite3\S+ was accepted/);
  });

  it('a cache that cannot be made, or is damaged, changes nothing but speed', async () => {
    const blocked = join(dir.path, 'blocked');
    seedDataDir(blocked);
    writeFileSync(join(blocked, 'cache'), 'not a directory');
    const withoutCache = await runCli(['search', 'meeting', '--data-dir', blocked]);
    expect(withoutCache).toEqual({ code: 0, stdout: expected, stderr: '' });

    const damaged = join(dir.path, 'damaged');
    seedDataDir(damaged);
    expect((await runCli(['search', 'meeting', '--data-dir', damaged])).code).toBe(0);
    const versions = readdirSync(compileCacheDir(damaged));
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) {
      const entries = join(compileCacheDir(damaged), version);
      for (const entry of readdirSync(entries)) writeFileSync(join(entries, entry), Buffer.alloc(64, 0x5a));
    }
    expect(await runCli(['search', 'meeting', '--data-dir', damaged])).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('a read-only command where there is no data directory creates none for its cache', async () => {
    const missing = join(dir.path, 'missing');
    const result = await runCli(['search', 'meeting', '--data-dir', missing]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^nothing to search yet/);
    expect(existsSync(missing)).toBe(false);
  });
});
