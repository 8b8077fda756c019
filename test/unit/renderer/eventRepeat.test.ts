import { describe, expect, it } from 'vitest';
import { repeatChoices, repeatRule } from '../../../renderer/src/eventRepeat.ts';

/** A day of next year's March on the given weekday and week of the month (dates without a year baked in). */
const YEAR = new Date().getFullYear() + 1;
function marchDay(weekday: number, week: number | 'last'): string {
  const days = Array.from({ length: 31 }, (_, i) => new Date(YEAR, 2, i + 1)).filter((d) => d.getDay() === weekday);
  const day = week === 'last' ? (days.at(-1) as Date) : (days[week - 1] as Date);
  return `${YEAR}-03-${String(day.getDate()).padStart(2, '0')}`;
}

describe('the repeat choices of a new event', () => {
  it('names each choice after the first day, the last weekday of the month as "last"', () => {
    const secondTuesday = marchDay(2, 2);
    expect(repeatChoices(secondTuesday).map((c) => c.label)).toEqual([
      'Does not repeat',
      'Daily',
      'Every weekday (Monday to Friday)',
      'Weekly on Tuesday',
      `Monthly on day ${Number(secondTuesday.slice(8))}`,
      'Monthly on the second Tuesday',
      `Yearly on ${Number(secondTuesday.slice(8))} March`,
    ]);
    expect(repeatChoices(marchDay(5, 'last')).find((c) => c.kind === 'monthly-weekday')?.label).toBe(
      'Monthly on the last Friday',
    );
  });

  it('makes the RRULE of each, ending never, after a count or on a date', () => {
    const day = marchDay(2, 2);
    const dayOfMonth = Number(day.slice(8));
    expect(repeatRule('none', day, { kind: 'never' })).toBeNull();
    expect(repeatRule('weekdays', day, { kind: 'count', count: 5 })).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=5');
    expect(repeatRule('weekly', day, { kind: 'never' })).toBe('FREQ=WEEKLY;BYDAY=TU');
    expect(repeatRule('monthly-date', day, { kind: 'never' })).toBe(`FREQ=MONTHLY;BYMONTHDAY=${dayOfMonth}`);
    expect(repeatRule('monthly-weekday', day, { kind: 'never' })).toBe('FREQ=MONTHLY;BYDAY=2TU');
    expect(repeatRule('monthly-weekday', marchDay(5, 'last'), { kind: 'never' })).toBe('FREQ=MONTHLY;BYDAY=-1FR');
    expect(repeatRule('yearly', day, { kind: 'until', until: `${YEAR + 3}0101` })).toBe(
      `FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=${dayOfMonth};UNTIL=${YEAR + 3}0101`,
    );
  });
});
