import { sleep } from '../../sync/sleep.ts';

/**
 * Exchange lets one app have at most 4 requests in flight per mailbox (Microsoft Graph
 * throttling limits, Outlook service); a fifth is answered 429 MailboxConcurrency. Every
 * Graph client of one account (mail sync, calendar sync, pushes, send) shares one limiter,
 * so together they never pass that; and once Graph says to wait (Retry-After), none of
 * them starts another request to that mailbox before the time is up.
 */
export const MAX_IN_FLIGHT_PER_MAILBOX = 4;

export class MailboxLimiter {
  readonly maxInFlight: number;
  #inFlight = 0;
  #waiting: Array<() => void> = [];
  #pausedUntil = 0;

  constructor(maxInFlight = MAX_IN_FLIGHT_PER_MAILBOX) {
    this.maxInFlight = maxInFlight;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Runs `call` holding one of the mailbox's slots, after any pause Graph asked for. */
  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await call();
    } finally {
      this.#release();
    }
  }

  /** Graph said to wait `ms` (Retry-After): no request to this mailbox starts before then. */
  pause(ms: number, now = Date.now()): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, now + ms);
  }

  async #acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.#pausedUntil - Date.now();
      if (wait > 0) {
        await sleep(wait, signal);
        continue;
      }
      if (this.#inFlight < this.maxInFlight) {
        this.#inFlight++;
        return;
      }
      // Woken by a freed slot, or by a cancel (then the loop's throwIfAborted ends the wait).
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#waiting.push(() => {
          signal?.removeEventListener('abort', onAbort); // a long sync waits thousands of times on one signal
          resolve();
        });
      });
    }
  }

  #release(): void {
    this.#inFlight--;
    // Each waiter looks again (one may have been aborted, or a pause begun meanwhile).
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }
}

const limiters = new Map<string, MailboxLimiter>();

/** The one limiter of a mailbox (keyed by Graph endpoint and the signed-in account), made on first use. */
export function mailboxLimiter(key: string): MailboxLimiter {
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new MailboxLimiter();
    limiters.set(key, limiter);
  }
  return limiter;
}
