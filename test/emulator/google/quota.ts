/** Gmail per-user quota units over a moving one-second window (Google's usage-limits page). */
import { DateTime } from 'luxon';
import { googleError } from './errors.ts';

export const GMAIL_QUOTA_UNITS: Record<string, number> = {
  'gmail.users.getProfile': 1,
  'gmail.users.labels.list': 1,
  'gmail.users.labels.get': 1,
  'gmail.users.labels.create': 5,
  'gmail.users.labels.update': 5,
  // Not in Google's table: counted as labels.update, which it is with fewer fields.
  'gmail.users.labels.patch': 5,
  'gmail.users.labels.delete': 5,
  'gmail.users.drafts.create': 10,
  'gmail.users.drafts.delete': 10,
  'gmail.users.drafts.get': 5,
  'gmail.users.drafts.list': 5,
  'gmail.users.drafts.send': 100,
  'gmail.users.drafts.update': 15,
  'gmail.users.messages.batchDelete': 50,
  'gmail.users.messages.list': 5,
  'gmail.users.messages.get': 5,
  'gmail.users.messages.modify': 5,
  'gmail.users.messages.trash': 5,
  'gmail.users.messages.untrash': 5,
  'gmail.users.messages.delete': 10,
  'gmail.users.messages.batchModify': 50,
  'gmail.users.messages.insert': 25,
  'gmail.users.messages.send': 100,
  'gmail.users.messages.attachments.get': 5,
  'gmail.users.threads.list': 10,
  'gmail.users.threads.get': 10,
  'gmail.users.threads.modify': 10,
  'gmail.users.threads.trash': 10,
  'gmail.users.threads.untrash': 10,
  'gmail.users.threads.delete': 20,
  'gmail.users.history.list': 2,
};

export type CalendarRefusalReason = 'rateLimitExceeded' | 'userRateLimitExceeded' | 'quotaExceeded';
export interface CalendarRefusal {
  status: 403 | 429;
  reason: CalendarRefusalReason;
  /** How many more calls are refused (null: every one until lifted). */
  remaining: number | null;
}
/** The messages of Calendar's errors page for each reason. */
export const CALENDAR_REFUSAL_MESSAGES: Record<CalendarRefusalReason, string> = {
  rateLimitExceeded: 'Rate Limit Exceeded',
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  quotaExceeded: 'Calendar usage limits exceeded.',
};

/** Reads the control API's {status, reason, times?}: 429 goes only with rateLimitExceeded, as Google's page shows. */
export function calendarRefusalFrom(b: unknown): CalendarRefusal | null | undefined {
  if (b === null) return null;
  if (typeof b !== 'object') return undefined;
  const { status, reason, times } = b as { status?: unknown; reason?: unknown; times?: unknown };
  if (!(reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded' || reason === 'quotaExceeded')) return undefined;
  if (!(status === 403 || (status === 429 && reason === 'rateLimitExceeded'))) return undefined;
  const remaining = typeof times === 'number' && times > 0 ? Math.floor(times) : null;
  return { status, reason, remaining };
}

export class GmailQuota {
  unitsPerSecond: number;
  enabled: boolean;
  /**
   * How the per-user rate limit is answered, each as Google's Gmail "Resolve errors" page documents it:
   * 429 rateLimitExceeded (default), 403 userRateLimitExceeded (the default reason for 403) or 403 rateLimitExceeded.
   */
  exceededStatus: 429 | 403 = 429;
  exceededReason: 'rateLimitExceeded' | 'userRateLimitExceeded' | null = null;
  /** The project's daily quota is used up until this instant (the next midnight in America/Los_Angeles). */
  dailyExhaustedUntil: number | null = null;
  /** Gmail's per-user concurrent-request limit (null: not modelled); batch parts run at once, so each counts. */
  maxConcurrent: number | null = null;
  /**
   * Calendar's refusals as its "Handle API errors" page lists them, answered to the next `remaining` Calendar
   * calls (null: until lifted): 403 userRateLimitExceeded, 403 or 429 rateLimitExceeded, 403 quotaExceeded
   * ("Calendar usage limits exceeded."), all in domain usageLimits.
   */
  calendarRefusal: CalendarRefusal | null = null;
  private inFlight = new Map<string, number>();
  /** Per user: charges inside the moving second, oldest first, with their running sum. */
  private windows = new Map<string, { charges: Array<{ at: number; units: number }>; head: number; used: number }>();
  readonly spent = new Map<string, number>();

  constructor(unitsPerSecond = 250, enabled = true) {
    this.unitsPerSecond = unitsPerSecond;
    this.enabled = enabled;
  }

  /** Refuses every call with 403 dailyLimitExceeded until the quota day resets (Google: midnight Pacific time). */
  exhaustDaily(now: number): number {
    this.dailyExhaustedUntil = nextPacificMidnight(now);
    return this.dailyExhaustedUntil;
  }

  /** Throws Google's 403 dailyLimitExceeded while the day's quota is used up (Gmail and Calendar alike). */
  checkDaily(now: number): void {
    if (this.dailyExhaustedUntil === null) return;
    if (now >= this.dailyExhaustedUntil) {
      this.dailyExhaustedUntil = null;
      return;
    }
    throw googleError(403, 'dailyLimitExceeded', 'Daily Limit Exceeded', { domain: 'usageLimits' });
  }

  /** Throws the Calendar refusal the control API set, counting it down. */
  checkCalendar(): void {
    const r = this.calendarRefusal;
    if (!r) return;
    if (r.remaining !== null && --r.remaining <= 0) this.calendarRefusal = null;
    throw googleError(r.status, r.reason, CALENDAR_REFUSAL_MESSAGES[r.reason], { domain: 'usageLimits' });
  }

  /**
   * A batch of n parts starts for the user: how many of them fit under the concurrent-request limit
   * (the rest are answered tooManyConcurrent); release() when the batch has answered.
   */
  admit(email: string, n: number): { admitted: number; release(): void } {
    const busy = this.inFlight.get(email) ?? 0;
    const admitted = this.maxConcurrent === null ? n : Math.max(0, Math.min(n, this.maxConcurrent - busy));
    this.inFlight.set(email, busy + admitted);
    return {
      admitted,
      release: () => this.inFlight.set(email, Math.max(0, (this.inFlight.get(email) ?? 0) - admitted)),
    };
  }

  /** Charges the user or throws Gmail's 429 rateLimitExceeded. */
  charge(email: string, endpoint: string, now: number): void {
    this.checkDaily(now);
    const units = GMAIL_QUOTA_UNITS[endpoint] ?? 1;
    // Switched off (benches, bulk seeding through the API): no window to keep, so no per-request cost.
    if (!this.enabled) {
      this.windows.delete(email);
      this.spent.set(email, (this.spent.get(email) ?? 0) + units);
      return;
    }
    let window = this.windows.get(email);
    if (!window) {
      window = { charges: [], head: 0, used: 0 };
      this.windows.set(email, window);
    }
    // Expire from the front (charges are pushed in time order): O(1) amortized instead of a filter per request.
    while (window.head < window.charges.length && (window.charges[window.head] as { at: number }).at <= now - 1000) {
      window.used -= (window.charges[window.head] as { units: number }).units;
      window.head++;
    }
    if (window.head > 1024) {
      window.charges = window.charges.slice(window.head);
      window.head = 0;
    }
    if (window.used + units > this.unitsPerSecond) {
      if (this.exceededStatus === 403 && this.exceededReason === 'rateLimitExceeded')
        throw googleError(403, 'rateLimitExceeded', 'Rate Limit Exceeded', { domain: 'usageLimits' });
      if (this.exceededStatus === 403)
        throw googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', { domain: 'usageLimits' });
      throw googleError(
        429,
        'rateLimitExceeded',
        `User-rate limit exceeded.  Retry after ${new Date(now + 1000).toISOString()}`,
        { domain: 'usageLimits' },
      );
    }
    window.charges.push({ at: now, units });
    window.used += units;
    this.spent.set(email, (this.spent.get(email) ?? 0) + units);
  }
}

/** Gmail's answer to a part beyond the per-user concurrent-request limit. */
export function tooManyConcurrent() {
  return googleError(429, 'rateLimitExceeded', 'Too many concurrent requests for user.', { domain: 'global' });
}

/** The first midnight in America/Los_Angeles after `now` (where Google's daily quotas reset), DST included. */
export function nextPacificMidnight(now: number): number {
  return DateTime.fromMillis(now, { zone: 'America/Los_Angeles' }).plus({ days: 1 }).startOf('day').toMillis();
}
