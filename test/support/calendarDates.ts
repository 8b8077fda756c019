import { DateTime } from 'luxon';

/**
 * Dates for calendar tests, derived from a clock (the emulator's, or the time at run time), never
 * from a year written in a test: tests must hold whatever the date (`npm run test:clock`).
 */

export const DAY_MS = 86_400_000;

/** The last Sunday of October of a year (midnight, Berlin): Europe's clocks go back an hour that night. */
export function lastSundayOfOctober(year: number): DateTime {
  const day = DateTime.fromObject({ year, month: 10, day: 31 }, { zone: 'Europe/Berlin' });
  return day.minus({ days: day.weekday % 7 });
}

/**
 * The first of six weekly Tuesdays at 19:00 London time whose run crosses a change of London's clocks
 * (to BST in March, back in October): four before it, two after, all inside the default sliding
 * calendar window around `now` (90 days back, 180 ahead). One always exists: the changes are at most
 * 214 days apart, and the Sunday of the change may lie anywhere from 62 days back to 166 ahead.
 */
export function londonTuesdaysAcrossClockChange(now: number): DateTime {
  let change = DateTime.fromMillis(now - 62 * DAY_MS, { zone: 'Europe/London' }).startOf('day');
  // The Sunday the clocks change on: its midnight has the old offset, the next midnight the new one.
  while (change.offset === change.plus({ days: 1 }).offset) change = change.plus({ days: 1 });
  if (change.weekday !== 7 || change.toMillis() > now + 166 * DAY_MS) throw new Error(`no London clock change near ${now}`);
  return change.minus({ days: 26 }).set({ hour: 19 });
}

/** Runs of equal values in order: [14, 14, 13] gives [14, 13]. */
export const runs = (values: number[]) => values.filter((v, i) => i === 0 || v !== values[i - 1]);

export const utcHours = (instants: number[]) => instants.map((t) => new Date(t).getUTCHours());
