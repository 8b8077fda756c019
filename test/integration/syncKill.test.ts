import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { seededRandom } from '../emulator/kit/faults.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  type GmailSnapshotMessage,
  googleConfigFor,
  indexAsGmailSnapshot,
  normalizeSnapshot,
  providerEnvFor,
} from '../support/emulatorAccounts.ts';
import { CLI } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
const MESSAGES = 20_000;

/**
 * The crash-safety promise of the sync engine: every page is committed with
 * its cursor, so a process killed at any instant (SIGKILL: no cleanup, no
 * finally blocks) resumes and ends with exactly the mailbox, nothing lost and
 * nothing twice.
 */
describe('a 20,000-message full sync killed with SIGKILL at random points', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let accountId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: MESSAGES },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    const engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
    });
    try {
      const account = await engine.providers.forConnect('google').connect({
        openBrowser: autoConsentBrowser,
      });
      accountId = account.id;
    } finally {
      await engine.close();
    }
    env = { ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' };
  }, 120_000);
  afterAll(async () => {
    await emulator?.stop();
    dir.remove();
  });

  const startSync = (): ChildProcess =>
    spawn(process.execPath, [CLI, 'sync', '--full', '--data-dir', dir.path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });

  const storedCount = () => {
    const db = openIndex(indexPath(dir.path));
    try {
      return (db.prepare('SELECT count(*) AS n FROM messages WHERE account_id = ?').get(accountId) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('resumes after every kill and ends with the index equal to the mailbox, no duplicates', async () => {
    const rng = seededRandom(20261123);
    const progress: number[] = [];
    for (let kill = 0; kill < 4; kill++) {
      const child = startSync();
      const exited = once(child, 'exit');
      // Let it get into the thick of it: past start-up and its first committed page (however slow
      // the machine), then a random moment in the middle of pages and batches.
      const before = progress.at(-1) ?? 0;
      for (let waited = 0; waited < 60_000 && storedCount() <= before && child.exitCode === null; waited += 200)
        await new Promise((resolve) => setTimeout(resolve, 200));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(rng() * 1_500)));
      child.kill('SIGKILL');
      const [, signal] = (await exited) as [number | null, string | null];
      // A run that already finished would exit 0 instead; then later rounds just resume nothing.
      if (signal !== 'SIGKILL') break;
      progress.push(storedCount());
    }
    console.log(`messages stored after each kill: ${progress.join(', ')}`);
    // Killed several times, mid-sync (not before the first page, not after the last).
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toBeGreaterThan(0);
    expect(progress.at(-1)).toBeLessThan(MESSAGES);
    // Each resumed run keeps what the killed one committed (nothing is wiped and redone from zero).
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] ?? 0);

    const final = startSync();
    let stderr = '';
    final.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(final, 'exit')) as [number];
    expect(code, stderr).toBe(0);

    const snapshot = (await emulatorControl(emulator)('/snapshot')) as {
      google: Record<string, { messages: GmailSnapshotMessage[] }>;
    };
    const remote = normalizeSnapshot(snapshot.google[USER]?.messages ?? []);
    expect(remote.length).toBeGreaterThanOrEqual(MESSAGES);

    const db = openIndex(indexPath(dir.path));
    try {
      expect(indexAsGmailSnapshot(db, accountId)).toEqual(remote);
      const duplicates = db
        .prepare(
          `SELECT count(*) AS n FROM (SELECT remote_id FROM messages WHERE account_id = ? GROUP BY remote_id HAVING count(*) > 1)`,
        )
        .get(accountId) as { n: number };
      expect(duplicates.n).toBe(0);
      // Thread aggregates agree with their messages after all the interruptions.
      const drift = db
        .prepare(
          `SELECT count(*) AS n FROM threads t
            WHERE t.account_id = ?
              AND (t.message_count != (SELECT count(*) FROM messages m WHERE m.thread_id = t.id)
                OR t.unread_count != (SELECT count(*) FROM messages m WHERE m.thread_id = t.id AND m.is_unread = 1))`,
        )
        .get(accountId) as { n: number };
      expect(drift.n).toBe(0);
    } finally {
      db.close();
    }
  }, 300_000);
});
