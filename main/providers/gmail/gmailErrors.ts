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
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError']);

export function httpStatusOf(error: unknown): number | undefined {
  const e = error as GaxiosLikeError;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
}

function reasonOf(error: unknown): string | undefined {
  const data = (error as GaxiosLikeError)?.response?.data as
    | { error?: { errors?: Array<{ reason?: string }>; status?: string } | string }
    | undefined;
  if (typeof data?.error === 'string') return data.error; // OAuth token endpoint: {"error":"invalid_grant"}
  return data?.error?.errors?.[0]?.reason ?? data?.error?.status;
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as GaxiosLikeError)?.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** Retry 429s, Gmail's 403 rate-limit reasons, 5xx and connection failures; nothing else. */
export function classifyGoogleFailure(error: unknown): FailureClass {
  const status = httpStatusOf(error);
  const reason = reasonOf(error);
  if (status === 429 || (status === 403 && reason && RATE_REASONS.has(reason))) {
    return {
      kind: 'retry',
      retryAfterMs: parseRetryAfter(headerOf(error, 'retry-after')),
      reason: `${status} ${reason ?? ''}`.trim(),
    };
  }
  if (status !== undefined && status >= 500) return { kind: 'retry', reason: `${status}` };
  const code = String((error as GaxiosLikeError)?.code ?? '');
  if (
    status === undefined &&
    (RETRYABLE_NETWORK_CODES.has(code) ||
      /fetch failed|socket|network|premature close|terminated/i.test(String((error as Error)?.message)))
  ) {
    return { kind: 'retry', reason: code || 'network' };
  }
  return { kind: 'fatal' };
}

/** A final Google failure -> the classified error a job reports. */
export function toProviderError(error: unknown): Error {
  if (error instanceof ProviderError) return error;
  const status = httpStatusOf(error);
  const reason = reasonOf(error);
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
  if (status === 429 || (status === 403 && reason && RATE_REASONS.has(reason))) {
    return new ProviderError('quota_exceeded', `Gmail quota exceeded (${reason ?? status}) after retries`, status);
  }
  if (status === undefined) return new ProviderError('network_error', `cannot reach Google: ${message}`);
  return new ProviderError('provider_error', `Google answered ${status}${reason ? ` ${reason}` : ''}: ${message}`, status);
}
