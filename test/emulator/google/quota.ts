/** Gmail per-user quota units over a moving one-second window (Google's usage-limits page). */
import { googleError } from './errors.ts';

export const GMAIL_QUOTA_UNITS: Record<string, number> = {
  'gmail.users.getProfile': 1,
  'gmail.users.labels.list': 1,
  'gmail.users.labels.get': 1,
  'gmail.users.labels.create': 5,
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
  'gmail.users.history.list': 2,
};

export class GmailQuota {
  unitsPerSecond: number;
  enabled: boolean;
  /** 429 rateLimitExceeded (default) or 403 userRateLimitExceeded: Gmail answers both for per-user limits. */
  exceededStatus: 429 | 403 = 429;
  /** Per user: charges inside the moving second, oldest first, with their running sum. */
  private windows = new Map<string, { charges: Array<{ at: number; units: number }>; head: number; used: number }>();
  readonly spent = new Map<string, number>();

  constructor(unitsPerSecond = 250, enabled = true) {
    this.unitsPerSecond = unitsPerSecond;
    this.enabled = enabled;
  }

  /** Charges the user or throws Gmail's 429 rateLimitExceeded. */
  charge(email: string, endpoint: string, now: number): void {
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
