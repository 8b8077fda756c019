import type { JobKind, JobMode, JobSnapshot, JobStatus } from '../../shared/events.ts';
import type { EventBus } from '../core/eventBus.ts';
import { ulid } from '../core/ids.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { stmt } from '../db/statements.ts';

export interface JobRow {
  id: string;
  kind: JobKind;
  account_id: string | null;
  parent_id: string | null;
  mode: JobMode;
  status: JobStatus;
  params_json: string;
  progress_done: number;
  progress_total: number | null;
  counts_json: string;
  error_code: string | null;
  error_message: string | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
}

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
 */
export class JobQueue {
  readonly #db: IndexDb;
  readonly #events: EventBus;
  readonly #now: () => number;

  constructor(db: IndexDb, events: EventBus, now: () => number = Date.now) {
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
    const params = JSON.stringify(request.params ?? {});
    this.#db.transaction(() => {
      for (const accountId of request.accountIds) {
        const full = this.openFullJob(request.kind, accountId);
        if (full)
          throw new SyncInProgressError(`a full sync (${full.parent_id ?? full.id}) is already ${full.status} for this account`);
      }
      const insert = stmt(
        this.#db,
        `INSERT INTO jobs (id, kind, account_id, parent_id, mode, status, params_json, queued_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`,
      );
      if (request.accountIds.length === 1) {
        insert.run(id, request.kind, request.accountIds[0], null, request.mode, params, now);
      } else {
        insert.run(id, request.kind, null, null, request.mode, params, now);
        for (const accountId of request.accountIds) {
          insert.run(ID_PREFIX[request.kind] + ulid(now), request.kind, accountId, id, request.mode, params, now);
        }
      }
    })();
    const snapshot = this.get(id) as JobSnapshot;
    this.#events.emit({ type: 'job.updated', job: snapshot });
    return snapshot;
  }

  get(id: string): JobSnapshot | undefined {
    const row = this.row(id);
    return row ? toSnapshot(row) : undefined;
  }

  row(id: string): JobRow | undefined {
    return stmt<[string], JobRow>(this.#db, 'SELECT * FROM jobs WHERE id = ?').get(id);
  }

  /** Whether any sync of this kind is queued or running for the account (the scheduler skips such accounts). */
  hasOpenJob(kind: JobKind, accountId: string): boolean {
    return (
      stmt<[string, string], { one: number }>(
        this.#db,
        `SELECT 1 AS one FROM jobs WHERE account_id = ? AND kind = ? AND status IN ('queued', 'running') LIMIT 1`,
      ).get(accountId, kind) !== undefined
    );
  }

  /** Claims the oldest queued job whose account has no running job of its kind; marks it running. */
  /** The oldest queued job that may start now; none of `excludedAccounts` (accounts being removed). */
  claimNext(excludedAccounts: readonly string[] = []): JobRow | undefined {
    return this.#db.transaction(() => {
      const next = stmt<[string], JobRow>(
        this.#db,
        `SELECT j.* FROM jobs j
         WHERE j.status = 'queued' AND j.account_id IS NOT NULL
           AND j.account_id NOT IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.status = 'running' AND r.account_id = j.account_id AND r.kind = j.kind)
         ORDER BY j.queued_at, j.id LIMIT 1`,
      ).get(JSON.stringify(excludedAccounts));
      if (!next) return undefined;
      const now = this.#now();
      stmt(this.#db, `UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?`).run(now, next.id);
      if (next.parent_id) {
        stmt(
          this.#db,
          `UPDATE jobs SET status = 'running', started_at = coalesce(started_at, ?) WHERE id = ? AND status = 'queued'`,
        ).run(now, next.parent_id);
      }
      return { ...next, status: 'running' as const, started_at: now };
    })();
  }

  reportProgress(id: string, done: number, total: number | null): void {
    stmt(this.#db, 'UPDATE jobs SET progress_done = ?, progress_total = ? WHERE id = ?').run(done, total, id);
    const row = this.row(id);
    this.#events.emit({ type: 'job.progress', job_id: id, account_id: row?.account_id ?? null, done, total });
  }

  succeed(id: string, counts: Record<string, number>): void {
    this.finish(id, 'succeeded', counts, null);
  }

  fail(id: string, error: { code: string; message: string }, counts: Record<string, number> = {}): void {
    this.finish(id, 'failed', counts, error);
  }

  /** Jobs a crash left running go back to the queue; sync resumes from the last committed cursor. */
  requeueInterrupted(): number {
    return stmt(
      this.#db,
      `UPDATE jobs SET status = 'queued', started_at = NULL WHERE status = 'running' AND account_id IS NOT NULL`,
    ).run().changes;
  }

  /** Full syncs still queued or running (e.g. requeued after a crash) for any of these accounts. */
  openFullSyncs(kind: JobKind, accountIds: readonly string[]): JobSnapshot[] {
    return accountIds
      .map((accountId) => this.openFullJob(kind, accountId))
      .filter((row): row is JobRow => row !== undefined)
      .map((row) => this.get(row.id) as JobSnapshot);
  }

  private openFullJob(kind: JobKind, accountId: string): JobRow | undefined {
    return stmt<[string, string], JobRow>(
      this.#db,
      `SELECT * FROM jobs WHERE account_id = ? AND kind = ? AND mode = 'full' AND status IN ('queued', 'running') LIMIT 1`,
    ).get(accountId, kind);
  }

  private finish(
    id: string,
    status: 'succeeded' | 'failed',
    counts: Record<string, number>,
    error: { code: string; message: string } | null,
  ): void {
    const finished = this.#db.transaction(() => {
      const now = this.#now();
      stmt(
        this.#db,
        `UPDATE jobs SET status = ?, counts_json = ?, error_code = ?, error_message = ?, finished_at = ? WHERE id = ?`,
      ).run(status, JSON.stringify(counts), error?.code ?? null, error?.message ?? null, now, id);
      const row = this.row(id) as JobRow;
      const done = [row];
      if (row.parent_id && this.finishParentIfComplete(row.parent_id, now)) done.push(this.row(row.parent_id) as JobRow);
      return done;
    })();
    for (const row of finished) {
      const job = toSnapshot(row);
      this.#events.emit({ type: 'job.updated', job });
      // Completion events name the job the client was given: a lone job or a parent.
      if (row.parent_id === null) {
        const prefix = row.kind === 'email_sync' ? 'email' : 'calendar';
        this.#events.emit({ type: row.status === 'succeeded' ? `${prefix}.sync.completed` : `${prefix}.sync.failed`, job });
      }
    }
  }

  /** When every child has finished, the parent takes their summed counts and the worst status. */
  private finishParentIfComplete(parentId: string, now: number): boolean {
    const children = stmt<[string], JobRow>(this.#db, 'SELECT * FROM jobs WHERE parent_id = ?').all(parentId);
    if (children.some((c) => c.status === 'queued' || c.status === 'running')) return false;
    const counts: Record<string, number> = {};
    for (const child of children) {
      for (const [key, value] of Object.entries(JSON.parse(child.counts_json) as Record<string, number>)) {
        counts[key] = (counts[key] ?? 0) + value;
      }
    }
    const failed = children.find((c) => c.status === 'failed');
    stmt(
      this.#db,
      `UPDATE jobs SET status = ?, counts_json = ?, error_code = ?, error_message = ?, finished_at = ?,
         progress_done = ?, progress_total = ? WHERE id = ?`,
    ).run(
      failed ? 'failed' : 'succeeded',
      JSON.stringify(counts),
      failed?.error_code ?? null,
      failed
        ? `${children.filter((c) => c.status === 'failed').length} of ${children.length} accounts failed: ${failed.error_message}`
        : null,
      now,
      children.reduce((sum, c) => sum + c.progress_done, 0),
      children.every((c) => c.progress_total !== null) ? children.reduce((sum, c) => sum + (c.progress_total ?? 0), 0) : null,
      parentId,
    );
    return true;
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
