import { DateTime } from 'luxon';
import { type FailureClass, parseRetryAfter } from '../../sync/retryPolicy.ts';
import { ProviderError } from '../providerErrors.ts';

interface GaxiosLikeError {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ECONNABORTED',
]);
/** Reasons Google documents as "slow down and retry with backoff" (Gmail and Calendar "Resolve errors" pages). */
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);
/** The project's quota for the day is used up: no retry helps before it resets at midnight Pacific time. */
const DAILY_REASONS = new Set(['dailyLimitExceeded']);
/**
 * Calendar's usage limits ("Calendar usage limits exceeded.", Calendar's "Handle API errors" page): limits that
 * protect Google's users (too many events, invitations, shares in a short time) and replenish over hours, so no
 * backoff helps; not retried, and the sync ends as quota_exceeded saying to wait.
 */
const USAGE_LIMIT_REASONS = new Set(['quotaExceeded']);
/** Gmail's per-user concurrent-request limit ("Too many concurrent requests for user."), as 403 or 429. */
const CONCURRENT = /too many concurrent requests/i;

/** One Google answer as it reached us: a whole response or one part of a batch. */
export interface GoogleAnswer {
  status: number;
  /** The error body, parsed JSON or its text. */
  body: unknown;
  retryAfter?: string | null | undefined;
  /** The answer's Date header (Google's clock), from which the daily quota's reset is counted. */
  date?: string | null | undefined;
}

/**
 * What a Google answer means, decided here and only here, for whole responses and batch parts alike:
 * - retry `rate`: 429 (any reason), 403 rateLimitExceeded / userRateLimitExceeded;
 * - retry `concurrent`: "Too many concurrent requests for user" (403 or 429): retry with fewer in flight;
 * - retry `backend`: 5xx (backendError 500/503 and the rest);
 * - daily: 403 dailyLimitExceeded: stop (no retry) until the quota day resets;
 * - fatal: anything else, Calendar's 403 quotaExceeded (usage limits) included: toProviderError names it.
 * Retry-After, when given, is carried for withRetry to honour.
 */
export type GoogleVerdict =
  | { kind: 'retry'; limit: 'rate' | 'concurrent' | 'backend'; reason: string; retryAfterMs?: number }
  | { kind: 'daily'; reason: string; resetsAt: number; googleNow: number }
  | { kind: 'fatal' };

export function classifyGoogleAnswer(answer: GoogleAnswer): GoogleVerdict {
  const { status } = answer;
  const { reason, message } = errorOf(answer.body);
  const retryAfterMs = parseRetryAfter(answer.retryAfter);
  const label = `${status} ${reason ?? ''}`.trim();
  const retry = (limit: 'rate' | 'concurrent' | 'backend', why = label): GoogleVerdict => ({
    kind: 'retry',
    limit,
    reason: why,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
  if ((status === 403 || status === 429) && message && CONCURRENT.test(message))
    return retry('concurrent', `${label} too many concurrent requests`);
  if (status === 403 && reason && DAILY_REASONS.has(reason)) {
    const dated = answer.date ? Date.parse(answer.date) : Number.NaN;
    const googleNow = Number.isNaN(dated) ? Date.now() : dated;
    return { kind: 'daily', reason: label, resetsAt: nextPacificMidnight(googleNow), googleNow };
  }
  if (status === 429 || (status === 403 && reason && RATE_REASONS.has(reason))) return retry('rate');
  if (status >= 500) return retry('backend');
  return { kind: 'fatal' };
}

/** Google's daily quotas reset at midnight Pacific time: the first one after `now` (DST included). */
export function nextPacificMidnight(now: number): number {
  return DateTime.fromMillis(now, { zone: 'America/Los_Angeles' }).plus({ days: 1 }).startOf('day').toMillis();
}

/** errors[0].reason (or the OAuth endpoint's "error" string) and the message, from a body as JSON or text. */
function errorOf(body: unknown): { reason?: string; message?: string } {
  let data = body;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return { message: data as string };
    }
  }
  const error = (data as { error?: unknown } | null | undefined)?.error;
  if (typeof error === 'string') return { reason: error }; // OAuth token endpoint: {"error":"invalid_grant"}
  const e = error as { errors?: Array<{ reason?: string; message?: string }>; status?: string; message?: string } | undefined;
  const reason = e?.errors?.[0]?.reason ?? e?.status;
  const message = e?.message ?? e?.errors?.[0]?.message;
  return { ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** errors[0].reason of a whole response's failure (e.g. insufficientPermissions), when Google gave one. */
export function googleReasonOf(error: unknown): string | undefined {
  return errorOf((error as GaxiosLikeError)?.response?.data).reason;
}

/** A whole response refused for the per-user rate (429, 403 rate reasons): the account's pacer should pause. */
export function isRateLimited(error: unknown): boolean {
  const answer = answerOf(error);
  const verdict = answer ? classifyGoogleAnswer(answer) : undefined;
  return verdict?.kind === 'retry' && verdict.limit === 'rate';
}

export function httpStatusOf(error: unknown): number | undefined {
  const e = error as GaxiosLikeError;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as GaxiosLikeError)?.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** A whole response's failure as a GoogleAnswer (undefined when nothing answered: a network failure). */
function answerOf(error: unknown): GoogleAnswer | undefined {
  const status = httpStatusOf(error);
  if (status === undefined) return undefined;
  return {
    status,
    body: (error as GaxiosLikeError)?.response?.data,
    retryAfter: headerOf(error, 'retry-after'),
    date: headerOf(error, 'date'),
  };
}

/** withRetry's classifier: a response by classifyGoogleAnswer, connection failures retried; nothing else. */
export function classifyGoogleFailure(error: unknown): FailureClass {
  const answer = answerOf(error);
  if (answer) {
    const verdict = classifyGoogleAnswer(answer);
    if (verdict.kind !== 'retry') return { kind: 'fatal' };
    return {
      kind: 'retry',
      reason: verdict.reason,
      ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}),
    };
  }
  const code = String((error as GaxiosLikeError)?.code ?? '');
  if (
    RETRYABLE_NETWORK_CODES.has(code) ||
    /fetch failed|socket|network|premature close|terminated/i.test(String((error as Error)?.message))
  ) {
    return { kind: 'retry', reason: code || 'network' };
  }
  return { kind: 'fatal' };
}

/** A final Google failure -> the classified error a job reports. */
export function toProviderError(error: unknown): Error {
  if (error instanceof ProviderError) return error;
  const status = httpStatusOf(error);
  const { reason } = errorOf((error as GaxiosLikeError)?.response?.data);
  const message = (error as Error)?.message ?? String(error);
  if (
    reason === 'invalid_grant' ||
    reason === 'unauthorized_client' ||
    (status === 401 && /invalid_grant|refresh/i.test(message))
  ) {
    return new ProviderError(
      'needs_reauth',
      `Google refused the stored sign-in (${reason ?? status}); reconnect the account`,
      status,
    );
  }
  const answer = answerOf(error);
  const verdict = answer ? classifyGoogleAnswer(answer) : undefined;
  if (verdict?.kind === 'daily') return dailyQuotaError(verdict);
  if (status === 403 && reason && USAGE_LIMIT_REASONS.has(reason))
    return new ProviderError(
      'quota_exceeded',
      `Google Calendar's usage limits are reached for this account (403 ${reason}); they replenish over some hours, so try again later`,
      status,
    );
  if (verdict?.kind === 'retry' && verdict.limit !== 'backend')
    return new ProviderError('quota_exceeded', `Google kept answering ${verdict.reason} after retries`, status);
  if (status === undefined) return new ProviderError('network_error', `cannot reach Google: ${message}`);
  return new ProviderError('provider_error', `Google answered ${status}${reason ? ` ${reason}` : ''}: ${message}`, status);
}

/** 403 dailyLimitExceeded: the account's sync stops at once (no retry) and says until when. */
export class DailyQuotaError extends ProviderError {
  /** The reset, by Google's clock. */
  readonly resetsAt: number;
  /** How long from Google's answer to the reset: the same span by this computer's clock. */
  readonly waitMs: number;
  constructor(resetsAt: number, googleNow: number) {
    super(
      'quota_exceeded',
      `Google's daily API quota is used up (403 dailyLimitExceeded): sync paused until the quota day resets at ${new Date(resetsAt).toISOString()} (midnight Pacific time)`,
      403,
    );
    this.resetsAt = resetsAt;
    this.waitMs = Math.max(0, resetsAt - googleNow);
  }
}

export function dailyQuotaError(verdict: { resetsAt: number; googleNow: number }): DailyQuotaError {
  return new DailyQuotaError(verdict.resetsAt, verdict.googleNow);
}
