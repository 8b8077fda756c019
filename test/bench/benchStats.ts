import { cpus, totalmem } from 'node:os';

/** Small statistics helpers shared by the benchmarks: medians and percentiles, never means of noisy runs. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * The longest gap between ticks of a 2 ms timer from now (or the last
 * reset()) until stop(): how long a request arriving meanwhile would have
 * waited for the event loop.
 */
export function eventLoopStall(): { reset(): void; stop(): number } {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 2);
  return {
    reset() {
      longest = 0;
    },
    stop() {
      clearInterval(ticker);
      return longest;
    },
  };
}
