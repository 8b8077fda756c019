import { DateTime } from 'luxon';
import { openIndexForReading } from '../core/indexAccess.ts';
import { type EventRow, listEventsInRange } from '../db/queries/calendarEvents.ts';

/** `outpost agenda [--days N]`: the coming days, grouped by local day; all-day events first. */
export function agendaCommand(options: { dataDir: string; days: number; zone?: string; now?: number }): void {
  const zone = options.zone ?? DateTime.local().zoneName;
  const start = DateTime.fromMillis(options.now ?? Date.now(), { zone }).startOf('day');
  const end = start.plus({ days: options.days });
  const db = openIndexForReading(options.dataDir);
  if (!db) {
    process.stdout.write('no calendars yet; connect an account with: outpost accounts connect google|microsoft\n');
    return;
  }
  try {
    const events = listEventsInRange(db, { from: start.toMillis(), to: end.toMillis() });
    if (events.length === 0) {
      process.stdout.write(`nothing on your calendars in the next ${options.days} day${options.days === 1 ? '' : 's'}\n`);
      return;
    }
    for (let day = start; day < end; day = day.plus({ days: 1 })) {
      const next = day.plus({ days: 1 });
      const todays = events
        .filter((e) => occursOn(e, day, next))
        .sort((a, b) => b.is_all_day - a.is_all_day || a.starts_at - b.starts_at);
      if (todays.length === 0) continue;
      process.stdout.write(`\n${day.toFormat('cccc d LLLL')}\n`);
      for (const event of todays) process.stdout.write(`  ${timeSpan(event, zone)}  ${describe(event)}\n`);
    }
  } finally {
    db.close();
  }
}

/** All-day events belong to their calendar dates; timed ones to the local days they overlap. */
function occursOn(event: EventRow, day: DateTime, next: DateTime): boolean {
  if (event.is_all_day && event.start_date && event.end_date) {
    const date = day.toISODate() as string;
    return event.start_date <= date && date < event.end_date;
  }
  return event.starts_at < next.toMillis() && event.ends_at > day.toMillis();
}

function timeSpan(event: EventRow, zone: string): string {
  if (event.is_all_day) return 'all day    ';
  const from = DateTime.fromMillis(event.starts_at, { zone });
  const to = DateTime.fromMillis(event.ends_at, { zone });
  return `${from.toFormat('HH:mm')}–${to.toFormat('HH:mm')}`;
}

function describe(event: EventRow): string {
  const parts = [event.summary || '(no title)'];
  if (event.location) parts.push(`@ ${event.location}`);
  parts.push(`[${event.calendar_name}]`);
  if (event.status === 'tentative') parts.push('(tentative)');
  return parts.join('  ');
}
