/**
 * Paces requests to a provider's per-user quota (Gmail: 250 units per user
 * per second, messages.get costing 5). A token bucket: `unitsPerSecond` refill,
 * at most `burst` units banked. Waiters are served in order. After a 429 the
 * whole bucket pauses for the server's Retry-After or the backoff, because
 * every caller shares the same quota.
 */
export class QuotaBucket {
  readonly unitsPerSecond: number;
  readonly burst: number;
  #available: number;
  #updatedAt: number;
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: {
    unitsPerSecond: number;
    burst?: number;
    now?: () => number;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  }) {
    if (!(options.unitsPerSecond > 0)) throw new Error('unitsPerSecond must be positive');
    this.unitsPerSecond = options.unitsPerSecond;
    this.burst = options.burst ?? options.unitsPerSecond;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
    this.#available = this.burst;
    this.#updatedAt = this.#now();
  }

  /** Resolves when `units` may be spent; callers are served first come, first served. */
  take(units: number, signal?: AbortSignal): Promise<void> {
    if (units > this.burst) throw new Error(`a request of ${units} units can never fit a bucket of ${this.burst}`);
    const turn = this.#queue.then(() => this.#waitFor(units, signal));
    this.#queue = turn.catch(() => {});
    return turn;
  }

  /** Stops all spending until `ms` from now (after a 429 / Retry-After), and empties the bank. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    this.#available = 0;
    this.#updatedAt = this.#now();
  }

  async #waitFor(units: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      if (now < this.#pausedUntil) {
        await this.#sleep(this.#pausedUntil - now, signal);
        continue;
      }
      this.#available = Math.min(this.burst, this.#available + ((now - this.#updatedAt) / 1000) * this.unitsPerSecond);
      this.#updatedAt = now;
      if (this.#available >= units) {
        this.#available -= units;
        return;
      }
      await this.#sleep(Math.ceil(((units - this.#available) / this.unitsPerSecond) * 1000), signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
