/**
 * When the core process dies unexpectedly it is restarted, after a delay
 * that doubles with each crash (1 s, 2 s, 4 s … 30 s). Crashes older than the
 * window are forgotten; more than `maxCrashes` inside it means something is
 * persistently wrong, and the app stops retrying and tells the user.
 */
export class CoreRestartPolicy {
  readonly #crashes: number[] = [];
  readonly #maxCrashes: number;
  readonly #windowMs: number;

  constructor(options: { maxCrashes?: number; windowMs?: number } = {}) {
    this.#maxCrashes = options.maxCrashes ?? 5;
    this.#windowMs = options.windowMs ?? 10 * 60_000;
  }

  /** Records a crash at `now`; returns the delay before restarting, or null to give up. */
  onCrash(now: number): number | null {
    while (this.#crashes.length > 0 && now - (this.#crashes[0] as number) > this.#windowMs) this.#crashes.shift();
    this.#crashes.push(now);
    if (this.#crashes.length > this.#maxCrashes) return null;
    return Math.min(30_000, 1_000 * 2 ** (this.#crashes.length - 1));
  }
}
