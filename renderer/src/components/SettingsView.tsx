import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { AccountListResponseBody } from '../../../shared/api/accounts.ts';
import type { KeyListResponseBody } from '../../../shared/api/keys.ts';
import type { DeliveryListResponseBody, WebhookListResponseBody } from '../../../shared/api/webhooks.ts';
import type { NotificationPrefs } from '../../../shared/desktopBridge.ts';
import { DEFAULT_SYNC_MINUTES } from '../../../shared/syncIntervals.ts';
import { type ApiRequestError, api } from '../apiClient.ts';
import { formatLongDate } from '../formatDate.ts';
import { onCoreEvent, useLiveStore } from '../liveEvents.ts';
import { useMailStore } from '../mailStore.ts';
import { setUndoSendSeconds, UNDO_SEND_CHOICES, undoSendSeconds } from '../undoSend.ts';
import { progressText } from './SyncStatus.tsx';

type Account = AccountListResponseBody['data'][number];
type ApiKey = KeyListResponseBody['data'][number];
type Webhook = WebhookListResponseBody['data'][number];
type Delivery = DeliveryListResponseBody['data'][number];

const WEBHOOK_EVENTS = [
  'email.sync.completed',
  'email.sync.failed',
  'calendar.sync.completed',
  'calendar.sync.failed',
  'email.sent',
] as const;

const SCOPES = ['read:email', 'write:email', 'read:calendar', 'write:calendar', 'admin'] as const;
const PROVIDER_NAMES: Record<string, string> = { gmail: 'Gmail', microsoft: 'Microsoft 365', local: 'Imported' };

/** Accounts (connect, reconnect, sync) and API keys for scripts. */
export function SettingsView() {
  return (
    <section className="settings" aria-label="Settings">
      <h2>Settings</h2>
      <AccountsSettings />
      {window.outpost?.getNotificationPrefs && <NotificationSettings />}
      <SendingSettings />
      <KeySettings />
      <WebhookSettings />
    </section>
  );
}

/**
 * The desktop app's new-mail notifications (kept by the app, through the preload): on or off,
 * do not disturb, and accounts that never notify. Not shown in a browser, which has none.
 */
function NotificationSettings() {
  const [prefs, setPrefs] = useState<NotificationPrefs | null>(null);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void window.outpost
      ?.getNotificationPrefs()
      .then(setPrefs)
      .catch((e: Error) => setError(e.message));
    void api
      .listAccounts()
      .then(({ data }) => setAccounts(data.filter((a) => a.provider !== 'local')))
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

/** Preferences of this device for sending: how long a sent message can still be taken back. */
function SendingSettings() {
  const [seconds, setSeconds] = useState(undoSendSeconds);
  return (
    <section aria-labelledby="sending-title">
      <h3 id="sending-title">Sending</h3>
      <label>
        Undo send{' '}
        <select
          className="setting-choice"
          value={seconds}
          onChange={(event) => {
            const next = Number(event.target.value);
            setUndoSendSeconds(next);
            setSeconds(next);
          }}
        >
          {UNDO_SEND_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {choice === 0 ? 'Off: send at once' : `${choice} seconds`}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">
        A sent message waits this long in the Outbox, with Undo, before it goes to the provider. Scripts sending through the API
        are not held unless they ask (send_delay_seconds).
      </p>
    </section>
  );
}

function AccountsSettings() {
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
          void useMailStore.getState().loadLabels();
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

  const connect = async (provider: 'google' | 'microsoft') => {
    setError(null);
    try {
      const { data } = await api.connectAccount(provider);
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
    if (failed) {
      const e = failed.reason as ApiRequestError;
      setError(e.code === 'sync_in_progress' ? 'A sync is already running.' : e.message);
    } else setNotice('Sync started.');
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
      {needsReauth.map((a) => (
        <p key={a.id} className="banner" role="alert">
          {a.email} needs you to sign in again; Outpost cannot sync it until you do.{' '}
          <button type="button" onClick={() => void connect(a.provider === 'microsoft' ? 'microsoft' : 'google')}>
            Reconnect
          </button>
        </p>
      ))}
      <ul className="account-list" aria-label="Connected accounts">
        {accounts.map((a) => (
          <li key={a.id}>
            <strong>{a.email}</strong> · {PROVIDER_NAMES[a.provider] ?? a.provider} · {a.status.replace('_', ' ')}
            <span className="muted"> · {a.last_synced_at ? `synced ${formatLongDate(a.last_synced_at)}` : 'not synced yet'}</span>
            {a.last_error && <span className="error"> · {a.last_error}</span>}
            <AccountSyncProgress accountId={a.id} email={a.email} />
            {a.provider !== 'local' && <SyncIntervals account={a} onChanged={load} />}
            {a.provider !== 'local' && <SignatureSetting account={a} onChanged={load} />}
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

/** The choices offered, in minutes (0: only when asked). The API takes any whole number up to a day. */
const MAIL_CHOICES = [1, 2, 5, 10, 15, 30, 60, 0];
const CALENDAR_CHOICES = [5, 15, 30, 60, 240, 0];

function intervalText(minutes: number): string {
  if (minutes === 0) return 'Only when I ask';
  if (minutes % 60 === 0) return minutes === 60 ? 'Every hour' : `Every ${minutes / 60} hours`;
  return minutes === 1 ? 'Every minute' : `Every ${minutes} minutes`;
}

/** How often an account syncs on its own: mail and calendars each, or the default. */
function SyncIntervals({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const change = async (field: 'email_sync_minutes' | 'calendar_sync_minutes', value: string) => {
    setError(null);
    try {
      await api.updateAccount(account.id, { [field]: value === 'default' ? null : Number(value) });
      await onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const picker = (field: 'email_sync_minutes' | 'calendar_sync_minutes', label: string, choices: number[], fallback: number) => {
    const current = account[field];
    // A value set through the API that the list does not offer still shows as chosen.
    const offered = current === null || choices.includes(current) ? choices : [...choices, current];
    return (
      <label>
        {label}{' '}
        <select value={current === null ? 'default' : String(current)} onChange={(e) => void change(field, e.target.value)}>
          <option value="default">Default ({intervalText(fallback).toLowerCase()})</option>
          {offered.map((m) => (
            <option key={m} value={String(m)}>
              {intervalText(m)}
            </option>
          ))}
        </select>
      </label>
    );
  };
  return (
    <fieldset className="sync-intervals">
      <legend className="sr-only">How often {account.email} syncs</legend>
      {picker('email_sync_minutes', 'Check mail', MAIL_CHOICES, DEFAULT_SYNC_MINUTES.email_sync)}
      {picker('calendar_sync_minutes', 'Calendars', CALENDAR_CHOICES, DEFAULT_SYNC_MINUTES.calendar_sync)}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** The text added below what is written from this account (plain text). */
/**
 * "Remove…" asks first, in place (what goes and what stays), then removes the account from this
 * computer; the mail views forget it at once.
 */
function RemoveAccount({ account, onRemoved }: { account: Account; onRemoved(notice: string): void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancelButton.current?.focus();
  }, [asking]);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await api.removeAccount(account.id);
      useMailStore.getState().accountRemoved(account.id);
      onRemoved(removalNotice(account, data));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  if (!asking)
    return (
      <button type="button" className="link-button remove-account" onClick={() => setAsking(true)}>
        Remove {account.email}…
      </button>
    );
  const label = `remove-${account.id}`;
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={label}>
      <p id={label}>
        Remove {account.email} from Outpost? Its mail, calendars and sign-in are deleted from this computer, with anything still
        waiting in the Outbox. Nothing is deleted at {PROVIDER_NAMES[account.provider] ?? 'the provider'}.
      </p>
      <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
        {busy ? 'Removing…' : 'Remove account'}
      </button>{' '}
      <button type="button" ref={cancelButton} disabled={busy} onClick={() => setAsking(false)}>
        Keep it
      </button>
      {error && (
        <p className="error" role="alert">
          Could not remove it: {error}
        </p>
      )}
    </div>
  );
}

function removalNotice(account: Account, removed: { messages_removed: number; revoked: boolean | null }): string {
  const what = `Removed ${account.email} (${removed.messages_removed.toLocaleString()} messages).`;
  if (removed.revoked === false && account.provider === 'gmail')
    return `${what} Google could not be told; remove Outpost under your Google Account's third-party access.`;
  if (account.provider === 'microsoft') return `${what} You can also remove Outpost from your Microsoft account's apps.`;
  return what;
}

function SignatureSetting({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const [text, setText] = useState(account.signature);
  const [status, setStatus] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    try {
      await api.updateAccount(account.id, { signature: text });
      setStatus('Saved.');
      await onChanged();
    } catch (e) {
      setStatus((e as Error).message);
    }
  };
  return (
    <details className="signature-setting">
      <summary>Signature{account.signature ? '' : ' (none)'}</summary>
      <form aria-label={`Signature for ${account.email}`} onSubmit={(e) => void save(e)}>
        <textarea
          aria-label={`Signature for ${account.email}`}
          value={text}
          maxLength={10_000}
          rows={4}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={text === account.signature}>
          Save signature
        </button>
        {status && (
          <span className="muted" role="status">
            {' '}
            {status}
          </span>
        )}
      </form>
    </details>
  );
}

function accountsKey(accounts: readonly Account[]): string {
  return accounts.map((a) => `${a.id}:${a.status}`).join();
}

/** A running sync of one account: a progress bar (indeterminate until the provider says how many). */
function AccountSyncProgress({ accountId, email }: { accountId: string; email: string }) {
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

function KeySettings() {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read:email']);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setKeys((await api.listKeys()).data);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { data } = await api.createKey(name.trim(), scopes);
      setCreated(data.key);
      setName('');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h3 id="keys-title">API keys</h3>
      <p className="muted">For scripts calling the local API. A key is shown once, when it is created.</p>
      <form className="key-form" aria-label="New API key" onSubmit={(e) => void create(e)}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)))}
              />
              {scope}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={!name.trim() || scopes.length === 0}>
          Create key
        </button>
      </form>
      {created && (
        <p className="created-key" role="status">
          New key (copy it now; it will not be shown again): <code className="new-key">{created}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created)}>
            Copy
          </button>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="key-list" aria-label="API keys">
        {keys.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong> <code>{k.prefix}…</code> {k.scopes.join(', ')}
            {k.revoked_at ? (
              <span className="muted"> · revoked</span>
            ) : (
              <button type="button" onClick={() => void api.revokeKey(k.id).then(load)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function WebhookSettings() {
  const [hooks, setHooks] = useState<Webhook[]>([]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['email.sync.completed']);
  const [secret, setSecret] = useState<string | null>(null);
  const [log, setLog] = useState<{ id: string; deliveries: Delivery[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setHooks((await api.listWebhooks()).data);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setSecret((await api.createWebhook(url.trim(), events)).data.secret);
      setUrl('');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const showLog = async (id: string) => {
    try {
      setLog({ id, deliveries: (await api.webhookDeliveries(id)).data });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h3 id="webhooks-title">Webhooks</h3>
      <p className="muted">
        Outpost POSTs signed JSON (header Outpost-Signature: t=…,v1=HMAC-SHA256 of "t.body") when these events happen, retrying
        for 24 hours.
      </p>
      <form className="key-form" aria-label="New webhook" onSubmit={(e) => void create(e)}>
        <label>
          URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="http://127.0.0.1:8080/hook" />
        </label>
        <fieldset>
          <legend>Events</legend>
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name}>
              <input
                type="checkbox"
                checked={events.includes(name)}
                onChange={(e) => setEvents((s) => (e.target.checked ? [...s, name] : s.filter((x) => x !== name)))}
              />
              {name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={!url.trim() || events.length === 0}>
          Add webhook
        </button>
      </form>
      {secret && (
        <p className="created-key" role="status">
          Signing secret (copy it now; it will not be shown again): <code className="new-secret">{secret}</code>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="key-list" aria-label="Webhooks">
        {hooks.map((h) => (
          <li key={h.id}>
            <strong>{h.url}</strong> {h.events.join(', ')}{' '}
            <button type="button" onClick={() => void showLog(h.id)}>
              Deliveries
            </button>
            <button type="button" onClick={() => void api.deleteWebhook(h.id).then(load)}>
              Delete
            </button>
            {log?.id === h.id && (
              <ul aria-label={`Deliveries to ${h.url}`}>
                {log.deliveries.length === 0 && <li className="muted">No deliveries yet.</li>}
                {log.deliveries.map((d) => (
                  <li key={d.id}>
                    {d.event_type} · {d.status} · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                    {d.last_status_code ? ` · HTTP ${d.last_status_code}` : ''}
                    {d.last_error ? ` · ${d.last_error}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
