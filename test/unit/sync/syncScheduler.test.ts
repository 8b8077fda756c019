import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus.ts';
import { memoryLog, silentLog } from '../../../main/core/log.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount, listAccounts, updateAccountSettings } from '../../../main/db/queries/accounts.ts';
import { JobQueue } from '../../../main/sync/jobQueue.ts';
import { JobRunner } from '../../../main/sync/jobRunner.ts';
import { SyncScheduler, scheduledAccounts } from '../../../main/sync/syncScheduler.ts';

describe('SyncScheduler', () => {
  let db: IndexDb;
  let queue: JobQueue;
  let now: number;
  let accountId: string;
  beforeEach(() => {
    db = openIndex(':memory:');
    queue = new JobQueue(db, new EventBus(silentLog));
    accountId = ensureAccount(db, 'gmail', 'a@example.test').id;
    now = 1_000_000;
  });
  afterEach(() => db.close());

  const openJobs = () => db.prepare(`SELECT kind FROM jobs WHERE status IN ('queued', 'running') ORDER BY kind`).pluck().all();
  const scheduler = () =>
    new SyncScheduler(queue, new JobRunner(queue, {}, { concurrency: 0, log: silentLog }), {
      intervalMinutes: { email_sync: 5, calendar_sync: 15 },
      accounts: () => [{ id: accountId, kinds: ['email_sync', 'calendar_sync'] }],
      now: () => now,
      log: silentLog,
    });

  it('catches up at start, then syncs each kind on its own interval, never stacking jobs', () => {
    const s = scheduler();
    expect(s.tick()).toBe(2);
    expect(openJobs()).toEqual(['calendar_sync', 'email_sync']);
    now += 6 * 60_000;
    expect(s.tick()).toBe(0); // the earlier jobs are still open
    db.prepare(`UPDATE jobs SET status = 'succeeded'`).run();
    expect(s.tick()).toBe(1);
    expect(openJobs()).toEqual(['email_sync']);
    now += 10 * 60_000;
    db.prepare(`UPDATE jobs SET status = 'succeeded'`).run();
    expect(s.tick()).toBe(2);
  });

  it('syncs everything at once when nudged', () => {
    const s = scheduler();
    s.tick();
    db.prepare(`UPDATE jobs SET status = 'succeeded'`).run();
    expect(s.tick()).toBe(0);
    s.nudge();
    expect(openJobs()).toHaveLength(2);
  });

  it("follows each account's own intervals, and never syncs a manual-only kind on its own, even when nudged", () => {
    const other = ensureAccount(db, 'microsoft', 'b@example.test').id;
    const s = new SyncScheduler(queue, new JobRunner(queue, {}, { concurrency: 0, log: silentLog }), {
      intervalMinutes: {},
      accounts: () => [
        { id: accountId, kinds: ['email_sync', 'calendar_sync'], intervalMinutes: { email_sync: 1, calendar_sync: 0 } },
        { id: other, kinds: ['email_sync'], intervalMinutes: { email_sync: null } },
      ],
      now: () => now,
      log: silentLog,
    });
    const jobsOf = (id: string) =>
      db.prepare(`SELECT kind FROM jobs WHERE account_id = ? ORDER BY queued_at, rowid`).pluck().all(id);
    expect(s.tick()).toBe(2); // both mails at start; the manual calendar not at all
    expect(jobsOf(accountId)).toEqual(['email_sync']);
    db.prepare(`UPDATE jobs SET status = 'succeeded'`).run();
    now += 61_000; // past the account's 1 minute, not the default 5
    expect(s.tick()).toBe(1);
    db.prepare(`UPDATE jobs SET status = 'succeeded'`).run();
    now += 4 * 60_000;
    expect(s.tick()).toBe(2); // 5 minutes: the default account's turn too
    db.prepare(`UPDATE jobs SET status = 'succeeded'`).run();
    s.nudge();
    expect(jobsOf(accountId).filter((k) => k === 'calendar_sync')).toEqual([]);
  });

  it('schedules connected accounts with the intervals Settings stored, not imported or disconnected ones', () => {
    updateAccountSettings(db, accountId, { email_sync: 2 });
    updateAccountSettings(db, accountId, { calendar_sync: 0 });
    ensureAccount(db, 'local', 'archive@example.test');
    const gone = ensureAccount(db, 'microsoft', 'gone@example.test').id;
    db.prepare(`UPDATE accounts SET status = 'disconnected' WHERE id = ?`).run(gone);
    expect(scheduledAccounts(listAccounts(db))).toEqual([
      { id: accountId, kinds: ['email_sync', 'calendar_sync'], intervalMinutes: { email_sync: 2, calendar_sync: 0 } },
    ]);
  });

  it('leaves an account alone while its full sync runs', () => {
    queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [accountId] });
    const s = scheduler();
    s.tick();
    expect(db.prepare(`SELECT count(*) FROM jobs WHERE kind = 'email_sync'`).pluck().get()).toBe(1);
  });
});

describe('calendarWindow', () => {
  it('defaults to 90 days back and 180 days ahead, and takes from_date/to_date', async () => {
    const { calendarWindow } = await import('../../../main/sync/calendarSyncHandler.ts');
    const now = Date.UTC(2026, 3, 17);
    expect(calendarWindow({}, now)).toEqual({ from: now - 90 * 86_400_000, to: now + 180 * 86_400_000 });
    expect(calendarWindow({ from_date: '2026-01-01', to_date: '2026-02-01T00:00:00Z' }, now)).toEqual({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 1, 1),
    });
    expect(() => calendarWindow({ from_date: '2026-02-01', to_date: '2026-01-01' }, now)).toThrow(/not a valid range/);
  });
});

describe('SyncScheduler robustness', () => {
  it('survives a failing tick and reports it', () => {
    const db = openIndex(':memory:');
    const queue = new JobQueue(db, new EventBus(silentLog));
    const logged = memoryLog();
    const scheduler = new SyncScheduler(queue, new JobRunner(queue, {}, { concurrency: 0, log: silentLog }), {
      intervalMinutes: {},
      accounts: () => {
        throw new Error('index busy');
      },
      log: logged.log,
      tickMs: 60_000,
    });
    expect(() => scheduler.start()).not.toThrow();
    scheduler.stop();
    const errors = logged.lines().filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'a sync scheduler tick failed', err: { message: 'index busy' } });
    db.close();
  });
});
