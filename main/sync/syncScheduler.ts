import type { JobKind } from '../../shared/events.ts';
import type { JobQueue } from './jobQueue.ts';
import type { JobRunner } from './jobRunner.ts';

export interface ScheduledAccount {
  id: string;
  kinds: readonly JobKind[];
}

export interface SchedulerOptions {
  /** Minutes between incremental syncs per kind (defaults: mail 5, calendar 15). */
  intervalMinutes: Partial<Record<JobKind, number>>;
  /** Accounts to keep in sync, read at every tick (connecting an account needs no restart). */
  accounts(): ScheduledAccount[];
  /** How often the scheduler looks (default 30 s). */
  tickMs?: number;
  onError?(error: unknown): void;
  now?: () => number;
}

const DEFAULT_INTERVALS: Record<JobKind, number> = { email_sync: 5, calendar_sync: 15 };

/**
 * Keeps every active account in sync: a catch-up sync of each at start-up,
 * then an incremental sync every N minutes, skipped while one is already
 * queued or running. nudge() (network regained, laptop woke up) syncs
 * everything now.
 */
export class SyncScheduler {
  readonly #jobs: JobQueue;
  readonly #runner: JobRunner;
  readonly #options: SchedulerOptions;
  readonly #lastQueued = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;

  constructor(jobs: JobQueue, runner: JobRunner, options: SchedulerOptions) {
    this.#jobs = jobs;
    this.#runner = runner;
    this.#options = options;
  }

  start(): void {
    this.#safeTick();
    this.#timer = setInterval(() => this.#safeTick(), this.#options.tickMs ?? 30_000);
    this.#timer.unref();
  }

  /** A failing tick (the index busy, an account removed meanwhile) is logged; the next tick tries again. */
  #safeTick(): void {
    try {
      this.tick();
    } catch (error) {
      (this.#options.onError ?? ((e: unknown) => console.error('sync scheduler:', e)))(error);
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Syncs every account now (the next tick would otherwise wait for the interval). */
  nudge(): void {
    this.#lastQueued.clear();
    this.tick();
  }

  /** Queues the syncs that are due; returns how many. */
  tick(): number {
    const now = (this.#options.now ?? Date.now)();
    let queued = 0;
    for (const account of this.#options.accounts()) {
      for (const kind of account.kinds) {
        const key = `${account.id}:${kind}`;
        const intervalMs = (this.#options.intervalMinutes[kind] ?? DEFAULT_INTERVALS[kind]) * 60_000;
        const last = this.#lastQueued.get(key);
        if (last !== undefined && now - last < intervalMs) continue;
        if (this.#jobs.hasOpenJob(kind, account.id)) continue;
        try {
          this.#jobs.enqueue({ kind, mode: 'incremental', accountIds: [account.id], params: { trigger: 'scheduler' } });
          this.#lastQueued.set(key, now);
          queued++;
        } catch (error) {
          // A full sync is open for the account: it will bring it up to date; try again next interval.
          if ((error as { code?: string }).code !== 'sync_in_progress') throw error;
          this.#lastQueued.set(key, now);
        }
      }
    }
    if (queued > 0) this.#runner.wake();
    return queued;
  }
}
