import { sleep } from './sleep.ts';

/**
 * Paces requests to a provider's per-user quota the way Gmail counts it:
 * at most `unitsPerWindow` units in any moving window (250 units per user
 * per moving second; messages.get costs 5). Mirroring the server's moving
 * window, rather than a token bucket whose banked burst adds to the rate,
 * is what lets a sync run just under the ceiling without 429s; `windowMs`
 * is a little longer than the server's second so network jitter between two
 * requests cannot squeeze them into one server window. Waiters are served in
 * order. After a 429 every caller pauses, because all share the quota.
 */
export class QuotaWindow {
  readonly unitsPerWindow: number;
  #windowMs: number;
  readonly #maxWindowMs: number;
  #spends: Array<{ at: number; units: number }> = [];
  #used = 0;
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: {
    unitsPerWindow: number;
    windowMs: number;
    now?: () => number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  }) {
    if (!(options.unitsPerWindow > 0)) throw new Error('unitsPerWindow must be positive');
    if (!(options.windowMs > 0)) throw new Error('windowMs must be positive');
    this.unitsPerWindow = options.unitsPerWindow;
    this.#windowMs = options.windowMs;
    this.#maxWindowMs = options.windowMs + 200;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
  }

  /** Resolves when `units` may be spent; callers are served first come, first served. */
  take(units: number, signal?: AbortSignal): Promise<void> {
    if (units > this.unitsPerWindow)
      throw new Error(`a request of ${units} units can never fit a window of ${this.unitsPerWindow}`);
    const turn = this.#queue.then(() => this.#waitFor(units, signal));
    this.#queue = turn.catch(() => {});
    return turn;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  /** Stops all spending until `ms` from now. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  /**
   * The server refused a request for quota (429): everyone pauses for its
   * Retry-After, or a short beat (the pacing keeps the overshoot small), and
   * the window grows by 10 ms (at most 200 ms in all), since requests evidently
   * reach the server closer together than they left.
   */
  rateLimited(retryAfterMs?: number): void {
    this.pause(retryAfterMs ?? 250);
    this.#windowMs = Math.min(this.#maxWindowMs, this.#windowMs + 10);
  }

  async #waitFor(units: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      if (now < this.#pausedUntil) {
        await this.#sleep(this.#pausedUntil - now, signal);
        continue;
      }
      this.#expire(now);
      if (this.#used + units <= this.unitsPerWindow) {
        this.#spends.push({ at: now, units });
        this.#used += units;
        return;
      }
      // Sleep until enough of the oldest spends have left the window.
      let freed = 0;
      let until = now;
      for (const spend of this.#spends) {
        freed += spend.units;
        until = spend.at + this.#windowMs;
        if (this.#used - freed + units <= this.unitsPerWindow) break;
      }
      await this.#sleep(Math.max(1, until - now), signal);
    }
  }

  #expire(now: number): void {
    let drop = 0;
    while (drop < this.#spends.length && (this.#spends[drop]?.at ?? 0) <= now - this.#windowMs) {
      this.#used -= this.#spends[drop]?.units ?? 0;
      drop++;
    }
    if (drop > 0) this.#spends.splice(0, drop);
  }
}
