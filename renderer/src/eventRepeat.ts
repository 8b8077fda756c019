/**
 * The common repeat choices of a new event, as Google Calendar and Outlook offer them, and the RRULE each
 * makes for its first day: daily, every weekday, weekly on that weekday, monthly on that date or on that
 * numbered weekday (the last one when it is the month's last), yearly on that date; ending never, after a
 * number of times, or on a date.
 */
export type RepeatKind = 'none' | 'daily' | 'weekdays' | 'weekly' | 'monthly-date' | 'monthly-weekday' | 'yearly';
/** `until` as the RRULE writes it: YYYYMMDD for all-day events, the last moment in UTC (YYYYMMDDTHHMMSSZ) for timed ones. */
export type RepeatEnd = { kind: 'never' } | { kind: 'count'; count: number } | { kind: 'until'; until: string };

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** "YYYY-MM-DD" as a local date (noon, clear of any DST change). */
const dayOf = (date: string) => new Date(`${date}T12:00:00`);
const isLastOfMonth = (day: Date) => new Date(day.getFullYear(), day.getMonth(), day.getDate() + 7).getMonth() !== day.getMonth();

/** The choices for a first day, with what each says ("Monthly on the last Friday"). */
export function repeatChoices(date: string): Array<{ kind: RepeatKind; label: string }> {
  const day = dayOf(date);
  if (Number.isNaN(day.getTime())) return [{ kind: 'none', label: 'Does not repeat' }];
  const weekday = DAY_NAMES[day.getDay()];
  const nth = isLastOfMonth(day) ? 'last' : ORDINALS[Math.floor((day.getDate() - 1) / 7)];
  const monthDay = day.toLocaleDateString('en-GB', { day: 'numeric', month: 'long' });
  return [
    { kind: 'none', label: 'Does not repeat' },
    { kind: 'daily', label: 'Daily' },
    { kind: 'weekdays', label: 'Every weekday (Monday to Friday)' },
    { kind: 'weekly', label: `Weekly on ${weekday}` },
    { kind: 'monthly-date', label: `Monthly on day ${day.getDate()}` },
    { kind: 'monthly-weekday', label: `Monthly on the ${nth} ${weekday}` },
    { kind: 'yearly', label: `Yearly on ${monthDay}` },
  ];
}

/** The RRULE for a choice from its first day, or null when it does not repeat. */
export function repeatRule(kind: RepeatKind, date: string, end: RepeatEnd): string | null {
  if (kind === 'none') return null;
  const day = dayOf(date);
  const weekday = DAYS[day.getDay()];
  const ordinal = isLastOfMonth(day) ? -1 : Math.floor((day.getDate() - 1) / 7) + 1;
  const base = {
    daily: 'FREQ=DAILY',
    weekdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    weekly: `FREQ=WEEKLY;BYDAY=${weekday}`,
    'monthly-date': `FREQ=MONTHLY;BYMONTHDAY=${day.getDate()}`,
    'monthly-weekday': `FREQ=MONTHLY;BYDAY=${ordinal}${weekday}`,
    yearly: `FREQ=YEARLY;BYMONTH=${day.getMonth() + 1};BYMONTHDAY=${day.getDate()}`,
  }[kind];
  if (end.kind === 'count') return `${base};COUNT=${end.count}`;
  if (end.kind === 'until') return `${base};UNTIL=${end.until}`;
  return base;
}
