import { logRetry, parseRetryAfter, withRetry } from '../../sync/retryPolicy.ts';
import { ProviderError } from '../providerErrors.ts';
import { type BatchPart, decodeBatch, encodeBatch } from './gmailBatch.ts';
import { classifyGoogleFailure, toProviderError } from './gmailErrors.ts';
import { expireAccessToken, type GmailSession } from './gmailSession.ts';

/** Gmail quota units per method (developers.google.com/gmail/api/reference/quota). */
export const QUOTA_UNITS = { messagesGet: 5, messagesList: 5, historyList: 2, labelsList: 1, getProfile: 1 } as const;

export interface FetchedMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number | null;
  sizeEstimate: number;
  /** Present for format=raw. */
  raw?: Buffer;
}

/**
 * Messages per batch: 25 when the quota is generous; under Gmail's 250 units/s,
 * 10 (50 units), so a moving second holds five batches and a stray small call
 * (a list page, 5 units) delays the next batch by little (see QuotaWindow).
 */
function batchSizeFor(session: GmailSession): number {
  return Math.max(1, Math.min(25, Math.floor(session.quota.unitsPerWindow / 25)));
}
const BATCHES_IN_FLIGHT = 2;
const REQUEST_TIMEOUT_MS = 60_000;

class BatchHttpError extends Error {
  readonly response: { status: number; headers: Headers; data: unknown };
  constructor(status: number, headers: Headers, data: unknown) {
    super(`batch request failed with HTTP ${status}`);
    this.response = { status, headers, data };
  }
}

/**
 * Fetches messages through Gmail's batch endpoint (batchSizeFor), paced by
 * the account's quota bucket. Parts that fail with a retryable status are
 * retried (the bucket pauses on 429 for everyone); a message deleted in the
 * meantime (404) comes back as null.
 */
export async function fetchMessages(
  session: GmailSession,
  ids: readonly string[],
  format: 'raw' | 'minimal',
  signal?: AbortSignal,
): Promise<Map<string, FetchedMessage | null>> {
  const results = new Map<string, FetchedMessage | null>();
  const chunks: string[][] = [];
  const batchSize = batchSizeFor(session);
  for (let i = 0; i < ids.length; i += batchSize) chunks.push(ids.slice(i, i + batchSize));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as string[];
      for (const [id, message] of await fetchChunk(session, chunk, format, signal)) results.set(id, message);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, chunks.length) }, worker));
  return results;
}

async function fetchChunk(
  session: GmailSession,
  ids: readonly string[],
  format: 'raw' | 'minimal',
  signal?: AbortSignal,
): Promise<Map<string, FetchedMessage | null>> {
  const done = new Map<string, FetchedMessage | null>();
  let pending = [...ids];
  let refreshed = false;
  try {
    await withRetry(
      async () => {
        await session.quota.take(QUOTA_UNITS.messagesGet * pending.length, signal);
        let parts = await sendBatch(session, batchParts(pending, format), signal);
        // Parts answered 401 (the access token expired or was revoked mid-batch; the envelope
        // itself was accepted): refresh once and ask again for those parts straight away.
        const unauthorized = pending.filter((_, index) => parts.get(`m${index}`)?.status === 401);
        if (unauthorized.length > 0 && !refreshed) {
          refreshed = true;
          expireAccessToken(session);
          const again = await sendBatch(session, batchParts(unauthorized, format), signal);
          parts = new Map(parts);
          unauthorized.forEach((id, index) => {
            const part = again.get(`m${index}`);
            if (part) parts.set(`m${pending.indexOf(id)}`, part);
          });
        }
        const retry: string[] = [];
        let retryAfterMs: number | undefined;
        let rateLimited = false;
        pending.forEach((id, index) => {
          const part = parts.get(`m${index}`);
          if (part?.status === 200) done.set(id, toFetched(JSON.parse(part.body) as GmailMessageJson));
          else if (part?.status === 404) done.set(id, null);
          else if (
            !part ||
            part.status === 429 ||
            part.status >= 500 ||
            (part.status === 403 && /rateLimitExceeded/.test(part.body))
          ) {
            retry.push(id);
            rateLimited ||= part?.status === 429 || part?.status === 403;
            retryAfterMs = Math.max(retryAfterMs ?? 0, parseRetryAfter(part?.headers['retry-after']) ?? 0) || undefined;
          } else {
            throw new ProviderError(
              'provider_error',
              `messages.get ${id} answered ${part.status}: ${part.body.slice(0, 200)}`,
              part.status,
            );
          }
        });
        pending = retry;
        if (retry.length > 0) {
          if (rateLimited) session.quota.rateLimited(retryAfterMs);
          // Retried with backoff (Retry-After when given) by withRetry, classified like a 429/503.
          throw Object.assign(new Error(`${retry.length} batch parts were rate limited or failed`), {
            response: {
              status: rateLimited ? 429 : 503,
              headers: retryAfterMs ? { 'retry-after': String(retryAfterMs / 1000) } : {},
            },
          });
        }
      },
      { classify: classifyGoogleFailure, signal, maxAttempts: 8, onRetry: logRetry(session.log, 'gmail batch messages.get') },
    );
  } catch (error) {
    throw toProviderError(error);
  }
  return done;
}

function batchParts(ids: readonly string[], format: 'raw' | 'minimal'): BatchPart[] {
  return ids.map((id, index) => ({
    id: `m${index}`,
    method: 'GET',
    path: `/gmail/v1/users/me/messages/${encodeURIComponent(id)}?format=${format}`,
  }));
}

async function sendBatch(session: GmailSession, parts: BatchPart[], signal?: AbortSignal) {
  const { contentType, body } = encodeBatch(parts);
  for (let attempt = 0; ; attempt++) {
    const { token } = await session.oauth.getAccessToken();
    const response = await fetch(`${session.apiRootUrl}batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
        : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    // An access token revoked or expired early: refresh once, then let the error speak.
    if (response.status === 401 && attempt === 0) {
      expireAccessToken(session);
      continue;
    }
    if (!response.ok) {
      if (response.status === 429) session.quota.rateLimited(parseRetryAfter(response.headers.get('retry-after')));
      throw new BatchHttpError(response.status, response.headers, safeJson(text));
    }
    return decodeBatch(response.headers.get('content-type') ?? '', text);
  }
}

interface GmailMessageJson {
  id: string;
  threadId: string;
  labelIds?: string[];
  internalDate?: string;
  sizeEstimate?: number;
  raw?: string;
}

function toFetched(json: GmailMessageJson): FetchedMessage {
  return {
    id: json.id,
    threadId: json.threadId,
    labelIds: json.labelIds ?? [],
    internalDate: json.internalDate ? Number(json.internalDate) : null,
    sizeEstimate: json.sizeEstimate ?? 0,
    ...(json.raw !== undefined ? { raw: Buffer.from(json.raw, 'base64url') } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}
