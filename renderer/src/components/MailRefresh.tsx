import { useCallback, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountResponseBody } from '../../../shared/api/accounts.ts';
import { api } from '../apiClient.ts';
import { onCoreEvent, useLiveStore } from '../liveEvents.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { refreshScope } from '../mail/refreshScope.ts';

type Account = AccountResponseBody['data'];

/**
 * The mail view's Refresh (the UI's own Sync now, never refused): in one account's mailbox it syncs
 * that account's mail and shows that account's progress, last sync and error; in a unified view it
 * syncs every account and says when mail was last synced, or which account's last sync failed
 * (renderer/src/mail/refreshScope.ts decides which).
 */
export function MailRefresh() {
  const [accounts, setAccounts] = useState<readonly Account[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const inView = useNavigationStore((s) => s.view.account);
  const jobs = useLiveStore(useShallow((s) => Object.values(s.jobs).filter((j) => j.kind === 'email_sync')));
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
  // biome-ignore lint/correctness/useExhaustiveDependencies: the problem is cleared when the scope in view changes
  useEffect(() => setProblem(null), [inView]);
  const scope = refreshScope(accounts, jobs, inView);
  if (!scope) return null;
  const refresh = async () => {
    setProblem(null);
    try {
      await api.syncNow(scope.account?.id);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const state = problem ?? scope.state;
  return (
    <div className="mail-refresh">
      <button
        type="button"
        onClick={() => void refresh()}
        disabled={scope.syncing}
        title={scope.account ? `Sync ${scope.account.email} now` : "Sync every account's mail now"}
      >
        {scope.syncing ? 'Syncing…' : 'Refresh'}
      </button>
      {/* Short ("Synced 07:05", "Synced Mar 4"), cut to the header's width: the whole of it as the tooltip. */}
      <span className="mail-refresh-state" role="status" title={problem ?? scope.detail}>
        {state}
      </span>
    </div>
  );
}
