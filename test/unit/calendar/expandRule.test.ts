/**
 * A new series' instances in the index before the push: main/calendar/expandRule.ts, checked against the
 * emulator's own RRULE expansion (test/emulator/google/calendarRecurrence.ts, written from RFC 5545
 * separately) over rules of every supported kind, starting next year in two zones (so across a DST change).
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { expandRule } from '../../../main/calendar/expandRule.ts';
import { parseRecurrenceRule } from '../../../main/providers/recurrenceRule.ts';
import { expandRule as emulatorExpand, parseRule } from '../../emulator/google/calendarRecurrence.ts';

const YEAR = new Date().getUTCFullYear() + 1;
const RULES = [
  'FREQ=DAILY;COUNT=10',
  'FREQ=DAILY;INTERVAL=3;COUNT=20',
  'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=30',
  'FREQ=WEEKLY;COUNT=30',
  'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=25',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH,SA;COUNT=30',
  'FREQ=MONTHLY;COUNT=12',
  'FREQ=MONTHLY;BYMONTHDAY=31;COUNT=8',
  'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12',
  'FREQ=MONTHLY;BYDAY=2TU;COUNT=12',
  'FREQ=MONTHLY;BYDAY=-1FR;COUNT=12',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12',
  'FREQ=YEARLY;COUNT=3',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=3',
  `FREQ=WEEKLY;BYDAY=FR;UNTIL=${YEAR}0601T000000Z`,
  `FREQ=DAILY;UNTIL=${YEAR}0120`,
];

describe('expandRule: a series created here, in the index at once', () => {
  for (const zone of ['Europe/Berlin', 'America/New_York'])
    it.each(RULES)(`%s from a January Monday at 09:30 in ${zone}`, (text) => {
      const first = DateTime.fromObject({ year: YEAR, month: 1, day: 1, hour: 9, minute: 30 }, { zone }).plus({ days: 0 });
      const monday = first.plus({ days: (8 - first.weekday) % 7 });
      const horizon = monday.plus({ years: 4 }).toMillis();
      const ours = expandRule(parseRecurrenceRule(text), monday.toMillis(), zone, { horizon, max: 1000 });
      const theirs = emulatorExpand(parseRule(`RRULE:${text}`), monday, false, horizon).map((d) => d.toMillis());
      expect(ours).toEqual(theirs);
      // Wall-clock time kept across the DST change.
      expect(new Set(ours.map((ms) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm')))).toEqual(new Set(['09:30']));
    });

  it('stops at the horizon and at max for a series without an end', () => {
    const zone = 'UTC';
    const start = DateTime.fromObject({ year: YEAR, month: 1, day: 5, hour: 8 }, { zone });
    const daily = parseRecurrenceRule('FREQ=DAILY');
    expect(expandRule(daily, start.toMillis(), zone, { horizon: start.plus({ days: 9 }).toMillis(), max: 1000 })).toHaveLength(
      10,
    );
    expect(expandRule(daily, start.toMillis(), zone, { horizon: Number.POSITIVE_INFINITY, max: 50 })).toHaveLength(50);
  });
});
