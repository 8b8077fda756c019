import type { Calendar, CalendarEvent } from '../../shared/api/calendar.ts';
import { publicId } from '../../shared/ids.ts';
import type { Attendee, CalendarRow, EventRow } from '../db/queries/calendarEvents.ts';

export function presentCalendar(row: CalendarRow): Calendar {
  return {
    id: publicId('cal', row.id),
    account_id: row.account_id,
    provider_calendar_id: row.remote_id,
    name: row.name,
    color: row.own_color ?? row.color,
    provider_color: row.color,
    time_zone: row.time_zone,
    is_primary: row.is_primary === 1,
    hidden: row.hidden === 1,
    is_default: row.is_default === 1,
  };
}

export function presentEvent(row: EventRow): CalendarEvent {
  return {
    id: publicId('evt', row.id),
    calendar_id: publicId('cal', row.calendar_id),
    calendar_name: row.calendar_name,
    calendar_color: row.calendar_color,
    account_id: row.account_id,
    provider_event_id: row.remote_id,
    series_id: row.series_remote_id,
    status: row.status,
    summary: row.summary,
    description: row.description,
    location: row.location,
    start: new Date(row.starts_at).toISOString(),
    end: new Date(row.ends_at).toISOString(),
    all_day: row.is_all_day === 1,
    start_date: row.start_date,
    end_date: row.end_date,
    time_zone: row.time_zone,
    organizer: row.organizer_json ? (JSON.parse(row.organizer_json) as { email: string; name: string }) : null,
    attendees: JSON.parse(row.attendees_json) as Attendee[],
    conference_url: row.conference_url,
    reminders_minutes: JSON.parse(row.reminders_json) as number[],
    web_link: row.web_link,
  };
}
