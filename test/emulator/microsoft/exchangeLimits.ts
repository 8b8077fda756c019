import { setTimeout as sleep } from 'node:timers/promises';
import { graphError } from './errors.ts';

/**
 * Exchange Online's limits on Outlook resources in Graph, as Microsoft's throttling
 * reference states them, per app ID and mailbox: 10,000 API requests per 10-minute
 * period and 4 concurrent requests. Every request counts against the window, those
 * refused included ("all requests accrue against your usage limits"); a `$batch`'s
 * inner requests count one by one and run at once unless dependsOn orders them, so
 * parts beyond the concurrency limit answer 429 on their own.
 */
export interface ExchangeLimitSettings {
  /** Requests per window per app and mailbox before 429; 0 = off. */
  requestsPer10Min: number;
  /** The window's length: 600 as documented; tests scale it down. */
  windowSec: number;
  /** Requests in flight per app and mailbox before 429 MailboxConcurrency; 0 = off. */
  maxConcurrentPerMailbox: number;
  /** Retry-After of a concurrency refusal (a window refusal says when its window ends). */
  retryAfterSec: number;
  /** Time each admitted request stays in flight (Exchange's service time), so callers can collide. */
  latencyMs: number;
}

/** Microsoft's documented numbers, for `exchangeLimits: true`. */
export const DOCUMENTED_EXCHANGE_LIMITS: ExchangeLimitSettings = {
  requestsPer10Min: 10_000,
  windowSec: 600,
  maxConcurrentPerMailbox: 4,
  retryAfterSec: 1,
  latencyMs: 0,
};

const OFF: ExchangeLimitSettings = { ...DOCUMENTED_EXCHANGE_LIMITS, requestsPer10Min: 0, maxConcurrentPerMailbox: 0 };

export interface ExchangeLimitCounts {
  /** Requests counted (admitted and refused). */
  requests: number;
  windowThrottled: number;
  concurrencyThrottled: number;
  /** Most requests one app and mailbox had in flight at once. */
  peakInFlight: number;
}

export class ExchangeLimits {
  settings: ExchangeLimitSettings;
  counts: ExchangeLimitCounts = { requests: 0, windowThrottled: 0, concurrencyThrottled: 0, peakInFlight: 0 };
  readonly #now: () => number;
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #inFlight = new Map<string, number>();
  /** While set, admitted requests wait here (a test holds them to fill the concurrency limit). */
  #held: { promise: Promise<void>; release: () => void } | undefined;

  constructor(now: () => number, initial: boolean | Partial<ExchangeLimitSettings> | undefined) {
    this.#now = now;
    this.settings = initial === true ? { ...DOCUMENTED_EXCHANGE_LIMITS } : { ...OFF, ...(initial || {}) };
  }

  configure(patch: Partial<ExchangeLimitSettings> & { hold?: boolean; reset?: boolean }): void {
    for (const key of Object.keys(OFF) as Array<keyof ExchangeLimitSettings>) {
      const value = patch[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${key} must be a number >= 0`);
      this.settings[key] = value;
    }
    if (patch.reset) {
      this.#windows.clear();
      this.counts = { requests: 0, windowThrottled: 0, concurrencyThrottled: 0, peakInFlight: 0 };
    }
    if (patch.hold === true && !this.#held) {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      this.#held = { promise, release };
    } else if (patch.hold === false && this.#held) {
      this.#held.release();
      this.#held = undefined;
    }
  }

  inFlight(): Record<string, number> {
    return Object.fromEntries([...this.#inFlight].filter(([, n]) => n > 0));
  }

  /** Counts the request against the app's window for this mailbox, refuses it (429) or runs it holding a slot. */
  async admit<T>(clientId: string, mailbox: string, run: () => T | Promise<T>): Promise<T> {
    const key = `${clientId}|${mailbox.toLowerCase()}`;
    this.#countAgainstWindow(key);
    const busy = this.#inFlight.get(key) ?? 0;
    const max = this.settings.maxConcurrentPerMailbox;
    if (max > 0 && busy >= max) {
      this.counts.concurrencyThrottled++;
      throw graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
        'retry-after': String(this.settings.retryAfterSec),
      });
    }
    this.#inFlight.set(key, busy + 1);
    this.counts.peakInFlight = Math.max(this.counts.peakInFlight, busy + 1);
    try {
      if (this.#held) await this.#held.promise;
      if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
      return await run();
    } finally {
      this.#inFlight.set(key, (this.#inFlight.get(key) ?? 1) - 1);
    }
  }

  #countAgainstWindow(key: string): void {
    this.counts.requests++;
    const budget = this.settings.requestsPer10Min;
    const windowMs = this.settings.windowSec * 1000;
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || now >= window.start + windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count++;
    if (budget > 0 && window.count > budget) {
      this.counts.windowThrottled++;
      const retryAfterSec = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
      throw graphError(429, 'ApplicationThrottled', 'Application is over its MailboxRequests limit.', {
        'retry-after': String(retryAfterSec),
      });
    }
  }
}
