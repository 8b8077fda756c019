import type { FastifyReply } from 'fastify';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { takeFromWindow, usedInWindow } from '../db/queries/rateLimits.ts';

/**
 * Limits the API reports in X-RateLimit-* on every response:
 * - sync routes: the on-demand sync cap (default 6 per hour per workspace),
 *   persisted in `rate_limit_windows` so a restart does not reset it;
 * - POST /v1/email/send: the per-day send cap (per-second cap enforced too);
 * - everything else: a general request budget per principal per minute (in memory).
 */
export interface RateLimitConfig {
  syncPerHour: number;
  sendPerSecond: number;
  sendPerDay: number;
  requestsPerMinute: number;
}

export const defaultRateLimits: RateLimitConfig = { syncPerHour: 6, sendPerSecond: 5, sendPerDay: 2000, requestsPerMinute: 6000 };

export interface WindowState {
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

export class RateLimits {
  readonly config: RateLimitConfig;
  readonly #db: WritableDb;
  readonly #now: () => number;
  readonly #memory = new Map<string, { start: number; count: number }>();

  constructor(db: WritableDb, config: Partial<RateLimitConfig> = {}, now: () => number = Date.now) {
    this.config = { ...defaultRateLimits, ...config };
    this.#db = db;
    this.#now = now;
  }

  /** The workspace's on-demand sync window, without consuming. */
  peekSync(): WindowState {
    return this.#persisted('sync:workspace', HOUR, this.config.syncPerHour, false);
  }

  /** Takes one on-demand sync or throws 429 rate_limited. */
  takeSync(): WindowState {
    return this.#persisted('sync:workspace', HOUR, this.config.syncPerHour, true);
  }

  peekSend(): WindowState {
    return this.#persisted('send_day:workspace', DAY, this.config.sendPerDay, false);
  }

  /** Takes one send from both the per-second and per-day caps, or throws 429. */
  takeSend(): WindowState {
    this.#inMemory('send_second', 1000, this.config.sendPerSecond, 'per-second send cap');
    return this.#persisted('send_day:workspace', DAY, this.config.sendPerDay, true);
  }

  /** One request from a principal's general budget, or 429. */
  takeRequest(principalKey: string): WindowState {
    return this.#inMemory(`req:${principalKey}`, MINUTE, this.config.requestsPerMinute, 'request budget');
  }

  #persisted(bucket: string, size: number, limit: number, take: boolean): WindowState {
    const now = this.#now();
    const start = now - (now % size);
    const reset = Math.ceil((start + size) / 1000);
    if (!take) return { limit, remaining: Math.max(0, limit - usedInWindow(this.#db, bucket, start)), reset };
    const used = takeFromWindow(this.#db, bucket, start, limit);
    if (used === null)
      throw rateLimited(
        bucket.startsWith('sync') ? `on-demand sync is capped at ${limit} per hour` : `send is capped at ${limit} per day`,
        { limit, remaining: 0, reset },
      );
    return { limit, remaining: limit - used - 1, reset };
  }

  #inMemory(key: string, size: number, limit: number, what: string): WindowState {
    const now = this.#now();
    const start = now - (now % size);
    let window = this.#memory.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.#memory.set(key, window);
    }
    const reset = Math.ceil((start + size) / 1000);
    if (window.count >= limit) throw rateLimited(`${what} of ${limit} exceeded`, { limit, remaining: 0, reset });
    window.count += 1;
    return { limit, remaining: limit - window.count, reset };
  }
}

export class RateLimitedError extends OutpostError {
  readonly state: WindowState;
  constructor(message: string, state: WindowState) {
    super('rate_limited', message);
    this.state = state;
  }
}

function rateLimited(message: string, state: WindowState): RateLimitedError {
  return new RateLimitedError(`${message}; retry after ${new Date(state.reset * 1000).toISOString()}`, state);
}

export function setRateLimitHeaders(reply: FastifyReply, state: WindowState): void {
  reply.header('X-RateLimit-Limit', String(state.limit));
  reply.header('X-RateLimit-Remaining', String(state.remaining));
  reply.header('X-RateLimit-Reset', String(state.reset));
}

/** Environment overrides of the limits for `outpost serve` (a heavy script, a load test): OUTPOST_SYNC_PER_HOUR, ... */
export const RATE_LIMIT_ENV: Record<keyof RateLimitConfig, string> = {
  syncPerHour: 'OUTPOST_SYNC_PER_HOUR',
  sendPerSecond: 'OUTPOST_SEND_PER_SECOND',
  sendPerDay: 'OUTPOST_SEND_PER_DAY',
  requestsPerMinute: 'OUTPOST_API_REQUESTS_PER_MINUTE',
};

/** The overrides set in the environment; a value that is not a positive integer is an error naming the variable. */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<RateLimitConfig> {
  const limits: Partial<RateLimitConfig> = {};
  for (const [field, name] of Object.entries(RATE_LIMIT_ENV) as Array<[keyof RateLimitConfig, string]>) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new OutpostError('validation_error', `${name} must be a positive whole number, not "${value}"`);
    limits[field] = n;
  }
  return limits;
}
