import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus.ts';
import { memoryLog, silentLog } from '../../../main/core/log.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { ProviderError } from '../../../main/providers/providerErrors.ts';
import { JobQueue, SyncInProgressError } from '../../../main/sync/jobQueue.ts';
import { type JobHandler, JobRunner } from '../../../main/sync/jobRunner.ts';
import type { CoreEvent } from '../../../shared/events.ts';

describe('the sync job queue and runner', () => {
  let db: IndexDb;
  let events: CoreEvent[];
  let queue: JobQueue;
  let a: string;
  let b: string;

  beforeEach(() => {
    db = openIndex(':memory:');
    const bus = new EventBus(silentLog);
    events = [];
    bus.subscribe((e) => events.push(e));
    queue = new JobQueue(db, bus);
    a = ensureAccount(db, 'gmail', 'a@example.test').id;
    b = ensureAccount(db, 'microsoft', 'b@example.test').id;
  });
  afterEach(() => db.close());

  it('gives jobs ids shaped like the API reference', () => {
    expect(queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [a] }).id).toMatch(
      /^sync_[0-9A-HJKMNP-TV-Z]{26}$/,
    );
    expect(queue.enqueue({ kind: 'calendar_sync', mode: 'incremental', accountIds: [a] }).id).toMatch(/^cal_sync_[0-9A-Z]{26}$/);
  });

  it('refuses any sync of an account while a full sync of the same kind is open', () => {
    queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [a] });
    expect(() => queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [a] })).toThrow(SyncInProgressError);
    expect(() => queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [a, b] })).toThrow(SyncInProgressError);
    // Other kinds and other accounts are not blocked.
    expect(queue.enqueue({ kind: 'calendar_sync', mode: 'full', accountIds: [a] }).status).toBe('queued');
    expect(queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [b] }).status).toBe('queued');
  });

  it('runs different accounts side by side but one job per account at a time', async () => {
    let concurrentForA = 0;
    let maxConcurrentForA = 0;
    const release: Array<() => void> = [];
    const handler: JobHandler = async (job) => {
      if (job.account_id === a) maxConcurrentForA = Math.max(maxConcurrentForA, ++concurrentForA);
      await new Promise<void>((resolve) => release.push(resolve));
      if (job.account_id === a) concurrentForA--;
      return { messagesProcessed: 1 };
    };
    const runner = new JobRunner(queue, { email_sync: handler }, { concurrency: 4, log: silentLog });
    queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [a] });
    queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [a] });
    queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [b] });
    runner.wake();
    expect(release).toHaveLength(2); // one for a, one for b
    // Three jobs in all: release each as its handler starts (a's second only after its first ends).
    for (let released = 0; released < 3; ) {
      const next = release.shift();
      if (next) {
        next();
        released++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await runner.idle();
    expect(maxConcurrentForA).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM jobs WHERE status = 'succeeded'`).pluck().get()).toBe(3);
  });

  it('completes a multi-account request as one parent job with summed counts and one completion event', async () => {
    const runner = new JobRunner(
      queue,
      { email_sync: async (job) => ({ messagesProcessed: job.account_id === a ? 3 : 4 }) },
      { log: silentLog },
    );
    const parent = queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [a, b] });
    runner.wake();
    await runner.idle();
    const done = queue.get(parent.id)!;
    expect(done).toMatchObject({ status: 'succeeded', counts: { messagesProcessed: 7 }, account_id: null });
    const completions = events.filter((e) => e.type === 'email.sync.completed');
    expect(completions).toHaveLength(1);
    expect(completions[0]).toMatchObject({ job: { id: parent.id } });
  });

  it('records a classified failure and reports the parent failed when a child fails', async () => {
    const runner = new JobRunner(
      queue,
      {
        email_sync: async (job) => {
          if (job.account_id === b) throw new ProviderError('needs_reauth', 'refresh token revoked');
          return {};
        },
      },
      { log: silentLog },
    );
    const parent = queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [a, b] });
    runner.wake();
    await runner.idle();
    expect(queue.get(parent.id)).toMatchObject({ status: 'failed', error: { code: 'needs_reauth' } });
    expect(events.some((e) => e.type === 'email.sync.failed')).toBe(true);
  });

  it('classifies unexpected exceptions as internal_error', async () => {
    const runner = new JobRunner(
      queue,
      {
        email_sync: async () => {
          throw new TypeError('boom');
        },
      },
      { log: silentLog },
    );
    const job = queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [a] });
    runner.wake();
    await runner.idle();
    expect(queue.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'internal_error', message: 'boom' } });
  });

  it('requeues jobs a crash left running, and a stopped runner leaves its job for the next start', async () => {
    const runner = new JobRunner(
      queue,
      {
        email_sync: (_job, { signal }) =>
          new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      },
      { log: silentLog },
    );
    const job = queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [a] });
    runner.wake();
    expect(queue.get(job.id)?.status).toBe('running');
    await runner.stop();
    expect(queue.get(job.id)?.status).toBe('running');
    expect(queue.requeueInterrupted()).toBe(1);
    expect(queue.get(job.id)?.status).toBe('queued');
  });

  it("logs each job's summary, and a job that failed on a bug with its stack", async () => {
    const logged = memoryLog();
    const runner = new JobRunner(
      queue,
      {
        email_sync: async (job) => {
          if (job.account_id === b) throw new TypeError('cannot read properties of undefined');
          return { messagesProcessed: 5 };
        },
        calendar_sync: async () => {
          throw new ProviderError('network_error', 'cannot reach Google');
        },
      },
      { log: logged.log },
    );
    const ok = queue.enqueue({ kind: 'email_sync', mode: 'full', accountIds: [a] });
    const bug = queue.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [b] });
    const offline = queue.enqueue({ kind: 'calendar_sync', mode: 'incremental', accountIds: [a] });
    runner.wake();
    await runner.idle();
    const byJob = (id: string) => logged.lines().find((line) => line.job_id === id);
    expect(byJob(ok.id)).toMatchObject({
      level: 30,
      msg: 'sync job finished',
      kind: 'email_sync',
      mode: 'full',
      account_id: a,
      status: 'succeeded',
      counts: { messagesProcessed: 5 },
      ms: expect.any(Number),
    });
    expect(byJob(bug.id)).toMatchObject({ level: 50, status: 'failed', err: { message: 'cannot read properties of undefined' } });
    expect(String((byJob(bug.id)?.err as { stack?: string } | undefined)?.stack)).toMatch(/TypeError/);
    expect(byJob(offline.id)).toMatchObject({ level: 40, status: 'failed', code: 'network_error', error: 'cannot reach Google' });
    expect(queue.get(bug.id)?.error).toEqual({ code: 'internal_error', message: 'cannot read properties of undefined' });
  });
});
