import { useCallback, useEffect, useState } from 'react';
import type { AccountCapabilities, AccountListResponseBody } from '../../../shared/api/accounts.ts';
import { ApiRequestError, api } from '../apiClient.ts';
import { formatLongDate } from '../formatDate.ts';
import { onCoreEvent } from '../liveEvents.ts';
import { useLabelStore } from '../mail/labelStore.ts';
import { AccountSyncProgress } from './AccountSyncProgress.tsx';
import { RemoveAccount } from './RemoveAccount.tsx';
import { SenderNameSetting } from './SenderNameSetting.tsx';
import { SignatureSetting } from './SignatureSetting.tsx';
import { SyncIntervals } from './SyncIntervals.tsx';

export type Account = AccountListResponseBody['data'][number];
type SignInFlow = NonNullable<AccountCapabilities['connect_with']>;

/** The connected accounts: connect, reconnect, sync now, and each one's sync intervals, signature and removal. */
export function AccountsSettings() {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** While a sign-in is under way: the accounts as they were when it started ("id:status" list). */
  const [waitingSince, setWaitingSince] = useState<string | null>(null);
  const waiting = waitingSince !== null;
  const setWaiting = (on: boolean) => setWaitingSince(on ? accountsKey(accounts) : null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const next = (await api.listAccounts()).data;
      setAccounts((previous) => {
        // A new or newly synced account brings labels and unread counts to the sidebar.
        if (next.map((a) => a.last_synced_at).join() !== previous.map((a) => a.last_synced_at).join())
          void useLabelStore.getState().loadLabels();
        return next;
      });
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // Live: an account connected, needing reauth, or a sync of it finished.
  useEffect(
    () =>
      onCoreEvent((event) => {
        if (
          event.type === 'account.updated' ||
          (event.type === 'job.updated' && (event.job.status === 'succeeded' || event.job.status === 'failed'))
        )
          void load();
      }),
    [load],
  );
  // A new account, or one reconnected: the sign-in finished.
  useEffect(() => {
    if (waitingSince !== null && accountsKey(accounts) !== waitingSince) setWaitingSince(null);
  }, [accounts, waitingSince]);
  // While a sign-in is under way in the other tab or the browser, look for the new account (events may lag or be down).
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), 1_500);
    const stop = setTimeout(() => setWaitingSince(null), 5 * 60_000);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [waiting, load]);

  const connect = async (flow: SignInFlow) => {
    setError(null);
    try {
      const { data } = await api.connectAccount(flow);
      // The consent page opens beside the app (Electron hands it to the system browser).
      window.open(data.authorization_url, '_blank', 'noopener');
      setWaiting(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const syncNow = async () => {
    setError(null);
    setNotice(null);
    const results = await Promise.allSettled([api.syncNow(), api.syncCalendarsNow()]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failed) return setNotice('Sync started.');
    const e = failed.reason as Error;
    setError(e instanceof ApiRequestError && e.code === 'sync_in_progress' ? 'A sync is already running.' : e.message);
  };

  const needsReauth = accounts.filter((a) => a.status === 'needs_reauth');
  return (
    <section aria-labelledby="accounts-title">
      <h3 id="accounts-title">Accounts</h3>
      {window.outpost?.vaultProtection === 'file' && (
        <p className="banner" role="note">
          No system keychain was found: your accounts' sign-in tokens are encrypted with a key kept in a file only your user can
          read (vault.key in Outpost's data folder). Programs running as you can read it too; disk encryption protects it at rest.
        </p>
      )}
      {needsReauth.map((a) => {
        const flow = a.capabilities.connect_with;
        return (
          <p key={a.id} className="banner" role="alert">
            {a.email} needs you to sign in again; Outpost cannot sync it until you do.{' '}
            {flow && (
              <button type="button" onClick={() => void connect(flow)}>
                Reconnect
              </button>
            )}
          </p>
        );
      })}
      <ul className="account-list" aria-label="Connected accounts">
        {accounts.map((a) => (
          <li key={a.id}>
            <strong>{a.email}</strong> · {a.provider_name} · {a.status.replace('_', ' ')}
            <span className="muted"> · {a.last_synced_at ? `synced ${formatLongDate(a.last_synced_at)}` : 'not synced yet'}</span>
            {a.last_error && <span className="error"> · {a.last_error}</span>}
            <AccountSyncProgress accountId={a.id} email={a.email} />
            {a.capabilities.sync && <SyncIntervals account={a} onChanged={load} />}
            {a.capabilities.send && <SenderNameSetting account={a} onChanged={load} />}
            {a.capabilities.send && <SignatureSetting account={a} onChanged={load} />}
            <RemoveAccount
              account={a}
              onRemoved={(text) => {
                setNotice(text);
                void load();
              }}
            />
          </li>
        ))}
        {accounts.length === 0 && <li className="muted">No accounts yet.</li>}
      </ul>
      <div className="settings-actions">
        <button type="button" onClick={() => void connect('google')}>
          Connect Google
        </button>
        <button type="button" onClick={() => void connect('microsoft')}>
          Connect Microsoft
        </button>
        <button type="button" onClick={() => void syncNow()}>
          Sync now
        </button>
      </div>
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {waiting && <p className="muted">Waiting for you to allow access in the sign-in page…</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function accountsKey(accounts: readonly Account[]): string {
  return accounts.map((a) => `${a.id}:${a.status}`).join();
}
