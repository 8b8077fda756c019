import { describe, expect, it } from 'vitest';
import { clockFormat, describeWhen, isDeclined, isOneLine, layoutDay } from '../../../renderer/src/calendarLayout.ts';
import type { CalendarEvent } from '../../../shared/api/calendar.ts';

const DAY = Date.UTC(2026, 10, 23);
const at = (hour: number, minute = 0) => new Date(DAY + (hour * 60 + minute) * 60_000).toISOString();
const event = (id: string, start: string, end: string, extra: Partial<CalendarEvent> = {}) =>
  ({ id, start, end, all_day: false, start_date: null, end_date: null, time_zone: null, ...extra }) as CalendarEvent;
/** ICU versions differ on a comma after the weekday ("Monday, 23 November") and on thin spaces; the tests read either. */
const when = (...args: Parameters<typeof describeWhen>) => {
  const { local, scheduled } = describeWhen(...args);
  const plain = (text: string) => text.replace(/[\u2009\u202f]/g, ' ').replace(/day, /g, 'day ');
  return { local: plain(local), scheduled: scheduled && plain(scheduled) };
};
/** Placements as text: "id@column/columns". */
const shape = (events: CalendarEvent[]) =>
  layoutDay(events, DAY, DAY + 86_400_000)
    .map((p) => `${p.event.id}@${p.column}/${p.columns}`)
    .sort()
    .join(' ');

describe('layoutDay', () => {
  it('gives events that do not overlap the whole column', () => {
    expect(shape([event('a', at(9), at(10)), event('b', at(10), at(11))])).toBe('a@0/1 b@0/1');
  });

  it('puts overlapping events side by side, and a later one in the first column free again', () => {
    // a 9–11, b 9:30–10:30, c 10:30–12 (overlaps a, not b): one group of two columns.
    expect(shape([event('a', at(9), at(11)), event('b', at(9, 30), at(10, 30)), event('c', at(10, 30), at(12))])).toBe(
      'a@0/2 b@1/2 c@1/2',
    );
  });

  it('sizes each group by itself: three at once in the morning do not narrow the afternoon', () => {
    const morning = [event('a', at(9), at(10)), event('b', at(9), at(10)), event('c', at(9), at(10))];
    expect(shape([...morning, event('d', at(14), at(15))])).toBe('a@0/3 b@1/3 c@2/3 d@0/1');
  });

  it('clips events crossing midnight to the day and draws very short ones tall enough to read', () => {
    const [overnight, short] = layoutDay(
      [event('night', at(-2), at(1)), event('short', at(12), at(12, 5))],
      DAY,
      DAY + 86_400_000,
    );
    expect([overnight?.startMinute, overnight?.endMinute]).toEqual([0, 60]);
    expect([short?.startMinute, short?.endMinute]).toEqual([720, 744]);
  });
});

describe('how events are drawn', () => {
  it("one clock, the locale's: 24-hour two-digit hours where the locale's hourCycle is h23, else 12-hour", () => {
    const nine = new Date(DAY + 9 * 3_600_000);
    const clock = (locale: string) =>
      clockFormat(locale, 'UTC')
        .format(nine)
        .replace(/[\u202f]/g, ' ');
    expect(clock('en-GB')).toBe('09:00');
    expect(clock('de-DE')).toBe('09:00');
    expect(clock('en-US')).toBe('9:00 AM');
    expect(clockFormat('en-US', 'UTC').resolvedOptions().hourCycle).toBe('h12');
  });

  it('events under 45 minutes go on one line; declined ones are those the user answered No', () => {
    expect(isOneLine(event('a', at(9), at(9, 15)))).toBe(true);
    expect(isOneLine(event('b', at(9), at(9, 44)))).toBe(true);
    expect(isOneLine(event('c', at(9), at(9, 45)))).toBe(false);
    expect(isOneLine(event('d', at(0), at(0), { all_day: true }))).toBe(false);
    const answered = (self: string, other: string) =>
      event('e', at(9), at(10), {
        attendees: [
          { email: 'me@x.test', name: '', response: self, optional: false, organizer: false, self: true },
          { email: 'ann@x.test', name: '', response: other, optional: false, organizer: true, self: false },
        ],
      });
    expect(isDeclined(answered('declined', 'accepted'))).toBe(true);
    expect(isDeclined(answered('accepted', 'declined'))).toBe(false);
    expect(isDeclined(event('f', at(9), at(10), { attendees: [] }))).toBe(false);
  });
});

describe('describeWhen', () => {
  it("names the day and the times in the viewer's zone, and the scheduled zone's times when its clock differs", () => {
    const review = event('r', at(9), at(10), { time_zone: 'Europe/Berlin' });
    expect(when(review, 'en-GB', 'UTC')).toEqual({
      local: 'Monday 23 November 2026, 09:00 – 10:00',
      scheduled: '10:00 – 11:00 in Europe/Berlin',
    });
    // Late in the evening in New York is already the next day in Berlin: the date is named.
    expect(when(event('late', at(24), at(25), { time_zone: 'Europe/Berlin' }), 'en-GB', 'America/New_York')).toEqual({
      local: 'Monday 23 November 2026, 19:00 – 20:00',
      scheduled: 'Tuesday 24 November 2026, 01:00 – 02:00 in Europe/Berlin',
    });
    // London and UTC share a clock in November: nothing more to say.
    expect(when(event('l', at(9), at(10), { time_zone: 'Europe/London' }), 'en-GB', 'UTC').scheduled).toBeNull();
  });

  it('names both days of an event that ends on another day', () => {
    expect(when(event('n', at(22), at(26)), 'en-GB', 'UTC').local).toBe(
      'Monday 23 November 2026, 22:00 – Tuesday 24 November 2026, 02:00',
    );
    expect(when(event('m', at(22), at(24)), 'en-GB', 'UTC').local).toBe('Monday 23 November 2026, 22:00 – 00:00');
  });

  it("shows an all-day event's last day, not the exclusive end date the API carries", () => {
    const oneDay = event('o', at(0), at(24), { all_day: true, start_date: '2026-11-23', end_date: '2026-11-24' });
    expect(when(oneDay, 'en-GB', 'UTC').local).toBe('Monday 23 November 2026 (all day)');
    const threeDays = event('t', at(0), at(72), { all_day: true, start_date: '2026-11-23', end_date: '2026-11-26' });
    expect(when(threeDays, 'en-GB', 'UTC').local).toMatch(/^Monday 23( November)? – Wednesday 25 November 2026 \(all day\)$/);
  });

  it('ignores a time zone name it does not know instead of failing', () => {
    expect(when(event('x', at(9), at(10), { time_zone: 'Not/AZone' }), 'en-GB', 'UTC').scheduled).toBeNull();
  });
});
