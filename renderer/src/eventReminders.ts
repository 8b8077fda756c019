import type { CalendarEvent } from '../../shared/api/calendar.ts';
import { api } from './apiClient.ts';
import { browserNotificationsOn } from './browserNotifications.ts';
import { isDeclined } from './calendarLayout.ts';
import { onCoreEvent } from './liveEvents.ts';

/** One reminder of one event: when it is due, and the key that makes it fire once. */
export interface DueReminder {
  key: string;
  event: CalendarEvent;
  minutes: number;
  at: number;
}

const FIRED_KEY = 'outpost.firedReminders';
const MINUTE = 60_000;
/** Events are read this far ahead: reminders set days before their event (Google allows four weeks) still fire. */
const LOOK_AHEAD_MS = 8 * 24 * 60 * MINUTE;
/** Read again this often, besides after every calendar sync: a timer set long ago may name a moved event. */
const REFRESH_MS = 5 * MINUTE;
/** A read that failed is tried again after this long. */
const RETRY_MS = 30_000;
/** Timers are set for reminders due within this long (the next refresh sets the later ones). */
const TIMER_HORIZON_MS = 24 * 60 * MINUTE;

/**
 * The reminders of these events still worth showing at `now`: each of an event's reminders (minutes before
 * its start), unless the event has started, was cancelled or declined. One that fell due while Outpost was
 * not running is due at once, as long as its event has not started.
 */
export function remindersOf(events: readonly CalendarEvent[], now: number): DueReminder[] {
  const due: DueReminder[] = [];
  for (const event of events) {
    const start = Date.parse(event.start);
    if (!(start > now) || event.status === 'cancelled' || isDeclined(event)) continue;
    for (const minutes of new Set(event.reminders_minutes)) {
      if (minutes < 0) continue;
      due.push({ key: `${event.id}@${start}-${minutes}`, event, minutes, at: start - minutes * MINUTE });
    }
  }
  return due.sort((a, b) => a.at - b.at);
}

/** Reminders already shown (by key, when), kept per device for two days so a reload does not show them again. */
function firedReminders(now: number): Record<string, number> {
  try {
    const stored = JSON.parse(localStorage.getItem(FIRED_KEY) ?? '{}') as Record<string, number>;
    return Object.fromEntries(
      Object.entries(stored).filter(([, at]) => typeof at === 'number' && now - at < 2 * 24 * 60 * MINUTE),
    );
  } catch {
    return {};
  }
}

/**
 * The device's own notification for a reminder: in a browser tab when the person allowed them (Settings);
 * in the desktop app when its notifications are on and Do not disturb is off.
 */
function notify(reminder: DueReminder, text: string): void {
  const show = () => {
    const shown = new Notification(reminder.event.summary || '(no title)', { body: text, tag: reminder.key });
    shown.onclick = () => {
      window.focus();
      shown.close();
    };
  };
  if (window.outpost)
    void window.outpost.getNotificationPrefs().then(
      (prefs) => prefs.enabled && !prefs.doNotDisturb && show(),
      (error) => console.warn('event reminders: notification preferences unreadable', error),
    );
  else if (browserNotificationsOn()) show();
}

/**
 * Shows each event reminder when it falls due, once: `show` puts it in the app, and a browser notification
 * follows when they are on. Upcoming events are read from the local API at start, after each calendar sync
 * and every few minutes; a timer waits for each reminder due within a day. Returns the stop.
 */
export function startEventReminders(
  show: (reminder: DueReminder) => void,
  describe: (reminder: DueReminder) => string,
  /** After each read of the upcoming events: how many reminders wait on a timer. */
  armed: (count: number) => void = () => {},
): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const fire = (reminder: DueReminder) => {
    timers.delete(reminder.key);
    const fired = firedReminders(Date.now());
    if (fired[reminder.key]) return;
    fired[reminder.key] = Date.now();
    localStorage.setItem(FIRED_KEY, JSON.stringify(fired));
    show(reminder);
    notify(reminder, describe(reminder));
  };
  const refresh = async () => {
    const now = Date.now();
    let events: CalendarEvent[];
    try {
      events = (await api.listEvents(new Date(now), new Date(now + LOOK_AHEAD_MS))).data;
    } catch (error) {
      // Offline, the session not yet set, or the core restarting: tried again soon, not only at the next refresh.
      console.warn('event reminders: could not read upcoming events', error);
      if (!stopped) retry = setTimeout(() => void refresh(), RETRY_MS);
      return;
    }
    if (stopped) return;
    const fired = firedReminders(now);
    const due = remindersOf(events, now).filter((r) => !fired[r.key] && r.at - now <= TIMER_HORIZON_MS);
    const keys = new Set(due.map((r) => r.key));
    for (const [key, timer] of timers)
      if (!keys.has(key)) {
        clearTimeout(timer);
        timers.delete(key);
      }
    for (const reminder of due)
      if (!timers.has(reminder.key))
        timers.set(
          reminder.key,
          setTimeout(() => fire(reminder), Math.max(0, reminder.at - now)),
        );
    armed(timers.size);
  };
  void refresh();
  const every = setInterval(() => void refresh(), REFRESH_MS);
  const stopEvents = onCoreEvent((event) => {
    if (event.type === 'calendar.sync.completed') void refresh();
  });
  return () => {
    stopped = true;
    clearInterval(every);
    clearTimeout(retry);
    stopEvents();
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
