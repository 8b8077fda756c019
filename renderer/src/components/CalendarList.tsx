import { useEffect, useState } from 'react';
import type { Calendar } from '../../../shared/api/calendar.ts';
import { useCalendarStore } from '../calendarStore.ts';

/**
 * The calendars, as a menu of the calendar's toolbar: each shown or hidden in the views, its colour (the
 * person's own, or back to the provider's), and the default calendar new events go to. Every change goes
 * through the local API and is kept in the index.
 */
export function CalendarList() {
  const calendars = useCalendarStore((s) => s.calendars);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void useCalendarStore.getState().loadCalendars();
  }, []);
  const change = async (calendar: Calendar, choice: { hidden?: boolean; color?: string | null; is_default?: boolean }) => {
    setError(null);
    try {
      await useCalendarStore.getState().chooseForCalendar(calendar.id, choice);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <details className="calendar-list">
      <summary>Calendars</summary>
      <ul aria-label="Calendars">
        {calendars.map((calendar) => (
          <li key={calendar.id}>
            <label className="calendar-list-show">
              <input
                type="checkbox"
                checked={!calendar.hidden}
                onChange={(e) => void change(calendar, { hidden: !e.target.checked })}
                aria-label={`Show ${calendar.name}`}
              />
              <span className="calendar-dot" style={{ background: calendar.color ?? 'var(--accent)' }} aria-hidden="true" />
              <span className="calendar-list-name" title={`${calendar.name} (${calendar.provider_calendar_id})`}>
                {calendar.name}
              </span>
            </label>
            <input
              type="color"
              value={calendar.color ?? '#1a73e8'}
              onChange={(e) => void change(calendar, { color: e.target.value })}
              aria-label={`Colour of ${calendar.name}`}
            />
            {calendar.color !== calendar.provider_color && (
              <button type="button" className="link-button" onClick={() => void change(calendar, { color: null })}>
                Reset
              </button>
            )}
            <label className="calendar-list-default">
              <input
                type="radio"
                name="default-calendar"
                checked={calendar.is_default}
                onChange={() => void change(calendar, { is_default: true })}
                aria-label={`New events go to ${calendar.name}`}
              />
              Default
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          Could not change the calendar: {error}
        </p>
      )}
    </details>
  );
}
