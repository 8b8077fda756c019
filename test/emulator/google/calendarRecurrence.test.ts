/**
 * RRULE expansion checked against RFC 5545's own worked examples (section 3.8.5.3), each with the RFC's
 * DTSTART (America/New_York, 1996-2007) and the occurrence list the RFC prints, plus Outpost's own kinds.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { expandRule, parseRule, RuleError } from './calendarRecurrence.ts';
import type { CalendarEvent } from './calendarStore.ts';
import { occurrences } from './calendarStore.ts';

const NY = 'America/New_York';
/** "19970902T090000" in New York. */
const at = (text: string, zone = NY) => DateTime.fromFormat(text, "yyyyMMdd'T'HHmmss", { zone });
/** The first `n` starts (or all up to the rule's end) as "yyyy-MM-dd". */
const days = (rule: string, dtstart: string, n = 500) =>
  expandRule(parseRule(rule), at(dtstart), false, Date.UTC(2010, 0, 1))
    .slice(0, n)
    .map((t) => t.toISODate());
/** "1997-09-02" ... from a compact list: year, then month: days. */
const list = (spec: Record<string, Record<string, number[]>>) =>
  Object.entries(spec).flatMap(([y, months]) =>
    Object.entries(months).flatMap(([m, ds]) => ds.map((d) => `${y}-${m.padStart(2, '0')}-${String(d).padStart(2, '0')}`)),
  );

describe('RFC 5545 section 3.8.5.3 examples', () => {
  it.each([
    [
      'Daily for 10 occurrences',
      'FREQ=DAILY;COUNT=10',
      '19970902T090000',
      list({ 1997: { 9: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } }),
    ],
    [
      'Weekly on Tuesday and Thursday for five weeks',
      'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
      '19970902T090000',
      list({ 1997: { 9: [2, 4, 9, 11, 16, 18, 23, 25, 30], 10: [2] } }),
    ],
    [
      'Every other week on Monday, Wednesday and Friday until December 24, 1997',
      'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
      '19970901T090000',
      list({
        1997: {
          9: [1, 3, 5, 15, 17, 19, 29],
          10: [1, 3, 13, 15, 17, 27, 29, 31],
          11: [10, 12, 14, 24, 26, 28],
          12: [8, 10, 12, 22],
        },
      }),
    ],
    [
      'Monthly on the first Friday until December 24, 1997',
      'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR',
      '19970905T090000',
      list({ 1997: { 9: [5], 10: [3], 11: [7], 12: [5] } }),
    ],
    [
      'Every other month on the first and last Sunday of the month for 10 occurrences',
      'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
      '19970907T090000',
      list({ 1997: { 9: [7, 28], 11: [2, 30] }, 1998: { 1: [4, 25], 3: [1, 29], 5: [3, 31] } }),
    ],
    [
      'Monthly on the second-to-last Monday of the month for 6 months',
      'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
      '19970922T090000',
      list({ 1997: { 9: [22], 10: [20], 11: [17], 12: [22] }, 1998: { 1: [19], 2: [16] } }),
    ],
    [
      'Monthly on the third-to-the-last day of the month (first 6)',
      'FREQ=MONTHLY;BYMONTHDAY=-3',
      '19970928T090000',
      list({ 1997: { 9: [28], 10: [29], 11: [28], 12: [29] }, 1998: { 1: [29], 2: [26] } }),
    ],
    [
      'Monthly on the 2nd and 15th of the month for 10 occurrences',
      'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
      '19970902T090000',
      list({ 1997: { 9: [2, 15], 10: [2, 15], 11: [2, 15], 12: [2, 15] }, 1998: { 1: [2, 15] } }),
    ],
    [
      'Monthly on the first and last day of the month for 10 occurrences',
      'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
      '19970930T090000',
      list({ 1997: { 9: [30], 10: [1, 31], 11: [1, 30], 12: [1, 31] }, 1998: { 1: [1, 31], 2: [1] } }),
    ],
    [
      'Every Tuesday, every other month (first 18)',
      'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
      '19970902T090000',
      list({ 1997: { 9: [2, 9, 16, 23, 30], 11: [4, 11, 18, 25] }, 1998: { 1: [6, 13, 20, 27], 3: [3, 10, 17, 24, 31] } }),
    ],
    [
      'Yearly in June and July for 10 occurrences',
      'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
      '19970610T090000',
      ['1997', '1998', '1999', '2000', '2001'].flatMap((y) => [`${y}-06-10`, `${y}-07-10`]),
    ],
    [
      'Every Thursday in March (first 11)',
      'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
      '19970313T090000',
      list({ 1997: { 3: [13, 20, 27] }, 1998: { 3: [5, 12, 19, 26] }, 1999: { 3: [4, 11, 18, 25] } }),
    ],
    [
      'Every 20th Monday of the year (first 3)',
      'FREQ=YEARLY;BYDAY=20MO',
      '19970519T090000',
      ['1997-05-19', '1998-05-18', '1999-05-17'],
    ],
    [
      'The first Saturday that follows the first Sunday of the month (first 10)',
      'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
      '19970913T090000',
      list({ 1997: { 9: [13], 10: [11], 11: [8], 12: [13] }, 1998: { 1: [10], 2: [7], 3: [7], 4: [11], 5: [9], 6: [13] } }),
    ],
    [
      'US Presidential Election day: every 4 years, the first Tuesday after a Monday in November (first 3)',
      'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
      '19961105T090000',
      ['1996-11-05', '2000-11-07', '2004-11-02'],
    ],
    [
      'The third instance into the month of one of Tuesday, Wednesday or Thursday, for the next 3 months',
      'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
      '19970904T090000',
      ['1997-09-04', '1997-10-07', '1997-11-06'],
    ],
    [
      'The second-to-last weekday of the month (first 7)',
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2',
      '19970929T090000',
      list({ 1997: { 9: [29], 10: [30], 11: [27], 12: [30] }, 1998: { 1: [29], 2: [26], 3: [30] } }),
    ],
    [
      'WKST=MO: every other week on Tuesday and Sunday, 4 occurrences',
      'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO',
      '19970805T090000',
      list({ 1997: { 8: [5, 10, 19, 24] } }),
    ],
    [
      'WKST=SU: the same rule gives other days',
      'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU',
      '19970805T090000',
      list({ 1997: { 8: [5, 17, 19, 31] } }),
    ],
    [
      'An invalid date (30 February) is skipped',
      'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
      '20070115T090000',
      list({ 2007: { 1: [15, 30], 2: [15], 3: [15, 30] } }),
    ],
  ])('%s', (_name, rule, dtstart, expected) => {
    expect(days(rule, dtstart, expected.length)).toEqual(expected);
  });

  it('Every day in January, for 3 years: 93 starts, every one at 09:00 New York', () => {
    const starts = expandRule(
      parseRule('FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA'),
      at('19980101T090000'),
      false,
      Number.POSITIVE_INFINITY,
    );
    expect(starts).toHaveLength(93);
    expect(starts.at(-1)?.toISO()).toBe('2000-01-31T09:00:00.000-05:00');
    expect(new Set(starts.map((t) => t.toFormat('HH:mm')))).toEqual(new Set(['09:00']));
  });

  it('Monthly on the first Friday for 10 occurrences keeps 09:00 across both 1997-98 clock changes (RFC: EDT, EST, EDT)', () => {
    const starts = expandRule(parseRule('RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR'), at('19970905T090000'), false, Infinity);
    // The RFC's list: 1997 Sep 5, Oct 3 (EDT); Nov 7, Dec 5 (EST); 1998 Jan 2, Feb 6, Mar 6, Apr 3 (EST); May 1, Jun 5 (EDT).
    expect(starts.map((t) => t.toISO({ suppressMilliseconds: true }))).toEqual([
      '1997-09-05T09:00:00-04:00',
      '1997-10-03T09:00:00-04:00',
      '1997-11-07T09:00:00-05:00',
      '1997-12-05T09:00:00-05:00',
      '1998-01-02T09:00:00-05:00',
      '1998-02-06T09:00:00-05:00',
      '1998-03-06T09:00:00-05:00',
      '1998-04-03T09:00:00-05:00',
      '1998-05-01T09:00:00-04:00',
      '1998-06-05T09:00:00-04:00',
    ]);
  });

  it('Every Friday the 13th, DTSTART excluded by EXDATE (first 5)', () => {
    const ev = {
      start: { dateTime: '1997-09-02T09:00:00-04:00', timeZone: NY },
      recurrence: ['EXDATE;TZID=America/New_York:19970902T090000', 'RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'],
    } as unknown as CalendarEvent;
    expect(
      occurrences(ev, NY, Date.UTC(2001, 0, 1))
        .slice(0, 5)
        .map((t) => t.toISODate()),
    ).toEqual(['1998-02-13', '1998-03-13', '1998-11-13', '1999-08-13', '2000-10-13']);
  });
});

describe("the kinds Outpost meets, in the event's zone", () => {
  it('monthly last Friday and the last day of the month keep 15:00 Berlin across both 2021 changes', () => {
    const z = 'Europe/Berlin';
    const lastFriday = expandRule(parseRule('FREQ=MONTHLY;BYDAY=-1FR;COUNT=12'), at('20210129T150000', z), false, Infinity);
    // Last Fridays of 2021 (from a 2021 calendar): Berlin changed to CEST on 28 March and back on 31 October.
    expect(lastFriday.map((t) => t.toFormat('yyyy-MM-dd HH:mm ZZ'))).toEqual([
      '2021-01-29 15:00 +01:00',
      '2021-02-26 15:00 +01:00',
      '2021-03-26 15:00 +01:00',
      '2021-04-30 15:00 +02:00',
      '2021-05-28 15:00 +02:00',
      '2021-06-25 15:00 +02:00',
      '2021-07-30 15:00 +02:00',
      '2021-08-27 15:00 +02:00',
      '2021-09-24 15:00 +02:00',
      '2021-10-29 15:00 +02:00',
      '2021-11-26 15:00 +01:00',
      '2021-12-31 15:00 +01:00',
    ]);
    const lastDay = expandRule(parseRule('FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4'), at('20210131T150000', z), false, Infinity);
    expect(lastDay.map((t) => t.toFormat('yyyy-MM-dd HH:mm ZZ'))).toEqual([
      '2021-01-31 15:00 +01:00',
      '2021-02-28 15:00 +01:00',
      '2021-03-31 15:00 +02:00',
      '2021-04-30 15:00 +02:00',
    ]);
  });

  it('all-day series give dates; a yearly 29 February falls only in leap years', () => {
    const leap = expandRule(parseRule('FREQ=YEARLY;COUNT=3'), DateTime.fromISO('2024-02-29', { zone: NY }), true, Infinity);
    expect(leap.map((t) => t.toISODate())).toEqual(['2024-02-29', '2028-02-29', '2032-02-29']);
  });

  it('refuses what it cannot expand, saying what', () => {
    expect(() => parseRule('FREQ=HOURLY')).toThrow(RuleError);
    expect(() => parseRule('FREQ=YEARLY;BYWEEKNO=20')).toThrow(/BYWEEKNO/);
    expect(() => parseRule('FREQ=MONTHLY;COUNT=2;UNTIL=20300101')).toThrow(/COUNT and UNTIL/);
    expect(() => parseRule('FREQ=MONTHLY;BYMONTHDAY=0')).toThrow(/BYMONTHDAY/);
    expect(() => parseRule('FREQ=MONTHLY;BYDAY=5XX')).toThrow(/BYDAY/);
  });
});
