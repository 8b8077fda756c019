import type { FastifyReply, FastifyRequest } from 'fastify';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { giveBackToWindow, rollingUsage, takeFromWindow, takeRollingSlot, usedInWindow } from '../db/queries/rateLimits.ts';

/**
 * Limits the API reports in X-RateLimit-* on every response:
 * - sync routes: their own on-demand sync cap (per rolling hour, persisted in
 *   `rate_limit_windows` so a restart does not reset it): email sync and
 *   calendar sync one bucket each for the workspace, /api/services/{id}/sync
 *   one per service, /gmail-connections/{id}/sync one per connection. The UI's
 *   own Sync now counts against none of them (see main/api/uiSyncNow.ts);
 * - POST /v1/email/send: the per-day send cap (per-second cap enforced too);
 * - everything else, and the UI's Sync now: a general request budget per
 *   principal per minute (in memory).
 */
export interface RateLimitConfig {
  /** POST /v1/email/sync and POST /v1/calendar/sync, each: syncs per rolling hour for the workspace. */
  syncPerHour: number;
  /** POST /api/services/{id}/sync: syncs per rolling hour of one service (its reference schedules one every 5–15 minutes). */
  serviceSyncPerHour: number;
  /** POST /gmail-connections/{id}/sync: syncs per rolling hour of one connection. */
  connectionSyncPerHour: number;
  /** The UI's Sync now: an account whose sync was queued less than this ago is answered with that sync. */
  uiSyncGapSeconds: number;
  sendPerSecond: number;
  sendPerDay: number;
  requestsPerMinute: number;
}

export const defaultRateLimits: RateLimitConfig = {
  syncPerHour: 6,
  serviceSyncPerHour: 20,
  connectionSyncPerHour: 12,
  uiSyncGapSeconds: 0,
  sendPerSecond: 5,
  sendPerDay: 2000,
  requestsPerMinute: 6000,
};

/** Whose on-demand sync cap a sync route takes from and reports (its route config `syncCap`). */
export type SyncCap = 'email' | 'calendar' | 'service' | 'connection';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** On a route with `rateLimit: 'sync'`: which cap it answers with (per service and connection: the path's id). */
    syncCap?: SyncCap;
  }
}

/** One persisted rolling bucket: its key in `rate_limit_windows`, its size, and what it caps (said in a 429). */
export interface SyncBucket {
  key: string;
  limit: number;
  what: string;
}

export interface WindowState {
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets (rolling: when the oldest slot in use frees). */
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

  constructor(db: WritableDb, config: Partial<RateLimitConfig> = {}, now: () => number = () => Date.now()) {
    this.config = { ...defaultRateLimits, ...config };
    this.#db = db;
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  /** The bucket of a sync cap; `id` is the service's or connection's (account) id. */
  syncBucket(cap: SyncCap, id = ''): SyncBucket {
    switch (cap) {
      case 'email':
        return { key: 'sync:email', limit: this.config.syncPerHour, what: 'on-demand email sync' };
      case 'calendar':
        return { key: 'sync:calendar', limit: this.config.syncPerHour, what: 'on-demand calendar sync' };
      case 'service':
        return { key: `sync:service:${id}`, limit: this.config.serviceSyncPerHour, what: `sync of service ${id}` };
      case 'connection':
        return { key: `sync:connection:${id}`, limit: this.config.connectionSyncPerHour, what: `sync of connection ${id}` };
    }
  }

  /**
   * The sync cap a request reports before its handler runs (X-RateLimit-*), without taking:
   * its route's bucket (per service or connection: the one the path names). Null for the UI's
   * own Sync now, which no sync cap counts.
   */
  peekSync(request: FastifyRequest): WindowState | null {
    const cap = request.routeOptions.config?.syncCap;
    if (!cap || isUiSyncNow(request)) return null;
    const id = (request.params as { id?: unknown } | undefined)?.id;
    const bucket = this.syncBucket(cap, typeof id === 'string' ? canonicalId(cap, id) : '');
    return this.#rolling(bucket, false);
  }

  /** 429 rate_limited when the bucket has no free slot; takes nothing (a sync then refused with 409 costs nothing). */
  checkSync(bucket: SyncBucket): void {
    const state = this.#rolling(bucket, false);
    if (state.remaining <= 0) throw rateLimited(`${bucket.what} is capped at ${bucket.limit} per rolling hour`, state);
  }

  /** Takes a slot of the bucket for a sync just queued, or throws 429. */
  takeSync(bucket: SyncBucket): WindowState {
    return this.#rolling(bucket, true);
  }

  peekSend(): WindowState {
    return this.#persisted('send_day:workspace', DAY, this.config.sendPerDay, false);
  }

  /**
   * Takes one send from both the per-second and per-day caps, or throws 429.
   * Only accepted sends count: `giveBack` returns both when the send is then
   * refused (an unknown thread, an unreadable attachment, a provider's 4xx).
   */
  takeSend(): { state: WindowState; giveBack(): WindowState } {
    const second = this.#inMemory('send_second', 1000, this.config.sendPerSecond, 'per-second send cap');
    const now = this.#now();
    const dayStart = now - (now % DAY);
    const state = this.#persisted('send_day:workspace', DAY, this.config.sendPerDay, true);
    return {
      state,
      giveBack: () => {
        const window = this.#memory.get('send_second');
        if (window?.start === second.start && window.count > 0) window.count -= 1;
        giveBackToWindow(this.#db, 'send_day:workspace', dayStart);
        return this.peekSend();
      },
    };
  }

  /** One request from a principal's general budget, or 429. */
  takeRequest(principalKey: string): WindowState {
    return this.#inMemory(`req:${principalKey}`, MINUTE, this.config.requestsPerMinute, 'request budget');
  }

  /** A slot taken at t is in use until t + 1 hour; Reset is when the oldest slot in use frees (now + 1 hour when none is). */
  #rolling(bucket: SyncBucket, take: boolean): WindowState {
    const now = this.#now();
    const since = now - HOUR;
    const { key, limit } = bucket;
    const reset = (oldest: number | null) => Math.ceil(((oldest ?? now) + HOUR) / 1000);
    if (!take) {
      const { used, oldest } = rollingUsage(this.#db, key, since);
      return { limit, remaining: Math.max(0, limit - used), reset: reset(oldest) };
    }
    const before = takeRollingSlot(this.#db, key, now, since, limit);
    if (before === null) throw rateLimited(`${bucket.what} is capped at ${limit} per rolling hour`, this.#rolling(bucket, false));
    return { limit, remaining: limit - before.used - 1, reset: reset(before.oldest) };
  }

  #persisted(bucket: string, size: number, limit: number, take: boolean): WindowState {
    const now = this.#now();
    const start = now - (now % size);
    const reset = Math.ceil((start + size) / 1000);
    if (!take) return { limit, remaining: Math.max(0, limit - usedInWindow(this.#db, bucket, start)), reset };
    const used = takeFromWindow(this.#db, bucket, start, limit);
    if (used === null) throw rateLimited(`send is capped at ${limit} per day`, { limit, remaining: 0, reset });
    return { limit, remaining: limit - used - 1, reset };
  }

  #inMemory(key: string, size: number, limit: number, what: string): WindowState & { start: number } {
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
    return { limit, remaining: limit - window.count, reset, start };
  }
}

/**
 * The desktop UI's own Sync now: POST /v1/email/sync or /v1/calendar/sync with the UI's session
 * as `Authorization: Bearer ses_...` (renderer/src/apiClient.ts). Scripts use API keys, and
 * DelightBridge's admin scripts the session cookie: their syncs count against the caps.
 */
export function isUiSyncNow(request: FastifyRequest): boolean {
  const cap = request.routeOptions.config?.syncCap;
  return (cap === 'email' || cap === 'calendar') && /^Bearer\s+ses_/i.test(request.headers.authorization ?? '');
}

/** Connection ids are UUIDs, matched whatever their case (account ids are stored lower-case). */
export function canonicalId(cap: SyncCap, id: string): string {
  return cap === 'connection' ? id.toLowerCase() : id;
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
  serviceSyncPerHour: 'OUTPOST_SERVICE_SYNC_PER_HOUR',
  connectionSyncPerHour: 'OUTPOST_GMAIL_CONNECTION_SYNC_PER_HOUR',
  uiSyncGapSeconds: 'OUTPOST_UI_SYNC_GAP_SECONDS',
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
