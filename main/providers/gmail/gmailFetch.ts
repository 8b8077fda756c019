import { logRetry, parseRetryAfter, withRetry } from '../../sync/retryPolicy.ts';
import { ProviderError } from '../providerErrors.ts';
import { type BatchPart, decodeBatch, encodeBatch } from './gmailBatch.ts';
import {
  classifyGoogleAnswer,
  classifyGoogleFailure,
  dailyQuotaError,
  type GoogleVerdict,
  toProviderError,
} from './gmailErrors.ts';
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
        // What an earlier attempt already fetched (before a whole batch was refused) is not asked again.
        pending = pending.filter((id) => !done.has(id));
        const refusals: Array<{ id: string; verdict: GoogleVerdict & { kind: 'retry' } }> = [];
        for (let start = 0; start < pending.length; ) {
          // Fewer parts per batch once Gmail said too many concurrent requests (partsAtOnce).
          const slice = pending.slice(start, start + partsPerBatch(session));
          start += slice.length;
          await session.quota.take(QUOTA_UNITS.messagesGet * slice.length, signal);
          const sent = await sendBatch(session, batchParts(slice, format), signal);
          let parts = sent.parts;
          // Parts answered 401 (the access token expired or was revoked mid-batch; the envelope
          // itself was accepted): refresh once and ask again for those parts straight away.
          const unauthorized = slice.filter((_, index) => parts.get(`m${index}`)?.status === 401);
          if (unauthorized.length > 0 && !refreshed) {
            refreshed = true;
            expireAccessToken(session);
            const again = (await sendBatch(session, batchParts(unauthorized, format), signal)).parts;
            parts = new Map(parts);
            unauthorized.forEach((id, index) => {
              const part = again.get(`m${index}`);
              if (part) parts.set(`m${slice.indexOf(id)}`, part);
            });
          }
          slice.forEach((id, index) => {
            const part = parts.get(`m${index}`);
            if (part?.status === 200) {
              done.set(id, toFetched(JSON.parse(part.body) as GmailMessageJson));
              return;
            }
            if (part?.status === 404) {
              done.set(id, null);
              return;
            }
            // One classifier for a part and a whole response (gmailErrors.ts); a part missing from the answer is retried.
            const verdict = part
              ? classifyGoogleAnswer({
                  status: part.status,
                  body: part.body,
                  retryAfter: part.headers['retry-after'],
                  date: sent.date,
                })
              : ({ kind: 'retry', limit: 'backend', reason: 'part missing from the batch answer' } as const);
            if (verdict.kind === 'daily') throw dailyQuotaError(verdict);
            if (verdict.kind === 'fatal')
              throw new ProviderError(
                'provider_error',
                `messages.get ${id} answered ${part?.status}: ${part?.body.slice(0, 200)}`,
                part?.status,
              );
            refusals.push({ id, verdict });
          });
        }
        pending = refusals.map((r) => r.id);
        if (refusals.length > 0)
          throw refusedParts(
            session,
            refusals.map((r) => r.verdict),
          );
      },
      { classify: classifyChunkFailure, signal, maxAttempts: 8, onRetry: logRetry(session.log, 'gmail batch messages.get') },
    );
  } catch (error) {
    throw toProviderError(error);
  }
  return done;
}

/**
 * Parts refused for a retryable reason: the pacer pauses on rate limits (Retry-After when given), a
 * concurrent-request limit halves the parts sent at once, and the error thrown carries the first
 * refusal's reason and the longest Retry-After, so withRetry backs off and logs why.
 */
function refusedParts(session: GmailSession, verdicts: Array<GoogleVerdict & { kind: 'retry' }>): Error {
  const retryAfterMs = Math.max(0, ...verdicts.map((v) => v.retryAfterMs ?? 0)) || undefined;
  if (verdicts.some((v) => v.limit === 'rate')) session.quota.rateLimited(retryAfterMs);
  if (verdicts.some((v) => v.limit === 'concurrent')) halvePartsAtOnce(session);
  const first = verdicts.find((v) => v.limit !== 'backend') ?? (verdicts[0] as GoogleVerdict & { kind: 'retry' });
  return new RefusedPartsError(`${verdicts.length} batch parts refused (${first.reason})`, first.reason, retryAfterMs);
}

/** Thrown inside withRetry for refused parts: classified as a retry with the refusal's own reason. */
class RefusedPartsError extends Error {
  readonly reason: string;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, reason: string, retryAfterMs: number | undefined) {
    super(message);
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}

function classifyChunkFailure(error: unknown) {
  if (error instanceof RefusedPartsError)
    return { kind: 'retry' as const, reason: error.reason, ...(error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {}) };
  return classifyGoogleFailure(error);
}

/** A whole batch refused for the concurrent-request limit sends fewer parts at once too. */
function fewerAtOnce(session: GmailSession, status: number, body: unknown): void {
  const verdict = classifyGoogleAnswer({ status, body });
  if (verdict.kind === 'retry' && verdict.limit === 'concurrent') halvePartsAtOnce(session);
}

function halvePartsAtOnce(session: GmailSession): void {
  const before = partsAtOnce(session);
  session.partsAtOnce = Math.max(1, Math.floor(before / 2));
  if (session.partsAtOnce < before)
    session.log.info({ parts_at_once: session.partsAtOnce }, 'gmail: too many concurrent requests; sending fewer at once');
}

/** Parts in one batch: the quota's batch size, within this worker's share of partsAtOnce. */
function partsPerBatch(session: GmailSession): number {
  return Math.max(1, Math.min(batchSizeFor(session), Math.floor(partsAtOnce(session) / BATCHES_IN_FLIGHT)));
}

/** How many messages.get parts may be in flight at once for this account (all batches together). */
function partsAtOnce(session: GmailSession): number {
  return session.partsAtOnce ?? batchSizeFor(session) * BATCHES_IN_FLIGHT;
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
      if (response.status === 429 || response.status === 403) fewerAtOnce(session, response.status, safeJson(text));
      throw new BatchHttpError(response.status, response.headers, safeJson(text));
    }
    return { parts: decodeBatch(response.headers.get('content-type') ?? '', text), date: response.headers.get('date') };
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
