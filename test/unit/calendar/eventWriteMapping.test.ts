import { describe, expect, it } from 'vitest';
import { newEventKey, resolveFields } from '../../../main/calendar/eventEdits.ts';
import type { EventFields } from '../../../main/db/queries/eventEdits.ts';
import { gcalEventBody } from '../../../main/providers/gcal/gcalEventWrites.ts';
import { graphEventBody } from '../../../main/providers/graph/graphEventWrites.ts';
import { graphRecurrence } from '../../../main/providers/graph/graphRecurrence.ts';
import { formatRecurrenceRule, parseRecurrenceRule } from '../../../main/providers/recurrenceRule.ts';

const HOUR = 3_600_000;
// Any instant works: the assertions are in terms of it.
const at = Date.UTC(2031, 6, 14, 7, 30);

const timed: EventFields = {
  summary: 'Review',
  description: 'Line one\nLine two',
  location: 'Room 1',
  allDay: false,
  startsAt: at,
  endsAt: at + HOUR,
  startDate: null,
  endDate: null,
  timeZone: 'Europe/Berlin',
  attendees: [{ email: 'carol@example.com', name: 'Carol', optional: true }],
};

describe('event fields -> provider bodies', () => {
  it('Google: dateTime with the zone offset and timeZone, attendees with optional, only the given fields', () => {
    const body = gcalEventBody(timed);
    expect(body.start).toEqual({ dateTime: '2031-07-14T09:30:00+02:00', timeZone: 'Europe/Berlin' });
    expect(body.end).toEqual({ dateTime: '2031-07-14T10:30:00+02:00', timeZone: 'Europe/Berlin' });
    expect(body.attendees).toEqual([{ email: 'carol@example.com', displayName: 'Carol', optional: true }]);
    expect(gcalEventBody({ summary: 'Only this' })).toEqual({ summary: 'Only this' });
    const allDay = gcalEventBody({ ...timed, allDay: true, startDate: '2031-07-14', endDate: '2031-07-16' });
    expect(allDay.start).toEqual({ date: '2031-07-14', timeZone: 'Europe/Berlin' });
    expect(allDay.end).toEqual({ date: '2031-07-16', timeZone: 'Europe/Berlin' });
  });

  it('Graph: wall time without offset beside the zone, isAllDay, text body, attendee types', () => {
    const body = graphEventBody(timed);
    expect(body).toMatchObject({
      subject: 'Review',
      body: { contentType: 'text', content: 'Line one\nLine two' },
      location: { displayName: 'Room 1' },
      isAllDay: false,
      start: { dateTime: '2031-07-14T09:30:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2031-07-14T10:30:00', timeZone: 'Europe/Berlin' },
      attendees: [{ emailAddress: { address: 'carol@example.com', name: 'Carol' }, type: 'optional' }],
    });
    const allDay = graphEventBody({ ...timed, allDay: true, startDate: '2031-07-14', endDate: '2031-07-15' });
    expect(allDay).toMatchObject({
      isAllDay: true,
      start: { dateTime: '2031-07-14T00:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2031-07-15T00:00:00', timeZone: 'Europe/Berlin' },
    });
  });
});

describe('resolveFields: what an event becomes after a draft', () => {
  it('a new start keeps the length; all-day dates get their local midnights and a one-day default', () => {
    expect(resolveFields(timed, { startsAt: at + 5 * HOUR }, null)).toMatchObject({
      startsAt: at + 5 * HOUR,
      endsAt: at + 6 * HOUR,
    });
    const day = resolveFields(null, { startDate: '2031-07-14', timeZone: 'America/New_York' }, null);
    expect(day).toMatchObject({
      allDay: true,
      startDate: '2031-07-14',
      endDate: '2031-07-15',
      startsAt: Date.UTC(2031, 6, 14, 4),
    });
    expect(resolveFields(null, { startsAt: at }, 'Asia/Tokyo')).toMatchObject({ timeZone: 'Asia/Tokyo', endsAt: at + HOUR });
  });

  it('refuses what cannot be an event, naming the field', () => {
    const field = (draft: Parameters<typeof resolveFields>[1]) => {
      try {
        resolveFields(null, draft, null);
      } catch (error) {
        return (error as { code: string; field: string }).code + ':' + (error as { field: string }).field;
      }
      return 'accepted';
    };
    expect(field({ startsAt: at, endsAt: at })).toBe('validation_error:end');
    expect(field({ startsAt: at, timeZone: 'Mars/Olympus' })).toBe('validation_error:time_zone');
    expect(field({ startDate: '2031-02-30' })).toBe('validation_error:start_date');
    expect(field({ startDate: '2031-07-14', endDate: '2031-07-14' })).toBe('validation_error:end_date');
    expect(field({ startsAt: at, attendees: [{ email: 'not an address' }] })).toBe('validation_error:attendees[0].email');
    expect(field({ summary: 'no time' })).toBe('validation_error:start');
  });

  it('an event key is one Google accepts as an id (base32hex, 26 characters)', () => {
    expect(newEventKey()).toMatch(/^[0-9a-v]{26}$/);
  });
});

describe('recurrence rules -> Google and Graph', () => {
  const graphOf = (rule: string, startDate = '2031-07-14') =>
    graphRecurrence(parseRecurrenceRule(rule), startDate, 'Europe/Berlin') as { pattern: unknown; range: unknown };

  it('checks an RRULE and writes it back the way Google takes it', () => {
    expect(formatRecurrenceRule(parseRecurrenceRule('rrule:freq=weekly;byday=MO,WE;count=10'))).toBe(
      'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
    );
    expect(gcalEventBody({ recurrence: 'RRULE:FREQ=DAILY;COUNT=3' }).recurrence).toEqual(['RRULE:FREQ=DAILY;COUNT=3']);
    for (const bad of [
      'FREQ=HOURLY',
      'FREQ=DAILY;COUNT=2;UNTIL=20310101',
      'FREQ=WEEKLY;BYDAY=2MO',
      'FREQ=DAILY;BYYEARDAY=3',
      'nonsense',
    ])
      expect(() => parseRecurrenceRule(bad), bad).toThrow(
        expect.objectContaining({ code: 'validation_error', field: 'recurrence' }),
      );
  });

  it('maps each common rule onto a patternedRecurrence anchored at the first local date', () => {
    expect(graphOf('FREQ=DAILY;INTERVAL=2;COUNT=5')).toEqual({
      pattern: { type: 'daily', interval: 2 },
      range: { type: 'numbered', numberOfOccurrences: 5, startDate: '2031-07-14', recurrenceTimeZone: 'Europe/Berlin' },
    });
    // 2031-07-14 is a Monday: a weekly rule without BYDAY repeats on it.
    const patterns: Array<[string, Record<string, unknown>]> = [
      ['FREQ=WEEKLY', { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }],
      ['FREQ=MONTHLY;BYDAY=-1FR', { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' }],
    ];
    for (const [rule, pattern] of patterns) expect(graphOf(rule).pattern, rule).toEqual(pattern);
    expect(graphOf('FREQ=MONTHLY;BYMONTHDAY=14;UNTIL=20311231').range).toMatchObject({ type: 'endDate', endDate: '2031-12-31' });
    expect(graphOf('FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2').pattern).toMatchObject({ type: 'relativeMonthly', index: 'second' });
    expect(graphOf('FREQ=YEARLY').pattern).toEqual({ type: 'absoluteYearly', interval: 1, dayOfMonth: 14, month: 7 });
    // UNTIL as a UTC instant: the local date it falls on in the series' zone.
    expect(graphOf('FREQ=DAILY;UNTIL=20311231T230000Z').range).toMatchObject({ endDate: '2032-01-01' });
  });
});
