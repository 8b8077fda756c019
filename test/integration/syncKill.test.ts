import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex, openIndexReadOnly } from '../../main/db/openIndex.ts';
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
/** Kill points by committed progress: the k-th kill once this share of the mailbox is in the index. */
const KILL_AT = [0.15, 0.33, 0.51, 0.69];
/** However loaded the machine, the kills and the final run end within this, or the test fails saying where it was. */
const LIMIT_MS = 420_000;
const TEST_MS = LIMIT_MS + 120_000;

/**
 * The crash-safety promise of the sync engine: every page is committed with
 * its cursor, so a process killed at any instant (SIGKILL: no cleanup, no
 * finally blocks) resumes and ends with exactly the mailbox, nothing lost and
 * nothing twice. Kill points are chosen by committed progress (the index read
 * read-only while the sync runs), never by wall time, so a slow or loaded
 * machine kills at the same stages, only later.
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
  }, 240_000);
  afterAll(async () => {
    reader?.close();
    await emulator?.stop();
    dir.remove();
  });

  const startSync = (): ChildProcess =>
    spawn(process.execPath, [CLI, 'sync', '--full', '--data-dir', dir.path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });

  /** Messages committed to the index, read through one read-only connection (no lock, no write; each read sees the last commit). */
  let reader: ReturnType<typeof openIndexReadOnly> = null;
  const storedCount = () => {
    reader ??= openIndexReadOnly(indexPath(dir.path));
    if (reader === null) throw new Error('the index is missing');
    return (reader.prepare('SELECT count(*) AS n FROM messages WHERE account_id = ?').get(accountId) as { n: number }).n;
  };

  it(
    'resumes after every kill and ends with the index equal to the mailbox, no duplicates',
    async () => {
      const startedAt = Date.now();
      const overLimit = () => Date.now() - startedAt > LIMIT_MS;
      const rng = seededRandom(20261123);
      const progress: number[] = [];
      const thresholds = KILL_AT.map((share) => Math.floor(MESSAGES * (share + rng() * 0.08)));
      for (const [round, threshold] of thresholds.entries()) {
        const child = startSync();
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const exited = once(child, 'exit');
        // Poll the index until this run has committed past the kill point (however slow the machine).
        let stored = storedCount();
        while (stored < threshold && child.exitCode === null && !overLimit()) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          stored = storedCount();
        }
        if (child.exitCode === null) child.kill('SIGKILL');
        const [code, signal] = (await exited) as [number | null, string | null];
        if (signal !== 'SIGKILL')
          throw new Error(
            `kill ${round + 1}: the sync exited (${code}) at ${stored} of ${threshold} messages before its kill point\n${stderr}`,
          );
        if (stored < threshold)
          throw new Error(
            `kill ${round + 1}: ${stored} of ${threshold} messages committed after ${Math.round((Date.now() - startedAt) / 1000)} s`,
          );
        progress.push(storedCount());
      }
      console.log(`kill points ${thresholds.join(', ')}: messages stored after each kill ${progress.join(', ')}`);
      // Killed at each point, mid-sync (past the point, short of the whole mailbox).
      for (const [round, stored] of progress.entries()) {
        expect(stored).toBeGreaterThanOrEqual(thresholds[round] as number);
        expect(stored).toBeLessThan(MESSAGES);
      }
      // Each resumed run keeps what the killed one committed (nothing is wiped and redone from zero).
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] ?? 0);

      const final = startSync();
      let stderr = '';
      final.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = once(final, 'exit');
      const limit = setTimeout(() => final.kill('SIGKILL'), Math.max(1, LIMIT_MS - (Date.now() - startedAt)));
      const [code, signal] = (await exited) as [number | null, string | null];
      clearTimeout(limit);
      expect(signal, `the final sync did not finish within ${LIMIT_MS / 1000} s of the test's start`).toBeNull();
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
    },
    TEST_MS,
  );
});
