/**
 * Dates for mail fixtures, relative to the moment the test runs: fixtures never name a
 * calendar year, so a test means the same on any date.
 */
const DAY_MS = 86_400_000;

/** Midnight UTC `days` days before today, plus `hourUtc` hours (epoch milliseconds). */
export function daysAgo(days: number, hourUtc = 9): number {
  const today = new Date();
  return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - days * DAY_MS + hourUtc * 3_600_000;
}

/** A Date header's value (RFC 5322), e.g. "Mon, 23 Nov 2026 09:00:00 +0000". */
export function dateHeader(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** An mbox "From " separator line's date (asctime form), e.g. "Mon Nov 23 09:00:00 2026". */
export function mboxFromDate(ms: number): string {
  const [weekday, day, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${time} ${year}`;
}
