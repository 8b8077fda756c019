import type { CoreEvent } from '../../shared/events.ts';

const ENABLED_KEY = 'outpost.browserNotifications';

type NewMail = Extract<CoreEvent, { type: 'mail.received' }>['messages'];

/**
 * New-mail notifications in a browser tab (the desktop app has its own, from the Electron main):
 * only once the person turned them on in Settings, which is where the browser's permission is
 * asked (on that click, never on load). Kept per browser in localStorage.
 */
export function browserNotificationsSupported(): boolean {
  return !window.outpost && typeof Notification !== 'undefined';
}

/** On, and the browser allows it. */
export function browserNotificationsOn(): boolean {
  return browserNotificationsSupported() && localStorage.getItem(ENABLED_KEY) === 'on' && Notification.permission === 'granted';
}

/** Turns them on or off; turning on asks the browser's permission (call it from the person's click). */
export async function setBrowserNotifications(on: boolean): Promise<NotificationPermission> {
  if (!on) {
    localStorage.removeItem(ENABLED_KEY);
    return Notification.permission;
  }
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  if (permission === 'granted') localStorage.setItem(ENABLED_KEY, 'on');
  return permission;
}

/** One notification per new message (newest first, at most three, then one "and N more"); a click opens its thread. */
export function notifyNewMail(messages: NewMail, open: (threadId: string) => void): void {
  if (!browserNotificationsOn() || messages.length === 0) return;
  for (const message of messages.slice(0, 3)) {
    const shown = new Notification(message.from || 'New mail', { body: message.subject, tag: message.thread_id });
    shown.onclick = () => {
      window.focus();
      open(message.thread_id);
      shown.close();
    };
  }
  if (messages.length > 3) new Notification('Outpost', { body: `and ${messages.length - 3} more new messages` });
}
