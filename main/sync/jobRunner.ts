import type { JobKind } from '../../shared/events.ts';
import type { Log } from '../core/log.ts';
import { codeOf } from '../core/outpostError.ts';
import type { JobQueue, JobRow } from './jobQueue.ts';

export interface JobContext {
  /** Progress for the UI/CLI: items done and the estimated total, when known. */
  reportProgress(done: number, total: number | null): void;
  /** Aborted when the core shuts down; handlers stop at the next page boundary. */
  signal: AbortSignal;
}

/** Runs one job to completion and returns its counts (messagesProcessed, ...); throws a classified error to fail it. */
export type JobHandler = (job: JobRow, context: JobContext) => Promise<Record<string, number>>;

/**
 * Takes queued jobs and runs them with their kind's handler: several accounts
 * at once (up to `concurrency`), one job per account and kind at a time (the
 * queue's claim rule). Every failure is recorded on the job; none escapes.
 */
export class JobRunner {
  readonly #queue: JobQueue;
  readonly #handlers: Partial<Record<JobKind, JobHandler>>;
  readonly #concurrency: number;
  readonly #log: Log;
  readonly #running = new Map<string, { accountId: string | null; done: Promise<void>; abort: AbortController }>();
  readonly #abort = new AbortController();
  /** Accounts being removed: their jobs are not started. */
  readonly #blocked = new Set<string>();
  #stopped = false;

  constructor(queue: JobQueue, handlers: Partial<Record<JobKind, JobHandler>>, options: { log: Log; concurrency?: number }) {
    this.#queue = queue;
    this.#handlers = handlers;
    this.#concurrency = options.concurrency ?? 3;
    this.#log = options.log.child({ component: 'jobs' });
  }

  /** Starts any claimable jobs; call after enqueueing and when a job finishes. */
  wake(): void {
    while (!this.#stopped && this.#running.size < this.#concurrency) {
      const job = this.#queue.claimNext([...this.#blocked]);
      if (!job) return;
      const abort = new AbortController();
      const done = this.run(job, AbortSignal.any([this.#abort.signal, abort.signal])).finally(() => {
        this.#running.delete(job.id);
        this.wake();
      });
      this.#running.set(job.id, { accountId: job.account_id, done, abort });
    }
  }

  /** Resolves when no job is running (tests, CLI). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  /** Stops claiming, signals running handlers to stop, and waits for them; their jobs are requeued at next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  /**
   * Before an account is removed: none of its jobs starts from now on, and the
   * running ones are told to stop and waited for (they stop at their next page).
   * `unblock` lets a reconnected account with the same id sync again.
   */
  async holdAccount(accountId: string): Promise<void> {
    this.#blocked.add(accountId);
    const running = [...this.#running.values()].filter((r) => r.accountId === accountId);
    for (const r of running) r.abort.abort();
    await Promise.allSettled(running.map((r) => r.done));
  }

  releaseAccount(accountId: string): void {
    this.#blocked.delete(accountId);
    this.wake();
  }

  private async run(job: JobRow, signal: AbortSignal): Promise<void> {
    const handler = this.#handlers[job.kind];
    if (!handler) {
      this.#queue.fail(job.id, { code: 'not_supported', message: `no handler for ${job.kind} jobs` });
      return;
    }
    const started = performance.now();
    const summary = { job_id: job.id, kind: job.kind, mode: job.mode, account_id: job.account_id };
    try {
      const counts = await handler(job, {
        reportProgress: (done, total) => this.#queue.reportProgress(job.id, done, total),
        signal,
      });
      this.#queue.succeed(job.id, counts);
      this.#log.info(
        { ...summary, status: 'succeeded', counts, ms: Math.round(performance.now() - started) },
        'sync job finished',
      );
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      // Interrupted by shutdown: leave it running; requeueInterrupted() resumes it next start.
      // Interrupted for an account's removal: its row goes with the account.
      if (signal.aborted) {
        this.#log.info({ ...summary, status: 'interrupted', ms }, 'sync job stopped');
        return;
      }
      const code = codeOf(error);
      const message = error instanceof Error ? error.message : String(error);
      this.#queue.fail(job.id, { code, message });
      // An uncoded error is a bug: its stack goes in the log; a coded one (offline, reauth) is a fact.
      if (code === 'internal_error') this.#log.error({ ...summary, status: 'failed', ms, err: error }, 'sync job failed');
      else this.#log.warn({ ...summary, status: 'failed', ms, code, error: message }, 'sync job failed');
    }
  }
}
