import { DateTime } from 'luxon';
import type { RecurrenceRule, Weekday } from '../providers/recurrenceRule.ts';

const WEEKDAYS: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The local days a rule (RFC 5545, the subset recurrenceRule.ts accepts) repeats on, from its first day. */
function matchesDay(rule: RecurrenceRule, first: DateTime, day: DateTime): boolean {
  const weekday = WEEKDAYS[day.weekday - 1] as Weekday;
  if (rule.byMonth.length > 0 && !rule.byMonth.includes(day.month)) return false;
  const plainDays = rule.byDay.filter((d) => d.ordinal === null).map((d) => d.day);
  switch (rule.freq) {
    case 'DAILY':
      return (
        Math.round(day.diff(first, 'days').days) % rule.interval === 0 && (plainDays.length === 0 || plainDays.includes(weekday))
      );
    case 'WEEKLY': {
      const weeks = Math.round(day.startOf('week').diff(first.startOf('week'), 'weeks').weeks);
      if (weeks % rule.interval !== 0) return false;
      return plainDays.length > 0 ? plainDays.includes(weekday) : day.weekday === first.weekday;
    }
    case 'MONTHLY': {
      const months = (day.year - first.year) * 12 + (day.month - first.month);
      return months % rule.interval === 0 && matchesInMonth(rule, first, day, weekday);
    }
    case 'YEARLY': {
      if ((day.year - first.year) % rule.interval !== 0) return false;
      if (rule.byMonth.length === 0 && day.month !== first.month) return false;
      return matchesInMonth(rule, first, day, weekday);
    }
  }
}

/** Within a month: its BYMONTHDAY days, its numbered weekdays (2TU, -1FR), or BYDAY with BYSETPOS; else the first day's date. */
function matchesInMonth(rule: RecurrenceRule, first: DateTime, day: DateTime, weekday: Weekday): boolean {
  if (rule.byMonthDay.length > 0)
    return rule.byMonthDay.some((n) => (n > 0 ? day.day === n : day.day === (day.daysInMonth as number) + n + 1));
  if (rule.byDay.length === 0) return day.day === first.day;
  if (rule.bySetPos.length > 0) {
    // The month's days on any of the weekdays, in order; the positions pick among them.
    const days = rule.byDay.map((d) => d.day);
    const set: number[] = [];
    for (let d = 1; d <= (day.daysInMonth as number); d++)
      if (days.includes(WEEKDAYS[day.set({ day: d }).weekday - 1] as Weekday)) set.push(d);
    return rule.bySetPos.some((p) => set.at(p > 0 ? p - 1 : p) === day.day);
  }
  return rule.byDay.some((d) => {
    if (d.day !== weekday) return false;
    if (d.ordinal === null) return true;
    const nth = Math.ceil(day.day / 7);
    const nthFromEnd = Math.ceil(((day.daysInMonth as number) - day.day + 1) / 7);
    return d.ordinal > 0 ? nth === d.ordinal : nthFromEnd === -d.ordinal;
  });
}

/**
 * The starts of a new series' instances, as the provider will expand them, so the index shows the whole
 * series at once rather than its first instance until the push's sync: each day from the first that the
 * rule names, at the first start's wall-clock time in `zone` (09:00 stays 09:00 across a DST change), until COUNT,
 * UNTIL, `horizon` or `max`. All-day series give their days' local midnights.
 */
export function expandRule(
  rule: RecurrenceRule,
  firstStart: number,
  zone: string,
  options: { horizon: number; max: number },
): number[] {
  const first = DateTime.fromMillis(firstStart, { zone });
  const firstDay = first.startOf('day');
  const until =
    rule.until === null
      ? Number.POSITIVE_INFINITY
      : rule.until.length === 8
        ? DateTime.fromFormat(rule.until, 'yyyyMMdd', { zone }).endOf('day').toMillis()
        : DateTime.fromFormat(rule.until, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' }).toMillis();
  const limit = Math.min(rule.count ?? Number.POSITIVE_INFINITY, options.max);
  const starts: number[] = [];
  // The first day is an instance when the rule names it, as Google and Exchange expand (not RFC 5545's "always").
  for (let day = firstDay; starts.length < limit; day = day.plus({ days: 1 })) {
    const start = day.set({ hour: first.hour, minute: first.minute, second: first.second }).toMillis();
    if (start > until || start > options.horizon) break;
    if (matchesDay(rule, firstDay, day)) starts.push(start);
  }
  return starts;
}
