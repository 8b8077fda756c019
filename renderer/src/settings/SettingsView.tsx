import { browserNotificationsSupported } from '../browserNotifications.ts';
import { AccountsSettings } from './AccountsSettings.tsx';
import { BrowserNotificationSettings } from './BrowserNotificationSettings.tsx';
import { KeySettings } from './KeySettings.tsx';
import { NotificationSettings } from './NotificationSettings.tsx';
import { SendingSettings } from './SendingSettings.tsx';
import { WebhookSettings } from './WebhookSettings.tsx';

/** Accounts (connect, reconnect, sync, remove), notifications, sending, and API keys and webhooks for scripts. */
export function SettingsView() {
  return (
    <section className="settings" aria-label="Settings">
      <h2>Settings</h2>
      <AccountsSettings />
      {window.outpost?.getNotificationPrefs && <NotificationSettings />}
      {browserNotificationsSupported() && <BrowserNotificationSettings />}
      <SendingSettings />
      <KeySettings />
      <WebhookSettings />
    </section>
  );
}
