import { useEffect, useState } from 'react';
import type { NotificationPrefs } from '../../../shared/desktopBridge.ts';
import { api } from '../apiClient.ts';
import type { Account } from './AccountsSettings.tsx';

/**
 * The desktop app's new-mail notifications (kept by the app, through the preload): on or off,
 * do not disturb, and accounts that never notify. Not shown in a browser, which has none.
 */
export function NotificationSettings() {
  const [prefs, setPrefs] = useState<NotificationPrefs | null>(null);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void window.outpost
      ?.getNotificationPrefs()
      .then(setPrefs)
      .catch((e: Error) => setError(e.message));
    // New mail is announced by syncs: accounts that do not sync (imported mail) never notify.
    void api
      .listAccounts()
      .then(({ data }) => setAccounts(data.filter((a) => a.capabilities.sync)))
      .catch(() => {});
  }, []);
  const change = async (next: NotificationPrefs) => {
    setError(null);
    try {
      const stored = await window.outpost?.setNotificationPrefs(next);
      if (stored) setPrefs(stored);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="notifications-title">
      <h3 id="notifications-title">Notifications</h3>
      {prefs && (
        <fieldset className="notification-prefs">
          <legend className="sr-only">New mail</legend>
          <label>
            <input type="checkbox" checked={prefs.enabled} onChange={() => void change({ ...prefs, enabled: !prefs.enabled })} />{' '}
            Show a notification when new mail arrives in the inbox
          </label>
          <label>
            <input
              type="checkbox"
              checked={prefs.doNotDisturb}
              disabled={!prefs.enabled}
              onChange={() => void change({ ...prefs, doNotDisturb: !prefs.doNotDisturb })}
            />{' '}
            Do not disturb (also in the app and tray menus)
          </label>
          {accounts.map((a) => {
            const muted = prefs.mutedAccounts.includes(a.id);
            return (
              <label key={a.id}>
                <input
                  type="checkbox"
                  checked={!muted}
                  disabled={!prefs.enabled}
                  onChange={() =>
                    void change({
                      ...prefs,
                      mutedAccounts: muted ? prefs.mutedAccounts.filter((id) => id !== a.id) : [...prefs.mutedAccounts, a.id],
                    })
                  }
                />{' '}
                For {a.email}
              </label>
            );
          })}
        </fieldset>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
