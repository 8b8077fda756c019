import type { JobSnapshot } from '../../shared/events.ts';
import type { EnqueueRequest, JobQueue } from '../sync/jobQueue.ts';

/**
 * The UI's own Sync now (main/api/rateLimits.ts isUiSyncNow): no script's sync
 * cap counts it, and pressing it again and again cannot pile up syncs. An
 * account whose sync of this kind is still queued or running, or was queued
 * less than `gapMs` ago, is covered by that sync; the other accounts are
 * queued as usual. When every account is covered, the answer is the newest
 * covering sync (the job a client was given: a parent, not its child), never a
 * refusal: the person at the window is not told to wait.
 */
export function syncNowFromUi(jobs: JobQueue, request: EnqueueRequest, options: { now: number; gapMs: number }): JobSnapshot {
  const uncovered: string[] = [];
  let newest: { id: string; queuedAt: number } | null = null;
  for (const accountId of request.accountIds) {
    const latest = jobs.latest(request.kind, accountId);
    const open = latest?.status === 'queued' || latest?.status === 'running';
    if (!latest || (!open && latest.queued_at <= options.now - options.gapMs)) {
      uncovered.push(accountId);
      continue;
    }
    if (!newest || latest.queued_at > newest.queuedAt) newest = { id: latest.parent_id ?? latest.id, queuedAt: latest.queued_at };
  }
  const covering = newest && jobs.get(newest.id);
  if (uncovered.length === 0 && covering) return covering;
  return jobs.enqueue({ ...request, accountIds: uncovered.length > 0 ? uncovered : request.accountIds });
}
