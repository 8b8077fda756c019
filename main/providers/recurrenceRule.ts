import { OutpostError } from '../core/outpostError.ts';

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/**
 * The common recurrence rules (RFC 5545 RRULE) Outpost creates: daily, weekly on days, monthly by date or
 * by weekday (2TU, -1FR, or BYDAY with BYSETPOS), yearly, each with INTERVAL and COUNT or UNTIL.
 */
export interface RecurrenceRule {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  count: number | null;
  /** UNTIL as written (YYYYMMDD or YYYYMMDDTHHMMSSZ). */
  until: string | null;
  byDay: Array<{ ordinal: number | null; day: Weekday }>;
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
}

const WEEKDAYS = new Set(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
const invalid = (message: string) => new OutpostError('validation_error', message, { field: 'recurrence' });

const numbers = (value: string, name: string, min: number, max: number) =>
  value.split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n === 0 || n < min || n > max) throw invalid(`${name}=${value} is not a valid list`);
    return n;
  });

/** An RRULE ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", with or without "RRULE:"), checked; anything else is refused. */
export function parseRecurrenceRule(text: string): RecurrenceRule {
  const body = text.trim().replace(/^RRULE:/i, '');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const [key, value, ...rest] = part.split('=');
    if (!key || value === undefined || rest.length > 0 || parts.has(key.toUpperCase()))
      throw invalid(`${text} is not an RRULE (KEY=VALUE parts separated by ;)`);
    parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY')
    throw invalid('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  for (const key of parts.keys())
    if (!['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST'].includes(key))
      throw invalid(`${key} is not supported (FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS)`);
  if (parts.has('COUNT') && parts.has('UNTIL')) throw invalid('COUNT and UNTIL cannot both be given');
  const until = parts.get('UNTIL') ?? null;
  if (until !== null && !/^\d{8}(T\d{6}Z)?$/.test(until)) throw invalid('UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ');
  const byDay = (parts.get('BYDAY')?.split(',') ?? []).map((v) => {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(v);
    if (!match || !WEEKDAYS.has(match[2] as string)) throw invalid(`BYDAY=${v} is not a weekday`);
    const ordinal = match[1] ? Number(match[1]) : null;
    if (ordinal !== null && (ordinal === 0 || Math.abs(ordinal) > 5 || freq === 'WEEKLY' || freq === 'DAILY'))
      throw invalid(`BYDAY=${v}: a numbered weekday needs FREQ=MONTHLY or YEARLY and 1 to 5 or -1 to -5`);
    return { ordinal, day: match[2] as Weekday };
  });
  const interval = parts.has('INTERVAL') ? numbers(parts.get('INTERVAL') as string, 'INTERVAL', 1, 1000)[0] : 1;
  const count = parts.has('COUNT') ? numbers(parts.get('COUNT') as string, 'COUNT', 1, 5000)[0] : null;
  return {
    freq,
    interval: interval ?? 1,
    count: count ?? null,
    until,
    byDay,
    byMonthDay: parts.has('BYMONTHDAY') ? numbers(parts.get('BYMONTHDAY') as string, 'BYMONTHDAY', -31, 31) : [],
    byMonth: parts.has('BYMONTH') ? numbers(parts.get('BYMONTH') as string, 'BYMONTH', 1, 12) : [],
    bySetPos: parts.has('BYSETPOS') ? numbers(parts.get('BYSETPOS') as string, 'BYSETPOS', -5, 5) : [],
  };
}

/** The rule as an RRULE line, the way it was checked. */
export function formatRecurrenceRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay.length) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.ordinal ?? ''}${d.day}`).join(',')}`);
  if (rule.byMonthDay.length) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byMonth.length) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.bySetPos.length) parts.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== null) parts.push(`UNTIL=${rule.until}`);
  return `RRULE:${parts.join(';')}`;
}

const WEEK: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** A weekday moved by whole days (Monday + 1 is Tuesday, Sunday + 1 Monday). */
export function shiftWeekday(day: Weekday, days: number): Weekday {
  return WEEK[(((WEEK.indexOf(day) + days) % 7) + 7) % 7] as Weekday;
}

/**
 * The rule of a series whose instances all move by `days` whole days: a weekly rule's days move with them;
 * a rule that names dates or numbered weekdays cannot follow on its own (the person gives the new rule).
 */
export function shiftRuleDays(rule: RecurrenceRule, days: number): RecurrenceRule {
  if (days === 0) return rule;
  if (rule.byMonthDay.length > 0 || rule.byMonth.length > 0 || rule.byDay.some((d) => d.ordinal !== null))
    throw invalid('moving a series that repeats on named dates to another day needs its new rule (recurrence) too');
  if (days % 7 === 0 || rule.byDay.length === 0) return rule;
  return { ...rule, byDay: rule.byDay.map((d) => ({ ordinal: null, day: shiftWeekday(d.day, days) })) };
}
