import type { JobKind, JobMode, JobStatus } from '../../../shared/events.ts';
import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

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

export interface NewJob {
  id: string;
  kind: JobKind;
  accountId: string | null;
  parentId: string | null;
  mode: JobMode;
  paramsJson: string;
  queuedAt: number;
}

export function insertJob(db: WritableDb, job: NewJob): void {
  stmt(
    db,
    `INSERT INTO jobs (id, kind, account_id, parent_id, mode, status, params_json, queued_at)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`,
  ).run(job.id, job.kind, job.accountId, job.parentId, job.mode, job.paramsJson, job.queuedAt);
}

export function getJob(db: ReadableDb, id: string): JobRow | undefined {
  return stmt<[string], JobRow>(db, 'SELECT * FROM jobs WHERE id = ?').get(id);
}

/** Whether any sync of this kind is queued or running for the account. */
export function hasOpenJob(db: ReadableDb, kind: JobKind, accountId: string): boolean {
  return (
    stmt<[string, string], { one: number }>(
      db,
      `SELECT 1 AS one FROM jobs WHERE account_id = ? AND kind = ? AND status IN ('queued', 'running') LIMIT 1`,
    ).get(accountId, kind) !== undefined
  );
}

/** The account's newest job of this kind (any status): the one a repeated Sync now is answered with. */
export function latestJob(db: ReadableDb, kind: JobKind, accountId: string): JobRow | undefined {
  return stmt<[string, string], JobRow>(
    db,
    'SELECT * FROM jobs WHERE account_id = ? AND kind = ? ORDER BY queued_at DESC, id DESC LIMIT 1',
  ).get(accountId, kind);
}

/** A full sync of this kind queued or running for the account. */
export function openFullJob(db: ReadableDb, kind: JobKind, accountId: string): JobRow | undefined {
  return stmt<[string, string], JobRow>(
    db,
    `SELECT * FROM jobs WHERE account_id = ? AND kind = ? AND mode = 'full' AND status IN ('queued', 'running') LIMIT 1`,
  ).get(accountId, kind);
}

/**
 * Claims the oldest queued job whose account has no running job of its kind
 * and is not excluded (accounts being removed), marking it (and its parent)
 * running in one transaction.
 */
export function claimNextJob(db: WritableDb, excludedAccounts: readonly string[], now: number): JobRow | undefined {
  return transaction(db, () => {
    const next = stmt<[string], JobRow>(
      db,
      `SELECT j.* FROM jobs j
       WHERE j.status = 'queued' AND j.account_id IS NOT NULL
         AND j.account_id NOT IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.status = 'running' AND r.account_id = j.account_id AND r.kind = j.kind)
       ORDER BY j.queued_at, j.id LIMIT 1`,
    ).get(JSON.stringify(excludedAccounts));
    if (!next) return undefined;
    stmt(db, `UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?`).run(now, next.id);
    if (next.parent_id)
      stmt(db, `UPDATE jobs SET status = 'running', started_at = coalesce(started_at, ?) WHERE id = ? AND status = 'queued'`).run(
        now,
        next.parent_id,
      );
    return { ...next, status: 'running' as const, started_at: now };
  });
}

export function setJobProgress(db: WritableDb, id: string, done: number, total: number | null): void {
  stmt(db, 'UPDATE jobs SET progress_done = ?, progress_total = ? WHERE id = ?').run(done, total, id);
}

/** Jobs a crash left running go back to the queue; returns how many. */
export function requeueInterruptedJobs(db: WritableDb): number {
  return stmt(
    db,
    `UPDATE jobs SET status = 'queued', started_at = NULL WHERE status = 'running' AND account_id IS NOT NULL`,
  ).run().changes;
}

/**
 * Records a job's end; when it was the last child of a parent to finish, the
 * parent takes their summed counts and the worst status. Returns the rows that
 * finished (the job, then its parent if it finished too). The caller's
 * transaction (if any) holds both.
 */
export function finishJob(
  db: WritableDb,
  id: string,
  outcome: { status: 'succeeded' | 'failed'; counts: Record<string, number>; error: { code: string; message: string } | null },
  now: number,
): JobRow[] {
  return transaction(db, () => {
    stmt(db, `UPDATE jobs SET status = ?, counts_json = ?, error_code = ?, error_message = ?, finished_at = ? WHERE id = ?`).run(
      outcome.status,
      JSON.stringify(outcome.counts),
      outcome.error?.code ?? null,
      outcome.error?.message ?? null,
      now,
      id,
    );
    const row = getJob(db, id) as JobRow;
    const done = [row];
    if (row.parent_id && finishParentIfComplete(db, row.parent_id, now)) done.push(getJob(db, row.parent_id) as JobRow);
    return done;
  });
}

function finishParentIfComplete(db: WritableDb, parentId: string, now: number): boolean {
  const children = stmt<[string], JobRow>(db, 'SELECT * FROM jobs WHERE parent_id = ?').all(parentId);
  if (children.some((c) => c.status === 'queued' || c.status === 'running')) return false;
  const counts: Record<string, number> = {};
  for (const child of children) {
    for (const [key, value] of Object.entries(JSON.parse(child.counts_json) as Record<string, number>)) {
      counts[key] = (counts[key] ?? 0) + value;
    }
  }
  const failed = children.find((c) => c.status === 'failed');
  stmt(
    db,
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
