import { useCallback, useEffect, useState } from 'react';
import type { AccountResponseBody } from '../../../shared/api/accounts.ts';
import { api } from '../apiClient.ts';
import { formatLongDate } from '../formatDate.ts';
import { onCoreEvent, useLiveStore } from '../liveEvents.ts';

type Account = AccountResponseBody['data'];

/**
 * The mail view's Refresh: syncs every account's mail now (the UI's own Sync now, never refused), then
 * says when mail was last synced, or why the last sync failed. Progress shows in the header while it runs.
 */
export function MailRefresh() {
  const [accounts, setAccounts] = useState<readonly Account[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const syncing = useLiveStore((s) => Object.values(s.jobs).some((j) => j.kind === 'email_sync'));
  const load = useCallback(() => {
    void api
      .listAccounts()
      .then(({ data }) => setAccounts(data.filter((a) => a.capabilities.sync)))
      .catch(() => {});
  }, []);
  useEffect(() => {
    load();
    return onCoreEvent((event) => {
      if (event.type === 'email.sync.completed' || event.type === 'email.sync.failed' || event.type === 'account.updated') load();
    });
  }, [load]);
  if (accounts.length === 0) return null;
  const failed = accounts.find((a) => a.last_error);
  const last = accounts
    .map((a) => a.last_synced_at)
    .filter((t): t is string => t !== null)
    .sort()
    .at(-1);
  const refresh = async () => {
    setProblem(null);
    try {
      await api.syncNow();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <div className="mail-refresh">
      <button type="button" onClick={() => void refresh()} disabled={syncing} title="Sync every account's mail now">
        {syncing ? 'Syncing…' : 'Refresh'}
      </button>
      <span className="mail-refresh-state" role="status">
        {problem ??
          (failed
            ? `Sync failed for ${failed.email}: ${failed.last_error}`
            : last
              ? `Synced ${formatLongDate(last)}`
              : 'Not synced yet')}
      </span>
    </div>
  );
}
