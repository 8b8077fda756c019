/** Expands Graph patternedRecurrence (daily, weekly, absoluteMonthly, absoluteYearly; endDate/numbered/noEnd) into start instants. */
export interface Recurrence {
  pattern: { type: string; interval?: number; daysOfWeek?: string[]; dayOfMonth?: number; month?: number };
  range: { type: string; startDate: string; endDate?: string; numberOfOccurrences?: number };
}

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Yields local wall-clock start dates ("YYYY-MM-DD") of each occurrence; the caller keeps the
 * series' wall-clock time in its own time zone, which is what makes occurrences cross DST correctly.
 */
export function* occurrenceDates(rec: Recurrence, firstStart: string, limitDate: string): Generator<string> {
  const interval = Math.max(1, rec.pattern.interval ?? 1);
  const start = new Date(`${rec.range.startDate ?? firstStart.slice(0, 10)}T00:00:00Z`);
  const end = rec.range.type === 'endDate' && rec.range.endDate ? rec.range.endDate : limitDate;
  const max = rec.range.type === 'numbered' ? (rec.range.numberOfOccurrences ?? 1) : Number.POSITIVE_INFINITY;
  let count = 0;
  const day = new Date(start);
  for (let i = 0; i < 3660 * interval && count < max; i++) {
    const ymd = day.toISOString().slice(0, 10);
    if (ymd > end || ymd > limitDate) return;
    const diffDays = Math.round((day.getTime() - start.getTime()) / 86_400_000);
    let hit = false;
    switch (rec.pattern.type) {
      case 'daily':
        hit = diffDays % interval === 0;
        break;
      case 'weekly': {
        const week = Math.floor((diffDays + start.getUTCDay()) / 7);
        const days = rec.pattern.daysOfWeek?.map((d) => d.toLowerCase()) ?? [DAYS[start.getUTCDay()]];
        hit = week % interval === 0 && days.includes(DAYS[day.getUTCDay()]);
        break;
      }
      case 'absoluteMonthly': {
        const months = (day.getUTCFullYear() - start.getUTCFullYear()) * 12 + day.getUTCMonth() - start.getUTCMonth();
        hit = months % interval === 0 && day.getUTCDate() === (rec.pattern.dayOfMonth ?? start.getUTCDate());
        break;
      }
      case 'absoluteYearly':
        hit =
          day.getUTCMonth() + 1 === (rec.pattern.month ?? start.getUTCMonth() + 1) &&
          day.getUTCDate() === (rec.pattern.dayOfMonth ?? start.getUTCDate());
        break;
    }
    if (hit) {
      count++;
      yield ymd;
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
}

/** UTC instant of a wall-clock time in an IANA zone. */
/** One formatter per locale and zone: building an Intl.DateTimeFormat costs far more than using one, and every occurrence of every series needs it. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
function wallClockFormat(locale: 'en-US' | 'en-CA', timeZone: string): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let format = wallClockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(key, format);
  }
  return format;
}

export function zonedToUtc(local: string, timeZone: string): number {
  const naive = Date.parse(`${local.slice(0, 19)}Z`);
  if (timeZone === 'UTC' || !timeZone) return naive;
  const offsetAt = (t: number) => {
    const parts = wallClockFormat('en-US', timeZone).formatToParts(new Date(t));
    const g = (k: string) => Number(parts.find((p) => p.type === k)!.value);
    return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - t;
  };
  const guess = naive - offsetAt(naive);
  return naive - offsetAt(guess);
}

/** Wall-clock "YYYY-MM-DDTHH:mm:ss.0000000" of an instant in a zone (Graph's dateTimeTimeZone format). */
export function utcToZoned(t: number, timeZone: string): string {
  const parts = wallClockFormat('en-CA', timeZone || 'UTC').formatToParts(new Date(t));
  const g = (k: string) => parts.find((p) => p.type === k)!.value;
  return `${g('year')}-${g('month')}-${g('day')}T${g('hour')}:${g('minute')}:${g('second')}.0000000`;
}
