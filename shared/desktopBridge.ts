import type { ComposeDraft } from './composeDraft.ts';

/** The synchronous IPC request by which the preload asks the main process for the session token. */
export const SESSION_CHANNEL = 'outpost:session';

/** Views the desktop shell's menus can ask the renderer to show. */
export type DesktopView = 'settings' | 'shortcuts';

/** The desktop app's new-mail notifications, as Settings shows and changes them. */
export interface NotificationPrefs {
  enabled: boolean;
  doNotDisturb: boolean;
  /** Accounts (acc_...) whose new mail never notifies. */
  mutedAccounts: string[];
}

/** Notification preferences from untrusted input (a message between the desktop's processes); null if malformed. */
export function notificationPrefsFromJson(value: unknown): NotificationPrefs | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.enabled !== 'boolean' || typeof v.doNotDisturb !== 'boolean' || !Array.isArray(v.mutedAccounts)) return null;
  const muted = v.mutedAccounts.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 100);
  if (muted.length !== v.mutedAccounts.length || muted.length > 1000) return null;
  return { enabled: v.enabled, doNotDisturb: v.doNotDisturb, mutedAccounts: [...new Set(muted)] };
}

/** What the preload exposes to the renderer as `window.outpost` (and nothing more). */
export interface DesktopBridge {
  /** e.g. http://127.0.0.1:53412 */
  readonly apiBaseUrl: string;
  /** This launch's admin session token for the API (asked of the main process each time: a restarted core has a new one). */
  sessionToken(): string;
  /** How account tokens' key is kept: the OS keychain, or a 0600 file where no keychain was found. */
  readonly vaultProtection: 'keychain' | 'file';
  /** A notification was clicked: show this thread (a public thread id, thr_...). */
  onOpenThread(listener: (threadId: string) => void): void;
  /** A menu item asked for a view. */
  onNavigate(listener: (view: DesktopView) => void): void;
  /** Write a message in its own window (new, reply, forward, a saved draft reopened). */
  openCompose(draft: ComposeDraft): void;
  /** New-mail notifications: read them, and change them (the answer is what was stored). */
  getNotificationPrefs(): Promise<NotificationPrefs>;
  setNotificationPrefs(prefs: NotificationPrefs): Promise<NotificationPrefs>;
}
