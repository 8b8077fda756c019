/**
 * RFC 5545 RRULE expansion for the Google Calendar emulator, in the event's zone (the wall-clock time of
 * DTSTART is kept across DST changes, as Google does). Supported: FREQ DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL,
 * COUNT, UNTIL, BYDAY (with ordinals such as 2TU or -1FR for MONTHLY, and YEARLY with or without BYMONTH),
 * BYMONTHDAY (negative too), BYMONTH, BYSETPOS and WKST. Not supported: BYYEARDAY, BYWEEKNO, BYHOUR/BYMINUTE/
 * BYSECOND and FREQ below DAILY (Google Calendar's own editor offers none of them); a rule using one is refused.
 */
import { DateTime } from 'luxon';

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
type Freq = (typeof FREQS)[number];
const KNOWN = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST']);

export interface ParsedRule {
  freq: Freq;
  interval: number;
  count: number;
  /** UNTIL as an instant (UTC date-time) or, for a date-only UNTIL, that date (yyyyMMdd) inclusive. */
  until: { ms: number } | { date: string } | null;
  /** BYDAY entries: weekday 1 (Monday) .. 7 and an ordinal (0: every such weekday of the period). */
  byDay: Array<{ weekday: number; n: number }> | null;
  byMonthDay: number[] | null;
  byMonth: number[] | null;
  bySetPos: number[] | null;
  /** Week start, 1 (Monday, RFC 5545's default) .. 7. */
  wkst: number;
}

/** Why a rule cannot be expanded (the route answers 400 invalid recurrence rule with it). */
export class RuleError extends Error {}

const ints = (v: string, name: string, min: number, max: number): number[] =>
  v.split(',').map((s) => {
    const n = Number(s);
    if (!/^[+-]?\d+$/.test(s) || n === 0 || Math.abs(n) < min || Math.abs(n) > max) throw new RuleError(`bad ${name} ${s}`);
    return n;
  });

/** Reads "RRULE:FREQ=...;..." (the prefix optional). */
export function parseRule(text: string): ParsedRule {
  const parts = new Map<string, string>();
  for (const p of text.replace(/^RRULE:/, '').split(';')) {
    if (!p) continue;
    const [k, v] = p.split('=') as [string, string | undefined];
    if (v === undefined || !KNOWN.has(k.toUpperCase())) throw new RuleError(`unsupported rule part ${p}`);
    parts.set(k.toUpperCase(), v.toUpperCase());
  }
  const freq = parts.get('FREQ') as Freq | undefined;
  if (!freq || !FREQS.includes(freq)) throw new RuleError(`unsupported FREQ ${freq ?? '(none)'}`);
  if (parts.has('COUNT') && parts.has('UNTIL')) throw new RuleError('COUNT and UNTIL together');
  const untilText = parts.get('UNTIL');
  let until: ParsedRule['until'] = null;
  if (untilText) {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(untilText);
    if (!m) throw new RuleError(`bad UNTIL ${untilText}`);
    until = m[4] ? { ms: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4], +m[5]!, +m[6]!) } : { date: `${m[1]}${m[2]}${m[3]}` };
  }
  const byDayText = parts.get('BYDAY');
  const byDay = byDayText
    ? byDayText.split(',').map((d) => {
        const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(d);
        if (!m) throw new RuleError(`bad BYDAY ${d}`);
        return { weekday: DAY_CODES.indexOf(m[2] as string) + 1, n: m[1] ? Number(m[1]) : 0 };
      })
    : null;
  const wkst = DAY_CODES.indexOf(parts.get('WKST') ?? 'MO') + 1;
  if (wkst === 0) throw new RuleError(`bad WKST ${parts.get('WKST')}`);
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : Number.POSITIVE_INFINITY;
  if (!Number.isInteger(interval) || interval < 1) throw new RuleError('bad INTERVAL');
  if (count !== Number.POSITIVE_INFINITY && (!Number.isInteger(count) || count < 1)) throw new RuleError('bad COUNT');
  return {
    freq,
    interval,
    count,
    until,
    byDay,
    byMonthDay: parts.has('BYMONTHDAY') ? ints(parts.get('BYMONTHDAY') as string, 'BYMONTHDAY', 1, 31) : null,
    byMonth: parts.has('BYMONTH') ? ints(parts.get('BYMONTH') as string, 'BYMONTH', 1, 12) : null,
    bySetPos: parts.has('BYSETPOS') ? ints(parts.get('BYSETPOS') as string, 'BYSETPOS', 1, 366) : null,
    wkst,
  };
}

/** A calendar day (no zone): the rule works on days; times come from DTSTART. */
interface Day {
  y: number;
  m: number;
  d: number;
}
const asDate = (day: Day) => DateTime.utc(day.y, day.m, day.d);
const fromDate = (t: DateTime): Day => ({ y: t.year, m: t.month, d: t.day });
const daysIn = (y: number, m: number) => DateTime.utc(y, m, 1).daysInMonth as number;
const key = (day: Day) => day.y * 10_000 + day.m * 100 + day.d;

/** Days of one month matching BYDAY (ordinals within the month) and BYMONTHDAY; `fallback` when neither is given. */
function monthDays(y: number, m: number, rule: ParsedRule, fallback: number[]): Day[] {
  const last = daysIn(y, m);
  let days: number[] | null = null;
  if (rule.byMonthDay) days = rule.byMonthDay.map((n) => (n > 0 ? n : last + n + 1)).filter((n) => n >= 1 && n <= last);
  if (rule.byDay) {
    const matching = new Set<number>();
    for (const { weekday, n } of rule.byDay) {
      const all: number[] = [];
      for (let d = 1; d <= last; d++) if (DateTime.utc(y, m, d).weekday === weekday) all.push(d);
      if (n === 0) for (const d of all) matching.add(d);
      else {
        const pick = n > 0 ? all[n - 1] : all[all.length + n];
        if (pick !== undefined) matching.add(pick);
      }
    }
    days = days ? days.filter((d) => matching.has(d)) : [...matching];
  }
  days ??= fallback.filter((d) => d <= last);
  return [...new Set(days)].sort((a, b) => a - b).map((d) => ({ y, m, d }));
}

/** Days of a whole year matching BYDAY with ordinals counted within the year (YEARLY without BYMONTH). */
function yearWeekdays(y: number, rule: ParsedRule): Day[] {
  const out: Day[] = [];
  for (const { weekday, n } of rule.byDay ?? []) {
    const all: Day[] = [];
    for (let t = DateTime.utc(y, 1, 1); t.year === y; t = t.plus({ days: 1 })) if (t.weekday === weekday) all.push(fromDate(t));
    if (n === 0) out.push(...all);
    else {
      const pick = n > 0 ? all[n - 1] : all[all.length + n];
      if (pick) out.push(pick);
    }
  }
  return out;
}

/** The candidate days of the k-th period after DTSTART's, in order, before BYSETPOS. */
function periodDays(rule: ParsedRule, start: Day, k: number): Day[] {
  const step = k * rule.interval;
  const inMonths = (d: Day) => !rule.byMonth || rule.byMonth.includes(d.m);
  if (rule.freq === 'DAILY') {
    const day = fromDate(asDate(start).plus({ days: step }));
    const t = asDate(day);
    const last = daysIn(day.y, day.m);
    if (rule.byDay && !rule.byDay.some((b) => b.weekday === t.weekday)) return [];
    if (rule.byMonthDay && !rule.byMonthDay.some((n) => (n > 0 ? n : last + n + 1) === day.d)) return [];
    return inMonths(day) ? [day] : [];
  }
  if (rule.freq === 'WEEKLY') {
    const s = asDate(start);
    const weekStart = s.minus({ days: (s.weekday - rule.wkst + 7) % 7 }).plus({ weeks: step });
    const weekdays = rule.byDay ? rule.byDay.map((b) => b.weekday) : [s.weekday];
    return Array.from({ length: 7 }, (_, i) => weekStart.plus({ days: i }))
      .filter((t) => weekdays.includes(t.weekday))
      .map(fromDate)
      .filter(inMonths);
  }
  if (rule.freq === 'MONTHLY') {
    const month = asDate({ ...start, d: 1 }).plus({ months: step });
    if (rule.byMonth && !rule.byMonth.includes(month.month)) return [];
    return monthDays(month.year, month.month, rule, [start.d]);
  }
  const y = start.y + step;
  if (rule.byMonth) return [...rule.byMonth].sort((a, b) => a - b).flatMap((m) => monthDays(y, m, rule, [start.d]));
  if (rule.byMonthDay) return Array.from({ length: 12 }, (_, i) => monthDays(y, i + 1, rule, [])).flat();
  if (rule.byDay) return yearWeekdays(y, rule).sort((a, b) => key(a) - key(b));
  return start.m === 2 && start.d === 29 && daysIn(y, 2) < 29 ? [] : [{ y, m: start.m, d: start.d }];
}

/**
 * The occurrence starts of a rule from DTSTART (a DateTime in the event's zone; allDay: dates only), up to
 * `horizonMs` (exclusive of later starts), COUNT and UNTIL applied; EXDATE is the caller's.
 */
export function expandRule(rule: ParsedRule, dtstart: DateTime, allDay: boolean, horizonMs: number): DateTime[] {
  const start = fromDate(dtstart);
  const out: DateTime[] = [];
  let produced = 0;
  // Enough periods for 400 years of the slowest rule (a yearly 29 February), bounded so an impossible one ends.
  for (let k = 0; k < 20_000; k++) {
    let days = periodDays(rule, start, k);
    if (rule.bySetPos && days.length > 0) {
      const picked = new Set<number>();
      for (const p of rule.bySetPos) {
        const d = p > 0 ? days[p - 1] : days[days.length + p];
        if (d) picked.add(key(d));
      }
      days = days.filter((d) => picked.has(key(d)));
    }
    for (const day of days) {
      if (key(day) < key(start)) continue;
      const time = allDay ? {} : { hour: dtstart.hour, minute: dtstart.minute, second: dtstart.second };
      const t = DateTime.fromObject({ year: day.y, month: day.m, day: day.d, ...time }, { zone: dtstart.zone });
      if (rule.until && ('ms' in rule.until ? t.toMillis() > rule.until.ms : t.toFormat('yyyyMMdd') > rule.until.date))
        return out;
      if (t.toMillis() > horizonMs) return out;
      out.push(t);
      produced++;
      if (produced >= rule.count) return out;
    }
    // A period that starts beyond the horizon can only hold later days.
    if (periodStartAfter(rule, start, k, horizonMs, dtstart)) return out;
  }
  return out;
}

function periodStartAfter(rule: ParsedRule, start: Day, k: number, horizonMs: number, dtstart: DateTime): boolean {
  if (!Number.isFinite(horizonMs)) return false;
  const unit = { DAILY: 'days', WEEKLY: 'weeks', MONTHLY: 'months', YEARLY: 'years' }[rule.freq];
  const next = DateTime.fromObject({ year: start.y, month: start.m, day: 1 }, { zone: dtstart.zone })
    .minus({ weeks: 1 })
    .plus({ [unit]: (k + 1) * rule.interval });
  return next.toMillis() > horizonMs;
}
