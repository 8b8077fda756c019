import { useEffect, useState } from 'react';
import { clockFormat } from '../calendarLayout.ts';
import { useCalendarStore } from '../calendarStore.ts';
import { type DueReminder, startEventReminders } from '../eventReminders.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';

/** "in 10 minutes", "now", "in 1 hour 30 minutes": how long until the event, at the moment it is shown. */
function untilStart(reminder: DueReminder, now: number): string {
  const minutes = Math.round((Date.parse(reminder.event.start) - now) / 60_000);
  if (minutes <= 0) return 'now';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [
    hours > 0 ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    rest > 0 ? `${rest} minute${rest === 1 ? '' : 's'}` : '',
  ];
  return `in ${parts.filter(Boolean).join(' ')}`;
}

/** What a reminder says: when the event starts, and where. */
export function reminderText(reminder: DueReminder, now = Date.now()): string {
  const at = reminder.event.all_day ? 'all day' : `at ${clockFormat().format(new Date(reminder.event.start))}`;
  const where = reminder.event.location ? ` · ${reminder.event.location}` : '';
  return `${untilStart(reminder, now)}, ${at}${where}`;
}

/**
 * Event reminders as they fall due, stacked at the bottom left (compose docks at the right): the event's
 * title, when it starts, Open (its day in the calendar, its details shown) and Dismiss.
 */
export function EventReminders() {
  const [shown, setShown] = useState<Array<{ reminder: DueReminder; text: string }>>([]);
  const [armed, setArmed] = useState<number | null>(null);
  useEffect(
    () =>
      startEventReminders(
        (reminder) =>
          setShown((list) => [
            ...list.filter((s) => s.reminder.key !== reminder.key),
            { reminder, text: reminderText(reminder) },
          ]),
        (reminder) => reminderText(reminder),
        setArmed,
      ),
    [],
  );
  // How many reminders wait, once the upcoming events were read (a hidden mark; tests wait for it).
  const state = armed === null ? null : <div hidden data-reminders-armed={armed} />;
  if (shown.length === 0) return state;
  const dismiss = (key: string) => setShown((list) => list.filter((s) => s.reminder.key !== key));
  const open = async (reminder: DueReminder) => {
    dismiss(reminder.key);
    useNavigationStore.getState().showCalendar();
    const start = new Date(reminder.event.start);
    await useCalendarStore.getState().openDay(new Date(start.getFullYear(), start.getMonth(), start.getDate()));
    const loaded = useCalendarStore.getState().events.find((e) => e.id === reminder.event.id) ?? reminder.event;
    useCalendarStore.getState().select(loaded);
  };
  return (
    <section className="event-reminders" aria-label="Reminders">
      {state}
      {shown.map(({ reminder, text }) => (
        <div key={reminder.key} className="event-reminder" role="alert">
          <strong>{reminder.event.summary || '(no title)'}</strong>
          <span>{text}</span>
          <div className="event-reminder-actions">
            <button type="button" onClick={() => void open(reminder)}>
              Open
            </button>
            <button type="button" onClick={() => dismiss(reminder.key)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
