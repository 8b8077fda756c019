import { DateTime } from 'luxon';
import type { SeriesTiming } from '../db/queries/eventEdits.ts';

const DAY_MS = 86_400_000;

/** Whole days from one date (YYYY-MM-DD) to another. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** A date (YYYY-MM-DD) some days later. */
export const plusDays = (date: string, days: number) =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;

/**
 * A timed instance of a series as a series edit moves it: whole days, then minutes of wall-clock time in
 * the event's zone (09:00 stays 09:00 either side of a DST change), and the new length when it changed.
 * The index moves its instances this way, and each provider module the series' first one.
 */
export function movedTimes(start: number, end: number, zone: string, timing: SeriesTiming): { startsAt: number; endsAt: number } {
  const startsAt = DateTime.fromMillis(start, { zone }).plus({ days: timing.days }).plus({ minutes: timing.minutes }).toMillis();
  return { startsAt, endsAt: startsAt + (timing.lengthMs ?? end - start) };
}

/** An all-day instance's dates (end exclusive) as a series edit moves them. */
export function movedDates(startDate: string, endDate: string, timing: SeriesTiming): { startDate: string; endDate: string } {
  const moved = plusDays(startDate, timing.days);
  return { startDate: moved, endDate: plusDays(moved, timing.lengthDays ?? daysBetween(startDate, endDate)) };
}
