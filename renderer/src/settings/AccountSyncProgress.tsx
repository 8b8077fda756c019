import { useLiveStore } from '../liveEvents.ts';
import { progressText } from '../syncProgressText.ts';

/** A running sync of one account: a progress bar (indeterminate until the provider says how many). */
export function AccountSyncProgress({ accountId, email }: { accountId: string; email: string }) {
  const job = useLiveStore((s) => Object.values(s.jobs).find((j) => j.account_id === accountId && j.kind === 'email_sync'));
  const calendar = useLiveStore((s) =>
    Object.values(s.jobs).some((j) => j.account_id === accountId && j.kind === 'calendar_sync'),
  );
  if (!job && !calendar) return null;
  if (!job) return <div className="sync-progress muted">Syncing calendars…</div>;
  const { done, total } = job.progress;
  return (
    <div className="sync-progress">
      <progress
        aria-label={`Syncing ${email}`}
        max={total ?? undefined}
        value={total === null ? undefined : Math.min(done, total)}
      />
      <span className="muted">
        {' '}
        {job.status === 'queued' ? 'Waiting to sync' : job.mode === 'full' ? 'Full sync' : 'Syncing'}
        {done > 0 ? `: ${progressText(job.progress)} messages` : '…'}
      </span>
    </div>
  );
}
