import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import { memoryLog } from '../../main/core/log.ts';
import { getAccount } from '../../main/db/queries/accounts.ts';
import { pendingChanges } from '../../main/db/queries/pendingChanges.ts';
import { applyThreadAction } from '../../main/mail/threadActions.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import {
  emulatorControl,
  indexAsGmailSnapshot,
  openGoogleEngine,
  remoteGmailSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const GMAIL_USER = 'alice@gmail.test';
const SEEDED = 150;

/**
 * Gmail answers its per-user limits in three documented ways (429 rateLimitExceeded,
 * 403 userRateLimitExceeded, 403 rateLimitExceeded), inside batch parts as well as
 * whole responses; a full sync and an incremental one must converge under each, with
 * every retry logged with its reason. dailyLimitExceeded stops the sync (no retries)
 * with a clear account status until the emulator's quota day (Pacific) resets.
 */
describe('Gmail sync under the documented rate-limit and quota answers', () => {
  let emulator: RunningEmulator;
  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const dirs: Array<ReturnType<typeof makeTempDir>> = [];
  const engines: Engine[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: SEEDED } });
  }, 60_000);
  afterAll(async () => {
    for (const engine of engines) await engine.close();
    await emulator?.stop();
    for (const dir of dirs) dir.remove();
  });

  /** An engine paced above the emulator's limit (so the limit answers), with a log the test reads. */
  const connect = async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const memory = memoryLog('debug');
    const { engine, accountId: account } = await openGoogleEngine(dir.path, emulator, { unitsPerSecond: 400, log: memory.log });
    engines.push(engine);
    return { engine, account, memory };
  };
  const tokenRequests = async () =>
    ((await control('/counters')) as { requests: Record<string, number> }).requests['oauth2.token'] ?? 0;
  const retries = (memory: ReturnType<typeof memoryLog>) => memory.lines().filter((l) => l.msg === 'retrying');
  const addMail = async (count: number, tag: string) => {
    for (let i = 0; i < count; i++) {
      const raw = Buffer.from(
        `From: ${tag} ${i} <${tag}${i}@example.test>\r\nTo: ${GMAIL_USER}\r\nSubject: ${tag} ${i}\r\nMessage-ID: <${tag}-${i}@example.test>\r\n\r\nBody ${i}`,
      ).toString('base64url');
      await control(`/google/users/${GMAIL_USER}/messages`, {
        method: 'POST',
        body: { raw, labelIds: ['INBOX', 'UNREAD'], encoding: 'base64url' },
      });
    }
  };

  const variants = [
    { exceededStatus: 429, exceededReason: 'rateLimitExceeded' },
    { exceededStatus: 403, exceededReason: 'userRateLimitExceeded' },
    { exceededStatus: 403, exceededReason: 'rateLimitExceeded' },
  ] as const;

  for (const variant of variants) {
    it(`full and incremental syncs converge with the limit answered ${variant.exceededStatus} ${variant.exceededReason}`, async () => {
      await control('/google/quota', { method: 'POST', body: { enabled: true, unitsPerSecond: 250, ...variant } });
      const { engine, account, memory } = await connect();
      const tokensBefore = await tokenRequests();
      const full = await runMailSync(engine, account, 'full');
      expect(full).toMatchObject({ status: 'succeeded', error: null });
      // A 403 about rate is not an authorization failure: no token refresh, no second ask per refusal.
      expect(await tokenRequests()).toBe(tokensBefore);
      expect(indexAsGmailSnapshot(engine.db, account)).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
      // The emulator did refuse parts, and each retry was logged with its reason.
      const reasons = retries(memory).map((l) => String(l.reason));
      expect(reasons.some((r) => r.includes(`${variant.exceededStatus} ${variant.exceededReason}`))).toBe(true);

      // 100 new messages fetched in batches of 16 parts (80 units) against 75 units a second:
      // parts are refused in every batch, and the incremental sync still brings all 100.
      await control('/google/quota', { method: 'POST', body: { enabled: false } });
      await addMail(100, `new${variant.exceededStatus}${variant.exceededReason}`);
      await control('/clock', { method: 'POST', body: { advanceMs: 2000 } });
      await control('/google/quota', { method: 'POST', body: { enabled: true, unitsPerSecond: 75 } });
      const before = retries(memory).length;
      const incremental = await runMailSync(engine, account, 'incremental');
      expect(incremental).toMatchObject({ status: 'succeeded', error: null });
      expect(retries(memory).length).toBeGreaterThan(before);
      expect(indexAsGmailSnapshot(engine.db, account)).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
      await control('/google/quota', { method: 'POST', body: { unitsPerSecond: 250, exceededStatus: 429 } });
      await control('/clock', { method: 'POST', body: { advanceMs: 2000 } });
    }, 120_000);
  }

  it('converges under the per-user concurrent-request limit by sending fewer parts at once', async () => {
    await control('/google/quota', { method: 'POST', body: { enabled: false, maxConcurrent: 8 } });
    const { engine, account, memory } = await connect();
    const full = await runMailSync(engine, account, 'full');
    expect(full).toMatchObject({ status: 'succeeded', error: null });
    expect(indexAsGmailSnapshot(engine.db, account)).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
    expect(retries(memory).some((l) => /concurrent/i.test(String(l.reason)))).toBe(true);
    await control('/google/quota', { method: 'POST', body: { maxConcurrent: null } });
  }, 120_000);

  it('dailyLimitExceeded stops the sync at once with a clear account status, and it resumes after Pacific midnight', async () => {
    await control('/google/quota', { method: 'POST', body: { enabled: false } });
    const { engine, account, memory } = await connect();
    expect(await runMailSync(engine, account, 'full')).toMatchObject({ status: 'succeeded' });
    await addMail(5, 'daily');
    const counters = async () => ((await control('/counters')) as { requests: Record<string, number> }).requests;
    const { resetsAt } = (await control('/google/quota', { method: 'POST', body: { dailyLimitExceeded: true } })) as {
      resetsAt: string;
    };
    const before = await counters();
    const tokensBefore = await tokenRequests();
    const stopped = await runMailSync(engine, account, 'full');
    expect(stopped?.status).toBe('failed');
    expect(stopped?.error).toMatchObject({ code: 'quota_exceeded' });
    const after = await counters();
    const gmailCalls = (counts: Record<string, number>) =>
      Object.entries(counts)
        .filter(([endpoint]) => endpoint.startsWith('gmail.'))
        .reduce((sum, [, n]) => sum + n, 0);
    // Refused at once, never hammered: each call asked once, no retry, no token refresh (a 403 about
    // quota is not one about the token).
    const calls = Object.entries(after)
      .filter(([endpoint]) => endpoint.startsWith('gmail.'))
      .map(([endpoint, n]) => [endpoint, n - (before[endpoint] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter(([, n]) => n > 1)).toEqual([]);
    expect(await tokenRequests()).toBe(tokensBefore);
    expect(retries(memory)).toEqual([]);
    const status = getAccount(engine.db, account);
    expect(status?.last_error).toMatch(/daily/i);
    expect(status?.last_error).toContain(resetsAt);

    // Until the reset, the scheduler's syncs end with the same status without asking Google at all,
    // and what the user changes meanwhile waits, queued, instead of being sent into the refusal (or lost).
    const thread = engine.db.prepare('SELECT id FROM threads WHERE account_id = ? LIMIT 1').get(account) as { id: number };
    applyThreadAction(engine.db, thread.id, 'star');
    const queued = pendingChanges(engine.db, account).length;
    expect(queued).toBeGreaterThan(0);
    const quiet = await counters();
    const job = engine.jobs.enqueue({
      kind: 'email_sync',
      mode: 'incremental',
      accountIds: [account],
      params: { trigger: 'scheduler' },
    });
    engine.runner.wake();
    await engine.runner.idle();
    expect(engine.jobs.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'quota_exceeded' } });
    expect(engine.jobs.get(job.id)?.error?.message).toContain(resetsAt);
    expect(gmailCalls(await counters())).toBe(gmailCalls(quiet));
    expect(pendingChanges(engine.db, account)).toHaveLength(queued);

    // Still the same quota day a minute before the reset: a sync asked for is refused again, once.
    const untilReset = Date.parse(resetsAt) - Number((await control('/clock')).now);
    await control('/clock', { method: 'POST', body: { advanceMs: untilReset - 60_000 } });
    expect((await runMailSync(engine, account, 'full'))?.status).toBe('failed');
    // Past Pacific midnight by the emulator's clock: the sync resumes and converges.
    await control('/clock', { method: 'POST', body: { advanceMs: 61_000 } });
    const resumed = await runMailSync(engine, account, 'full');
    expect(resumed).toMatchObject({ status: 'succeeded', error: null });
    expect(getAccount(engine.db, account)?.last_error).toBeNull();
    // The change made during the pause reached Gmail once the quota day reset.
    expect(pendingChanges(engine.db, account)).toEqual([]);
    expect(indexAsGmailSnapshot(engine.db, account)).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
  }, 120_000);
});
