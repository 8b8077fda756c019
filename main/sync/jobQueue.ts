import type { JobKind, JobMode, JobSnapshot } from '../../shared/events.ts';
import type { EventBus } from '../core/eventBus.ts';
import { ulid } from '../core/ids.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import {
  claimNextJob,
  finishJob,
  getJob,
  hasOpenJob,
  insertJob,
  type JobRow,
  latestJob,
  openFullJob,
  requeueInterruptedJobs,
  setJobProgress,
} from '../db/queries/jobs.ts';
import { transaction } from '../db/transactions.ts';

export type { JobRow };

export interface EnqueueRequest {
  kind: JobKind;
  mode: JobMode;
  accountIds: readonly string[];
  params?: Record<string, unknown>;
  /** A caller-chosen id (e.g. a UUID for the gmail-connections endpoint); default: sync_<ulid> / cal_sync_<ulid>. */
  id?: string;
}

export class SyncInProgressError extends OutpostError {
  constructor(message: string) {
    super('sync_in_progress', message);
  }
}

const ID_PREFIX: Record<JobKind, string> = { email_sync: 'sync_', calendar_sync: 'cal_sync_' };

/**
 * Sync jobs persisted in the index. A request for one account is one job; a
 * request for several is a parent job with one child per account, so each
 * account's syncs stay serial while different accounts run side by side.
 * State changes are published with the write that makes them (events and
 * webhook deliveries after, and with, the commit).
 */
export class JobQueue {
  readonly #db: WritableDb;
  readonly #events: EventBus;
  readonly #now: () => number;

  constructor(db: WritableDb, events: EventBus, now: () => number = Date.now) {
    this.#db = db;
    this.#events = events;
    this.#now = now;
  }

  /**
   * Queues a sync. Refused with SyncInProgressError while a full sync of the
   * same kind is queued or running for any of the accounts: a second full
   * sync would redo the same work, and an incremental one would race it.
   */
  enqueue(request: EnqueueRequest): JobSnapshot {
    if (request.accountIds.length === 0) throw new Error('enqueue needs at least one account');
    const now = this.#now();
    const id = request.id ?? ID_PREFIX[request.kind] + ulid(now);
    const job = { kind: request.kind, mode: request.mode, paramsJson: JSON.stringify(request.params ?? {}), queuedAt: now };
    return transaction(this.#db, () => {
      for (const accountId of request.accountIds) {
        const full = openFullJob(this.#db, request.kind, accountId);
        if (full)
          throw new SyncInProgressError(`a full sync (${full.parent_id ?? full.id}) is already ${full.status} for this account`);
      }
      if (request.accountIds.length === 1) {
        insertJob(this.#db, { ...job, id, accountId: request.accountIds[0] as string, parentId: null });
      } else {
        insertJob(this.#db, { ...job, id, accountId: null, parentId: null });
        for (const accountId of request.accountIds)
          insertJob(this.#db, { ...job, id: ID_PREFIX[request.kind] + ulid(now), accountId, parentId: id });
      }
      const snapshot = this.get(id) as JobSnapshot;
      this.#events.publish(this.#db, { type: 'job.updated', job: snapshot });
      return snapshot;
    });
  }

  get(id: string): JobSnapshot | undefined {
    const row = getJob(this.#db, id);
    return row ? toSnapshot(row) : undefined;
  }

  row(id: string): JobRow | undefined {
    return getJob(this.#db, id);
  }

  /** Whether any sync of this kind is queued or running for the account (the scheduler skips such accounts). */
  hasOpenJob(kind: JobKind, accountId: string): boolean {
    return hasOpenJob(this.#db, kind, accountId);
  }

  /** The account's newest job of this kind, whatever its status. */
  latest(kind: JobKind, accountId: string): JobRow | undefined {
    return latestJob(this.#db, kind, accountId);
  }

  /** The oldest queued job that may start now; none of `excludedAccounts` (accounts being removed). */
  claimNext(excludedAccounts: readonly string[] = []): JobRow | undefined {
    return claimNextJob(this.#db, excludedAccounts, this.#now());
  }

  reportProgress(id: string, done: number, total: number | null): void {
    setJobProgress(this.#db, id, done, total);
    const row = this.row(id);
    this.#events.emit({ type: 'job.progress', job_id: id, account_id: row?.account_id ?? null, done, total });
  }

  succeed(id: string, counts: Record<string, number>): void {
    this.#finish(id, { status: 'succeeded', counts, error: null });
  }

  fail(id: string, error: { code: string; message: string }, counts: Record<string, number> = {}): void {
    this.#finish(id, { status: 'failed', counts, error });
  }

  /** Jobs a crash left running go back to the queue; sync resumes from the last committed cursor. */
  requeueInterrupted(): number {
    return requeueInterruptedJobs(this.#db);
  }

  /** Full syncs still queued or running (e.g. requeued after a crash) for any of these accounts. */
  openFullSyncs(kind: JobKind, accountIds: readonly string[]): JobSnapshot[] {
    return accountIds
      .map((accountId) => openFullJob(this.#db, kind, accountId))
      .filter((row): row is JobRow => row !== undefined)
      .map(toSnapshot);
  }

  #finish(id: string, outcome: Parameters<typeof finishJob>[2]): void {
    transaction(this.#db, () => {
      for (const row of finishJob(this.#db, id, outcome, this.#now())) {
        const job = toSnapshot(row);
        this.#events.publish(this.#db, { type: 'job.updated', job });
        // Completion events name the job the client was given: a lone job or a parent.
        if (row.parent_id === null) {
          const prefix = row.kind === 'email_sync' ? 'email' : 'calendar';
          this.#events.publish(this.#db, {
            type: row.status === 'succeeded' ? `${prefix}.sync.completed` : `${prefix}.sync.failed`,
            job,
          });
        }
      }
    });
  }
}

export function toSnapshot(row: JobRow): JobSnapshot {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    kind: row.kind,
    mode: row.mode,
    status: row.status,
    account_id: row.account_id,
    parent_id: row.parent_id,
    progress: { done: row.progress_done, total: row.progress_total },
    counts: JSON.parse(row.counts_json) as Record<string, number>,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    queued_at: iso(row.queued_at) as string,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
  };
}
