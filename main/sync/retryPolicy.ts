import type { Log } from '../core/log.ts';
import { sleep } from './sleep.ts';

/** What a failed provider call means for a retry. */
export type FailureClass =
  | { kind: 'retry'; retryAfterMs?: number; reason: string } // 429, 5xx, resets: try again later
  | { kind: 'fatal' }; // anything else: stop and report

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RetryOptions {
  classify(error: unknown): FailureClass;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Told of every retry before its wait (required: a retry nobody can see is a failure hidden; see logRetry). */
  onRetry(info: RetryInfo): void;
  random?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `operation`, retrying only failures the classifier calls retryable,
 * with exponential backoff and full jitter (or the server's Retry-After when
 * given, which wins), at most `maxAttempts` times. Every retry is reported
 * through onRetry so it is logged; the last error is rethrown unchanged.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 32_000;
  const random = options.random ?? Math.random;
  const wait = options.wait ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const failure = options.classify(error);
      if (failure.kind === 'fatal' || attempt >= maxAttempts || options.signal?.aborted) throw error;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1));
      const delayMs = failure.retryAfterMs ?? Math.round(backoff * (0.5 + random() * 0.5));
      options.onRetry({ attempt, delayMs, reason: failure.reason });
      await wait(delayMs, options.signal);
    }
  }
}

/** Retry-After as seconds or an HTTP date -> milliseconds (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The usual onRetry: a warning in the log naming the call, the attempt, the reason and the wait. */
export function logRetry(log: Log, call: string): (info: RetryInfo) => void {
  return (info) => log.warn({ call, attempt: info.attempt, delay_ms: info.delayMs, reason: info.reason }, 'retrying');
}
