import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex, openIndexReadOnly } from '../../main/db/openIndex.ts';
import { listAccounts, updateAccountSettings } from '../../main/db/queries/accounts.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { autoConsentBrowser, googleConfigFor, microsoftConfigFor, providerEnvFor } from '../support/emulatorAccounts.ts';
import { deliverToGmailInbox } from '../support/gmailDelivery.ts';
import { type RunningServe, runCli, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

function sessionCount(dataDir: string): number {
  const db = openIndexReadOnly(indexPath(dataDir));
  if (!db) throw new Error('no index');
  try {
    return (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The last progress line `outpost sync` printed (not a TTY: plain lines) for an account. */
function lastLineOf(stderr: string, email: string): string {
  const lines = stderr.split('\n').filter((line) => line.includes(email));
  if (lines.length === 0) throw new Error(`no progress line for ${email}:\n${stderr}`);
  return lines[lines.length - 1] as string;
}

/**
 * `outpost sync` as a person at a terminal (or a script) sees it: a progress
 * line per account with the mailbox's total for Gmail and Outlook alike, its
 * rate and the time left, the summary unchanged; and while `outpost serve`
 * runs, the running server syncs instead of the command refusing.
 */
describe('outpost sync: progress with totals, and syncing through a running serve', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let serve: RunningServe | null = null;

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 300 } });
    const engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    try {
      await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
      await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    } finally {
      await engine.close();
    }
    env = { ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' };
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
    await emulator?.stop();
    dir.remove();
  });

  it('shows each account done/total messages with rate and time left, Outlook included, and the same summary', async () => {
    const result = await runCli(['sync', '--data-dir', dir.path], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^synced 2 account\(s\): \d+ messages, \d+ threads, \d+ deleted\n$/);
    for (const email of ['alice@gmail.test', 'bob@contoso.test']) {
      const line = lastLineOf(result.stderr, email);
      // The whole mailbox: done equals the total the provider announced at the start.
      const [, done, total] = /(\d+)\/(\d+) messages/.exec(line) ?? [];
      expect(Number(total), line).toBeGreaterThan(0);
      expect(done, line).toBe(total);
      expect(line).toMatch(/\d+ msg\/s/);
    }
    // While it ran: lines with the time left.
    expect(result.stderr).toMatch(/bob@contoso\.test.*\d+\/\d+ messages.*\d+ msg\/s/);
    expect(result.stderr).toMatch(/left|done/);
  }, 300_000);

  it('while outpost serve runs, asks it to sync, follows its progress, and the new mail is in the index', async () => {
    // Both accounts sync only when asked, so serve syncs nothing on its own: the sync below is the one that brings the mail.
    const db = openIndex(indexPath(dir.path));
    try {
      for (const account of listAccounts(db)) updateAccountSettings(db, account.id, { email_sync: 0, calendar_sync: 0 });
    } finally {
      db.close();
    }
    serve = await startServe(dir.path, [], env);
    const headers = { authorization: `Bearer ${serve.sessionToken}` };
    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${serve?.baseUrl}${path}`, { headers });
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    };
    const subject = `Arrived while serve ran ${Date.now()}`;
    await deliverToGmailInbox(emulator, 'alice@gmail.test', {
      from: 'carol@example.test',
      subject,
      messageId: `serve-running-${Date.now()}@example.test`,
    });
    const search = () => api<{ data: unknown[] }>(`/v1/email/search?q=${encodeURIComponent(`subject:"${subject}"`)}`);
    expect((await search()).data).toHaveLength(0);

    const sessionsBefore = sessionCount(dir.path);
    const result = await runCli(['sync', '--data-dir', dir.path], env);
    expect(result.code, result.stderr).toBe(0);
    expect(sessionCount(dir.path)).toBe(sessionsBefore); // the session the command signed in with ended with it
    expect(lastLineOf(result.stderr, 'alice@gmail.test')).toMatch(/\d+ messages.* done$/);
    expect(result.stderr).toMatch(/syncing through its API on 127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/^synced 2 account\(s\): \d+ messages, \d+ threads, \d+ deleted\n$/);
    expect(Number(/synced 2 account\(s\): (\d+) messages/.exec(result.stdout)?.[1])).toBeGreaterThanOrEqual(1);
    // In the index the server keeps, at once: the command returned only after the server's sync.
    expect((await search()).data).toHaveLength(1);

    // One account, through the server too.
    const { data: accounts } = await api<{ data: Array<{ id: string; email: string }> }>('/v1/accounts');
    const bob = accounts.find((a) => a.email === 'bob@contoso.test');
    const one = await runCli(['sync', '--account', bob?.id ?? '', '--data-dir', dir.path], env);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^synced 1 account\(s\): \d+ messages, \d+ threads, \d+ deleted\n$/);
    expect(one.stderr).not.toContain('alice@gmail.test');
  }, 300_000);
});
