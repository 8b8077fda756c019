import { useCallback, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountResponseBody } from '../../../shared/api/accounts.ts';
import { api } from '../apiClient.ts';
import { formatLongDate } from '../formatDate.ts';
import { onCoreEvent, useLiveStore } from '../liveEvents.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { progressText } from './SyncStatus.tsx';

type Account = AccountResponseBody['data'];

/**
 * The mail view's Refresh (the UI's own Sync now, never refused): in one account's mailbox it syncs
 * that account's mail and shows that account's progress, last sync and error; in a unified view it
 * syncs every account and says when mail was last synced, or which account's last sync failed.
 */
export function MailRefresh() {
  const [accounts, setAccounts] = useState<readonly Account[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const inView = useNavigationStore((s) => s.view.account);
  // The scope's mail syncs under way: one account's (its job), or any (a request's parent and its children).
  const running = useLiveStore(
    useShallow((s) =>
      Object.values(s.jobs).filter((j) => j.kind === 'email_sync' && (inView === undefined || j.account_id === inView)),
    ),
  );
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
  // A problem asking for one scope's sync is not the other scope's.
  useEffect(() => setProblem(null), [inView]);
  const account = inView === undefined ? undefined : accounts.find((a) => a.id === inView);
  const scope = inView === undefined ? accounts : account ? [account] : [];
  if (scope.length === 0) return null;
  const failed = scope.find((a) => a.last_error);
  const last = scope
    .map((a) => a.last_synced_at)
    .filter((t): t is string => t !== null)
    .sort()
    .at(-1);
  const progress = running.find((j) => j.account_id !== null && j.progress.done > 0)?.progress;
  const state =
    problem ??
    (progress
      ? `Syncing ${progressText(progress)} messages`
      : failed
        ? `Sync failed for ${failed.email}: ${failed.last_error}`
        : last
          ? `Synced ${formatLongDate(last)}`
          : 'Not synced yet');
  const refresh = async () => {
    setProblem(null);
    try {
      await api.syncNow(account?.id);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <div className="mail-refresh">
      <button
        type="button"
        onClick={() => void refresh()}
        disabled={running.length > 0}
        title={account ? `Sync ${account.email} now` : "Sync every account's mail now"}
      >
        {running.length > 0 ? 'Syncing…' : 'Refresh'}
      </button>
      {/* Cut to the header's width: the whole of it as the tooltip. */}
      <span className="mail-refresh-state" role="status" title={state}>
        {state}
      </span>
    </div>
  );
}
