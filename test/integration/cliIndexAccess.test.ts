import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { latestSchemaVersion, migrations } from '../../main/db/migrations/index.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/** An index as the previous Outpost left it: one schema version behind, WAL mode, an account in it. */
function writeOlderIndex(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'index.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of migrations.filter((m) => m.version < latestSchemaVersion)) m.up(db);
  db.pragma(`user_version = ${latestSchemaVersion - 1}`);
  db.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'local', 'me@example.test', 0)").run();
  db.close();
  return path;
}

function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** A process that stays alive holding the data directory's lock, as a running `outpost serve` does. */
function holdLock(dataDir: string): ChildProcess {
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  writeFileSync(join(dataDir, 'outpost.lock'), JSON.stringify({ pid: holder.pid, port: 4567 }));
  return holder;
}

const expectOneLineError = (result: { code: number; stderr: string }, pattern: RegExp) => {
  expect(result.code).not.toBe(0);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^outpost: /);
  expect(result.stderr).toMatch(pattern);
};

describe('commands that run no engine open the index only as far as they need', () => {
  const dir = makeTempDir();
  const holders: ChildProcess[] = [];
  afterEach(() => {
    for (const holder of holders.splice(0)) holder.kill();
  });
  afterAll(() => dir.remove());

  it('read-only commands leave an older index as it was and say why they stop, in one line', async () => {
    const dataDir = join(dir.path, 'older');
    const path = writeOlderIndex(dataDir);
    const bytes = readFileSync(path);
    for (const args of [['search', 'hello'], ['agenda'], ['accounts', 'list'], ['keys', 'list']]) {
      const result = await runCli([...args, '--data-dir', dataDir]);
      expectOneLineError(result, /from an older Outpost .*run outpost serve or outpost sync once to upgrade it/);
      expect(result.stdout, args.join(' ')).toBe('');
    }
    expect(userVersion(path)).toBe(latestSchemaVersion - 1);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('read-only commands create no index where there is none, and say there is nothing yet', async () => {
    const dataDir = join(dir.path, 'none');
    const run = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);
    expect(await run('accounts', 'list')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no accounts/) });
    expect(await run('search', 'hello')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^nothing to search yet/) });
    expect(await run('agenda')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^no calendars yet/) });
    expect(await run('keys', 'list')).toMatchObject({ code: 0, stdout: '' });
    expect(existsSync(join(dataDir, 'index.sqlite'))).toBe(false);
  });

  it('a writing command does not upgrade the index while another Outpost holds the data directory', async () => {
    const dataDir = join(dir.path, 'busy');
    const path = writeOlderIndex(dataDir);
    const bytes = readFileSync(path);
    const holder = holdLock(dataDir);
    holders.push(holder);
    for (const args of [
      ['keys', 'create', '--name', 'script', '--scope', 'read:email'],
      ['session', 'create'],
    ]) {
      const result = await runCli([...args, '--data-dir', dataDir]);
      expectOneLineError(
        result,
        new RegExp(`needs an upgrade .*another Outpost \\(pid ${holder.pid}, API on 127\\.0\\.0\\.1:4567\\)`),
      );
      expect(result.stdout).toBe('');
    }
    expect(userVersion(path)).toBe(latestSchemaVersion - 1);
    expect(readFileSync(path).equals(bytes)).toBe(true);

    // Once the holder is gone, the same command upgrades the index and does its work.
    holder.kill();
    await new Promise((resolve) => holder.once('exit', resolve));
    const created = await runCli(['keys', 'create', '--name', 'script', '--scope', 'read:email', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^wbk_/);
    expect(userVersion(path)).toBe(latestSchemaVersion);
    expect(existsSync(join(dataDir, 'outpost.lock'))).toBe(false);
  });

  it('a writing command needs no lock on an index that is up to date (a running serve keeps serving)', async () => {
    const dataDir = join(dir.path, 'current');
    expect((await runCli(['keys', 'create', '--name', 'first', '--scope', 'admin', '--data-dir', dataDir])).code).toBe(0);
    holders.push(holdLock(dataDir));
    const created = await runCli(['keys', 'create', '--name', 'second', '--scope', 'read:email', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    expect((await runCli(['keys', 'list', '--data-dir', dataDir])).stdout.trimEnd().split('\n')).toHaveLength(2);
  });
});
