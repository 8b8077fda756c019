import { networkInterfaces } from 'node:os';

/**
 * Notices the two moments a sync should run at once instead of waiting for
 * its interval: the network came back (a non-loopback interface reappeared),
 * and the machine woke from sleep (a tick arrived far later than scheduled).
 * Plain Node, so `outpost serve` and the desktop core share it.
 */
export class ConnectivityWatch {
  readonly #onRegain: (reason: 'network' | 'wake') => void;
  readonly #isOnline: () => boolean;
  readonly #now: () => number;
  readonly #tickMs: number;
  #online: boolean;
  #lastTick: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: {
    onRegain(reason: 'network' | 'wake'): void;
    isOnline?: () => boolean;
    now?: () => number;
    tickMs?: number;
  }) {
    this.#onRegain = options.onRegain;
    this.#isOnline = options.isOnline ?? hasNetworkInterface;
    this.#now = options.now ?? Date.now;
    this.#tickMs = options.tickMs ?? 15_000;
    this.#online = this.#isOnline();
    this.#lastTick = this.#now();
  }

  start(): void {
    this.#timer = setInterval(() => this.tick(), this.#tickMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  tick(): void {
    const now = this.#now();
    const slept = now - this.#lastTick > Math.max(60_000, 4 * this.#tickMs);
    this.#lastTick = now;
    const online = this.#isOnline();
    const regained = online && !this.#online;
    this.#online = online;
    if (!online) return;
    if (regained) this.#onRegain('network');
    else if (slept) this.#onRegain('wake');
  }
}

function hasNetworkInterface(): boolean {
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => !a.internal));
}
