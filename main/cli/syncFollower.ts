import type { CoreEvent, JobKind, JobSnapshot } from '../../shared/events.ts';
import type { AccountProgress, ProgressBoard } from './syncProgress.ts';

type Lookup = (jobId: string) => Promise<JobSnapshot | undefined> | JobSnapshot | undefined;

/**
 * Turns the core's events (in process, or GET /v1/events) into the progress
 * board's lines: each sync job's progress goes to its account's line as
 * messages (mail) or calendars, the kind learnt from the job itself (looked up
 * once per job: progress events carry only its id). An account's line says
 * "done" once every followed kind has ended for it, or why one failed.
 */
export class SyncFollower {
  readonly #board: ProgressBoard;
  readonly #lookup: Lookup;
  readonly #kinds: readonly JobKind[];
  readonly #jobs = new Map<string, Promise<JobSnapshot | undefined>>();
  readonly #ended = new Map<string, Map<JobKind, JobSnapshot>>();
  readonly #waiters: Array<{ matches(job: JobSnapshot): boolean; resolve(job: JobSnapshot): void }> = [];
  /** Every finished job seen, for waiters that come after it. */
  readonly #finished: JobSnapshot[] = [];

  constructor(board: ProgressBoard, lookup: Lookup, kinds: readonly JobKind[] = ['email_sync']) {
    this.#board = board;
    this.#lookup = lookup;
    this.#kinds = kinds;
  }

  handle(event: CoreEvent): void {
    if (event.type === 'job.progress') {
      const accountId = event.account_id;
      if (!accountId || !this.#board.has(accountId)) return;
      void this.lookup(event.job_id).then((job) => {
        if (job) this.#show(accountId, job.kind, { done: event.done, total: event.total });
      });
    } else if (event.type === 'job.updated') this.settle(event.job);
  }

  /** A job as it now is (from an event, or read when following starts): a finished one ends its part of the line. */
  settle(job: JobSnapshot): void {
    const accountId = job.account_id;
    if (job.status !== 'succeeded' && job.status !== 'failed') {
      if (!this.#jobs.has(job.id)) this.#jobs.set(job.id, Promise.resolve(job));
      if (accountId && (job.progress.done > 0 || job.progress.total !== null)) this.#show(accountId, job.kind, job.progress);
      return;
    }
    this.#jobs.set(job.id, Promise.resolve(job));
    if (this.#finished.some((seen) => seen.id === job.id)) return;
    this.#finished.push(job);
    for (const waiter of this.#waiters.filter((w) => w.matches(job))) waiter.resolve(job);
    if (!accountId || !this.#board.has(accountId) || !this.#kinds.includes(job.kind)) return;
    // Calendars end with their events; mail that synced shows its count, even none (a failure, only its reason).
    const events = job.kind === 'calendar_sync' ? (job.counts.eventsProcessed ?? 0) : job.status === 'succeeded' ? 0 : undefined;
    const last = this.#change(accountId, job.kind, job.progress, events);
    const ended = this.#ended.get(accountId) ?? new Map<JobKind, JobSnapshot>();
    ended.set(job.kind, job);
    this.#ended.set(accountId, ended);
    if (this.#kinds.every((kind) => ended.has(kind))) {
      const failed = [...ended.values()].find((j) => j.status === 'failed');
      const what = failed?.kind === 'calendar_sync' ? 'calendar sync' : 'mail sync';
      last.outcome = failed ? `${what} failed: ${failed.error?.message ?? 'unknown error'}` : 'done';
    }
    if (Object.keys(last).length > 0) this.#board.update(accountId, last);
  }

  #show(accountId: string, kind: JobKind, progress: JobSnapshot['progress']): void {
    const change = this.#change(accountId, kind, progress);
    if (Object.keys(change).length > 0) this.#board.update(accountId, change);
  }

  /** A job's count for its account's line; nothing once the job of that kind has ended there (a late event). */
  #change(accountId: string, kind: JobKind, progress: JobSnapshot['progress'], events?: number): AccountProgress {
    if (!this.#board.has(accountId) || !this.#kinds.includes(kind) || this.#ended.get(accountId)?.has(kind)) return {};
    const { done, total } = progress;
    if (kind === 'calendar_sync') return { calendars: { done, total, events } };
    if (done > 0 || total !== null || events !== undefined) return { messages: { done, total } };
    return {};
  }

  /** Resolves once the job has succeeded or failed. */
  finished(jobId: string): Promise<JobSnapshot> {
    return this.#when((job) => job.id === jobId);
  }

  /** Resolves with the account's first job of this kind queued at or after `since` (ms) that has ended. */
  endedFor(accountId: string, kind: JobKind, since: number): Promise<JobSnapshot> {
    return this.#when((job) => job.account_id === accountId && job.kind === kind && Date.parse(job.queued_at) >= since);
  }

  #when(matches: (job: JobSnapshot) => boolean): Promise<JobSnapshot> {
    return new Promise((resolve) => {
      const seen = this.#finished.find(matches);
      if (seen) resolve(seen);
      else this.#waiters.push({ matches, resolve });
    });
  }

  /** Whether every account on the board has ended every followed kind. */
  allEnded(accountIds: readonly string[]): boolean {
    return accountIds.every((id) => this.#kinds.every((kind) => this.#ended.get(id)?.has(kind)));
  }

  /** The job as first seen (read once, then kept current by its events). */
  lookup(jobId: string): Promise<JobSnapshot | undefined> {
    let job = this.#jobs.get(jobId);
    if (!job) {
      job = Promise.resolve(this.#lookup(jobId)).catch(() => undefined);
      this.#jobs.set(jobId, job);
    }
    return job;
  }
}
