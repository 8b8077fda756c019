import type { JobKind } from '../../shared/events.ts';
import { DEFAULT_SYNC_MINUTES } from '../../shared/syncIntervals.ts';
import type { Log } from '../core/log.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import { describeProvider } from '../providers/descriptions.ts';
import type { JobQueue } from './jobQueue.ts';
import type { JobRunner } from './jobRunner.ts';

export interface ScheduledAccount {
  id: string;
  kinds: readonly JobKind[];
  /** The account's own minutes per kind (null or absent: the scheduler's; 0: never on its own). */
  intervalMinutes?: Partial<Record<JobKind, number | null>>;
}

/** The accounts the scheduler keeps in sync (connected, not imported), each with its own intervals. */
export function scheduledAccounts(accounts: readonly AccountRow[]): ScheduledAccount[] {
  return accounts
    .filter((a) => a.status === 'active' && describeProvider(a.provider).capabilities.sync)
    .map((a) => ({
      id: a.id,
      kinds: ['email_sync', 'calendar_sync'],
      intervalMinutes: { email_sync: a.email_sync_minutes, calendar_sync: a.calendar_sync_minutes },
    }));
}

export interface SchedulerOptions {
  /** Minutes between incremental syncs per kind for accounts that kept the default (DEFAULT_SYNC_MINUTES). */
  intervalMinutes: Partial<Record<JobKind, number>>;
  /** Accounts to keep in sync, read at every tick (connecting an account needs no restart). */
  accounts(): ScheduledAccount[];
  /** How often the scheduler looks (default 30 s). */
  tickMs?: number;
  /** Where a failing tick is reported (the next tick tries again). */
  log: Log;
  now?: () => number;
}

/**
 * Keeps every active account in sync: a catch-up sync of each at start-up,
 * then an incremental sync every N minutes (the account's own interval or the
 * default), skipped while one is already queued or running. nudge() (network
 * regained, laptop woke up) syncs everything now. An account set to sync only
 * when asked (0 minutes) is left alone by both.
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
      this.#options.log.error({ err: error }, 'a sync scheduler tick failed');
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
        const minutes = account.intervalMinutes?.[kind] ?? this.#options.intervalMinutes[kind] ?? DEFAULT_SYNC_MINUTES[kind];
        if (minutes <= 0) continue;
        const intervalMs = minutes * 60_000;
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
