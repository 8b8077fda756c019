import { describe, expect, it } from 'vitest';
import { SyncFollower } from '../../../main/cli/syncFollower.ts';
import { ProgressBoard } from '../../../main/cli/syncProgress.ts';
import type { JobKind, JobSnapshot, JobStatus } from '../../../shared/events.ts';

function job(id: string, kind: JobKind, status: JobStatus, extra: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id,
    kind,
    mode: 'incremental',
    status,
    account_id: 'acc',
    parent_id: null,
    progress: { done: 0, total: null },
    counts: {},
    error: null,
    queued_at: new Date(0).toISOString(),
    started_at: null,
    finished_at: null,
    ...extra,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SyncFollower', () => {
  const setUp = (kinds: JobKind[], jobs: Record<string, JobSnapshot>) => {
    const lines: string[] = [];
    const board = new ProgressBoard({ write: (text) => lines.push(text) }, { now: () => 0 });
    board.add('acc', 'a@x');
    const follower = new SyncFollower(board, (id) => jobs[id], kinds);
    return { board, follower, lines };
  };

  it('puts mail progress and calendar progress on the account line by the job kind, then done once both ended', async () => {
    const mail = job('m', 'email_sync', 'running');
    const calendars = job('c', 'calendar_sync', 'running');
    const { board, follower } = setUp(['email_sync', 'calendar_sync'], { m: mail, c: calendars });
    follower.handle({ type: 'job.progress', job_id: 'm', account_id: 'acc', done: 500, total: 2000 });
    follower.handle({ type: 'job.progress', job_id: 'c', account_id: 'acc', done: 1, total: 3 });
    await flush();
    expect(board.line('acc')).toMatch(/^a@x {2}\[.*\] 500\/2000 messages {2}calendars 1\/3$/);
    follower.handle({
      type: 'job.updated',
      job: { ...mail, status: 'succeeded', progress: { done: 2000, total: 2000 } },
    });
    expect(board.line('acc')).not.toMatch(/done$/);
    follower.handle({
      type: 'job.updated',
      job: { ...calendars, status: 'succeeded', progress: { done: 3, total: 3 }, counts: { eventsProcessed: 57 } },
    });
    expect(board.line('acc')).toMatch(/2000\/2000 messages {2}calendars 3\/3, 57 events {2}done$/);
    // A progress event arriving after its job's end changes nothing.
    follower.handle({ type: 'job.progress', job_id: 'm', account_id: 'acc', done: 1500, total: 2000 });
    await flush();
    expect(board.line('acc')).toMatch(/2000\/2000 messages/);
  });

  it('says why a sync failed, and resolves the job it waits for', async () => {
    const { board, follower } = setUp(['email_sync'], {});
    const ended = follower.finished('m');
    follower.handle({
      type: 'job.updated',
      job: job('m', 'email_sync', 'failed', { error: { code: 'needs_reauth', message: 'sign in again' } }),
    });
    expect((await ended).status).toBe('failed');
    expect(board.line('acc')).toBe('a@x  mail sync failed: sign in again');
  });

  it('ignores accounts not on the board and jobs of kinds it does not follow', async () => {
    const { board, follower } = setUp(['email_sync'], { c: job('c', 'calendar_sync', 'running') });
    follower.handle({ type: 'job.progress', job_id: 'c', account_id: 'acc', done: 1, total: 2 });
    follower.handle({ type: 'job.progress', job_id: 'x', account_id: 'other', done: 1, total: 2 });
    await flush();
    expect(board.line('acc')).toBe('a@x');
  });
});
