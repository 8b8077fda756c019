import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { openForInspection } from '../../main/db/integrity.ts';
import { listAccounts } from '../../main/db/queries/accounts.ts';
import { messageFingerprints } from '../../main/db/queries/blobInventory.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { writeRandomBytesAfterFirstPage, writeRandomBytesIntoMiddle } from '../support/damageIndex.ts';
import { autoConsentBrowser, googleConfigFor, providerEnvFor, runMailSync } from '../support/emulatorAccounts.ts';
import { type RunningServe, runCli, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** What a person would compare: every message's Message-ID and subject, and the accounts. */
function contents(dataDir: string) {
  const db = openForInspection(join(dataDir, 'index.sqlite'));
  try {
    const accounts = listAccounts(db);
    const gmail = accounts.find((a) => a.provider === 'gmail');
    const messages = messageFingerprints(db);
    return {
      messages: messages.map((m) => `${m.rfc822_message_id} ${m.subject}`),
      gmailMessages: messages.filter((m) => m.account_id === gmail?.id).map((m) => `${m.rfc822_message_id} ${m.subject}`),
      accounts: accounts.map((a) => `${a.provider} ${a.email}`),
    };
  } finally {
    db.close();
  }
}

const oneLine = (stderr: string) => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  return stderr.trimEnd();
};

describe('a damaged index is caught, never written, and repaired from the kept raw messages', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const index = join(dataDir, 'index.sqlite');
  let emulator: RunningEmulator;
  let before: ReturnType<typeof contents>;
  let damagedSha: string;
  let serve: RunningServe | undefined;

  beforeAll(async () => {
    process.umask(0o022);
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 400 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    // A real index: the Gmail user connected through the loopback flow and fully synced (raw messages kept).
    const engine = openEngine({
      log: silentLog,
      dataDir,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    try {
      const account = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
      expect(await runMailSync(engine, account.id, 'full')).toMatchObject({ status: 'succeeded' });
    } finally {
      await engine.close();
    }
    expect(existsSync(`${index}-wal`)).toBe(false);
    before = contents(dataDir);
    expect(before.messages.length).toBeGreaterThanOrEqual(400);
    // 32 KiB of random bytes into the middle of the file.
    writeRandomBytesIntoMiddle(index);
    damagedSha = sha256(index);
  }, 180_000);
  afterAll(async () => {
    await serve?.stop();
    await emulator?.stop();
    dir.remove();
  });

  it('search and accounts list refuse with one line and a non-zero exit, naming outpost repair', async () => {
    for (const args of [
      ['search', 'meeting'],
      ['accounts', 'list'],
    ]) {
      const run = await runCli([...args, '--data-dir', dataDir]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stdout).toBe('');
      expect(oneLine(run.stderr)).toMatch(/^outpost: the index .*index\.sqlite is damaged \(.+\); .*run outpost repair$/);
    }
    expect(sha256(index)).toBe(damagedSha);
  });

  it('import-mbox and session create refuse too, writing nothing', async () => {
    const mbox = join(dir.path, 'some.mbox');
    writeCorpusMbox(mbox, 3);
    for (const args of [
      ['import-mbox', mbox],
      ['session', 'create'],
    ]) {
      const run = await runCli([...args, '--data-dir', dataDir]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(oneLine(run.stderr)).toMatch(/is damaged.*outpost repair/);
    }
    expect(sha256(index)).toBe(damagedSha);
  });

  it('serve says so in one line, reports the damage on /v1/health, answers index_corrupt elsewhere, and never rewrites the file', async () => {
    serve = await startServe(dataDir);
    const health = await fetch(`${serve.baseUrl}/v1/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      status: string;
      accounts: number | null;
      index_damage: { message: string; problems: string[] };
    };
    expect(body.status).toBe('damaged');
    expect(body.accounts).toBeNull();
    expect(body.index_damage.message).toMatch(/run outpost repair/);
    expect(body.index_damage.problems.length).toBeGreaterThan(0);
    const inbox = await fetch(`${serve.baseUrl}/v1/email/threads?label=inbox`, {
      headers: { authorization: 'Bearer ses_anything' },
    });
    expect(inbox.status).toBe(500);
    expect(await inbox.json()).toMatchObject({ code: 'index_corrupt', message: expect.stringMatching(/outpost repair/) });
    expect(inbox.headers.get('x-request-id')).toBeTruthy();
    // The UI is served, so its banner can tell.
    expect((await fetch(`${serve.baseUrl}/`)).status).toBe(200);
    expect(sha256(index)).toBe(damagedSha);
  });

  it('doctor reports the damage and the sizes, exiting non-zero', async () => {
    const run = await runCli(['doctor', '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^index +\d+\.\d (KiB|MiB) \(WAL/m);
    expect(run.stdout).toMatch(/^stored files +\d+ in blobs\//m);
    expect(run.stdout).toMatch(/^integrity +DAMAGED: /m);
    expect(oneLine(run.stderr)).toMatch(/run outpost repair/);
  });

  it('repair waits for serve to stop, then moves the file aside and gives back every message whose raw bytes were kept', async () => {
    const busy = await runCli(['repair', '--data-dir', dataDir]);
    expect(busy.code).toBe(1);
    expect(oneLine(busy.stderr)).toMatch(/outpost serve \(index damaged\)/);
    await serve?.stop();
    serve = undefined;

    const run = await runCli(['repair', '--data-dir', dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/moved to .*index\.sqlite\.damaged-/);
    expect(run.stdout).toMatch(/queued 2 full syncs/);
    const moved = readdirSync(dataDir).filter((name) => /^index\.sqlite\.damaged-[\dT-]+Z$/.test(name));
    expect(moved).toHaveLength(1);
    expect(sha256(join(dataDir, moved[0] as string))).toBe(damagedSha);
    expect((statSync(join(dataDir, moved[0] as string)).mode & 0o777).toString(8)).toBe('600');

    const after = contents(dataDir);
    expect(after.accounts).toEqual(expect.arrayContaining(before.accounts));
    expect(after.messages).toEqual(before.messages);
  });

  it('after the repair the index is healthy: doctor ok, serve serves it, nothing to repair again', async () => {
    const doctor = await runCli(['doctor', '--data-dir', dataDir]);
    expect(doctor.stderr).toBe('');
    expect(doctor.stdout).toMatch(/^integrity +ok/m);
    expect(doctor.stdout).toMatch(/^orphans +0 stored files/m);
    serve = await startServe(dataDir);
    const health = (await (await fetch(`${serve.baseUrl}/v1/health`)).json()) as { status: string; accounts: number };
    expect(health).toMatchObject({ status: 'ok', index_damage: null });
    expect(health.accounts).toBeGreaterThanOrEqual(1);
    await serve.stop();
    serve = undefined;
    const again = await runCli(['repair', '--data-dir', dataDir]);
    expect(again.stdout).toMatch(/intact/);
  });

  it('the full sync the repair queued brings the Gmail mailbox back from Google exactly (sign-in kept)', async () => {
    const started = Date.now();
    serve = await startServe(dataDir, [], {
      ...providerEnvFor(emulator.baseUrl),
      OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000',
    });
    const synced = async () => {
      const response = await fetch(`${serve?.baseUrl}/v1/accounts`, {
        headers: { authorization: `Bearer ${serve?.sessionToken}` },
      });
      const { data } = (await response.json()) as { data: Array<{ provider: string; last_synced_at: string | null }> };
      const gmail = data.find((a) => a.provider === 'gmail');
      return gmail?.last_synced_at ? Date.parse(gmail.last_synced_at) >= started : false;
    };
    await expect.poll(synced, { timeout: 120_000, interval: 250 }).toBe(true);
    await serve.stop();
    serve = undefined;
    expect(contents(dataDir).gmailMessages).toEqual(before.messages);
  }, 150_000);
});

describe('an empty (0-byte) index', () => {
  it('beside a vault key or stored files is damaged, not new', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const mbox = join(dir.path, 'a.mbox');
      writeCorpusMbox(mbox, 2);
      expect((await runCli(['import-mbox', mbox, '--data-dir', dataDir])).code).toBe(0);
      writeFileSync(join(dataDir, 'index.sqlite'), '');
      const list = await runCli(['accounts', 'list', '--data-dir', dataDir]);
      expect(list.code).toBe(1);
      expect(oneLine(list.stderr)).toMatch(/is damaged \(the index is empty \(0 bytes\) beside stored messages/);
      const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
      expect(imported.code).toBe(1);
      expect(statSync(join(dataDir, 'index.sqlite')).size).toBe(0);
    } finally {
      dir.remove();
    }
  });

  it('alone in its folder is a new index', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const mbox = join(dir.path, 'a.mbox');
      writeCorpusMbox(mbox, 2);
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'index.sqlite'), '');
      const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toMatch(/^imported 2 messages/);
    } finally {
      dir.remove();
    }
  });
});

describe('an index too large to check before opening', () => {
  it('a command whose query meets the damage says so in one line and writes it down for every later opening', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const mbox = join(dir.path, 'a.mbox');
      writeCorpusMbox(mbox, 30);
      expect((await runCli(['import-mbox', mbox, '--data-dir', dataDir])).code).toBe(0);
      // Every page after the schema's (page 1) is garbage: any table read fails.
      const index = join(dataDir, 'index.sqlite');
      writeRandomBytesAfterFirstPage(index);
      const damagedSha = sha256(index);
      const unchecked = await runCli(['accounts', 'list', '--data-dir', dataDir], { OUTPOST_INTEGRITY_CHECK_MAX_BYTES: '0' });
      expect(unchecked.code).toBe(1);
      expect(oneLine(unchecked.stderr)).toMatch(
        /^outpost: the index .* is damaged \(.*SQLITE_CORRUPT.*\); .*run outpost repair$/,
      );
      const later = await runCli(['search', 'anything', '--data-dir', dataDir], { OUTPOST_INTEGRITY_CHECK_MAX_BYTES: '0' });
      expect(later.code).toBe(1);
      expect(oneLine(later.stderr)).toBe(oneLine(unchecked.stderr));
      expect(sha256(index)).toBe(damagedSha);
    } finally {
      dir.remove();
    }
  });
});

describe('outpost doctor on a healthy data directory', () => {
  it('reports integrity ok, the sizes, orphaned files both ways and what can be reclaimed, exiting 0', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const mbox = join(dir.path, 'a.mbox');
      writeCorpusMbox(mbox, 5);
      expect((await runCli(['import-mbox', mbox, '--data-dir', dataDir])).code).toBe(0);
      const clean = await runCli(['doctor', '--data-dir', dataDir]);
      expect(clean.stderr).toBe('');
      expect(clean.code).toBe(0);
      expect(clean.stdout).toMatch(/^integrity +ok \(quick_check, \d+ ms\)$/m);
      expect(clean.stdout).toMatch(/^stored files +5 in blobs\//m);
      expect(clean.stdout).toMatch(/^orphans +0 stored files no row names \(0\.0 KiB\), 0 rows whose file is missing$/m);
      expect(clean.stdout).toMatch(/^reclaimable +0 stored files/m);
      // One stored file deleted by hand, one stray file put in: both are found.
      const blobs = join(dataDir, 'blobs');
      const folder = readdirSync(blobs)[0] as string;
      rmSync(join(blobs, folder, readdirSync(join(blobs, folder))[0] as string));
      mkdirSync(join(blobs, 'ff'), { recursive: true });
      writeFileSync(join(blobs, 'ff', 'f'.repeat(64)), 'stray bytes');
      const found = await runCli(['doctor', '--data-dir', dataDir]);
      expect(found.code).toBe(0);
      expect(found.stdout).toMatch(/^orphans +1 stored files no row names \(0\.0 KiB\), 1 rows whose file is missing$/m);
    } finally {
      dir.remove();
    }
  });
});
