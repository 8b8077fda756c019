import { DateTime } from 'luxon';
import { ProviderError } from '../providerErrors.ts';
import type { RecurrenceRule, Weekday } from '../recurrenceRule.ts';

const DAY_NAMES: Record<Weekday, string> = {
  MO: 'monday',
  TU: 'tuesday',
  WE: 'wednesday',
  TH: 'thursday',
  FR: 'friday',
  SA: 'saturday',
  SU: 'sunday',
};
const WEEKDAY_OF_LUXON: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const INDEX: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };

/**
 * An RRULE -> Graph's patternedRecurrence (daily, weekly, absolute/relative monthly and yearly; numbered,
 * endDate or noEnd range), anchored at the series' first local date in its zone. What Outlook cannot say
 * (a fifth or second-to-last weekday, several month days) is refused as the provider would refuse it.
 */
export function graphRecurrence(rule: RecurrenceRule, startDate: string, zone: string): Record<string, unknown> {
  const start = DateTime.fromISO(startDate, { zone });
  const days = (rule.byDay.length ? rule.byDay.map((d) => d.day) : [WEEKDAY_OF_LUXON[start.weekday - 1] as Weekday]).map(
    (d) => DAY_NAMES[d],
  );
  const ordinal = rule.byDay[0]?.ordinal ?? rule.bySetPos[0] ?? null;
  const index = ordinal === null ? null : INDEX[ordinal];
  if (ordinal !== null && !index)
    throw new ProviderError('provider_error', `Outlook has no recurrence on weekday ${ordinal}`, 400);
  if (rule.byMonthDay.length > 1 || (rule.byMonthDay[0] ?? 1) < 0)
    throw new ProviderError('provider_error', 'Outlook repeats on one positive day of the month only', 400);
  const interval = rule.interval;
  const dayOfMonth = rule.byMonthDay[0] ?? start.day;
  const month = rule.byMonth[0] ?? start.month;
  const pattern =
    rule.freq === 'DAILY'
      ? { type: 'daily', interval }
      : rule.freq === 'WEEKLY'
        ? { type: 'weekly', interval, daysOfWeek: days, firstDayOfWeek: 'monday' }
        : rule.freq === 'MONTHLY'
          ? rule.byDay.length
            ? { type: 'relativeMonthly', interval, daysOfWeek: days, index: index ?? 'first' }
            : { type: 'absoluteMonthly', interval, dayOfMonth }
          : rule.byDay.length
            ? { type: 'relativeYearly', interval, daysOfWeek: days, index: index ?? 'first', month }
            : { type: 'absoluteYearly', interval, dayOfMonth, month };
  const untilDate =
    rule.until === null
      ? null
      : rule.until.length === 8
        ? `${rule.until.slice(0, 4)}-${rule.until.slice(4, 6)}-${rule.until.slice(6, 8)}`
        : DateTime.fromFormat(rule.until, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' }).setZone(zone).toISODate();
  const range =
    rule.count !== null
      ? { type: 'numbered', numberOfOccurrences: rule.count, startDate, recurrenceTimeZone: zone }
      : untilDate
        ? { type: 'endDate', startDate, endDate: untilDate, recurrenceTimeZone: zone }
        : { type: 'noEnd', startDate, recurrenceTimeZone: zone };
  return { pattern, range };
}
