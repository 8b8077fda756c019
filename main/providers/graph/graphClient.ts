import type { AccountInfo, PublicClientApplication } from '@azure/msal-node';
import { GRAPH_SYNC_SCOPES } from '../../auth/providerConfig.ts';
import type { Log } from '../../core/log.ts';
import { type FailureClass, logRetry, parseRetryAfter, withRetry } from '../../sync/retryPolicy.ts';
import { ProviderError } from '../providerErrors.ts';
import { type MailboxLimiter, mailboxLimiter } from './mailboxLimiter.ts';

const REQUEST_TIMEOUT_MS = 60_000;

interface GraphRequestInit {
  method?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** 1 for a request that must not be repeated blindly (its answer lost, it may have acted). */
  maxAttempts?: number;
}

/** A Graph error response, kept whole for classification. */
export class GraphHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  /** Graph's own message ("Application is over its MailboxConcurrency limit."). */
  readonly graphMessage: string;
  constructor(status: number, code: string, message: string, retryAfterMs: number | undefined) {
    super(`Graph answered ${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
    this.graphMessage = message;
    this.retryAfterMs = retryAfterMs;
  }
}

export function classifyGraphFailure(error: unknown): FailureClass {
  if (error instanceof GraphHttpError) {
    if (error.status === 429 || error.status === 503 || error.status === 504 || error.status === 502 || error.status === 500) {
      return {
        kind: 'retry',
        retryAfterMs: error.retryAfterMs,
        reason: `${error.status} ${error.code}${error.graphMessage ? `: ${error.graphMessage}` : ''}`,
      };
    }
    return { kind: 'fatal' };
  }
  if (error instanceof ProviderError) return { kind: 'fatal' };
  const message = String((error as Error)?.message ?? error);
  if ((error as Error)?.name === 'AbortError' && /timeout/i.test(message)) return { kind: 'retry', reason: 'timeout' };
  if (
    /fetch failed|ECONNRESET|ECONNREFUSED|socket|terminated|premature/i.test(
      message + String((error as { cause?: unknown })?.cause ?? ''),
    )
  ) {
    return { kind: 'retry', reason: 'network' };
  }
  return { kind: 'fatal' };
}

/**
 * Microsoft Graph over fetch for one account: tokens from msal-node's cache
 * (refreshed silently; a refresh the user must approve again becomes
 * needs_reauth), immutable message ids (they survive folder moves), and
 * retries of throttling (429 with Retry-After), 5xx and dropped connections,
 * each logged with its reason. Requests go through the mailbox's limiter: at most
 * 4 in flight per account across all its clients, none started while Graph's
 * Retry-After runs (Exchange's limits per app and mailbox).
 */
export class GraphClient {
  readonly baseUrl: string;
  readonly #msal: PublicClientApplication;
  readonly #account: AccountInfo;
  readonly #signal: AbortSignal | undefined;
  readonly #scopes: readonly string[];
  readonly #log: Log;
  readonly #limiter: MailboxLimiter;

  constructor(options: {
    msal: PublicClientApplication;
    account: AccountInfo;
    baseUrl: string;
    log: Log;
    signal?: AbortSignal | undefined;
    /** Default: the sync scopes (main/auth/providerConfig.ts). */
    scopes?: readonly string[] | undefined;
  }) {
    this.#msal = options.msal;
    this.#account = options.account;
    this.baseUrl = options.baseUrl;
    this.#log = options.log;
    this.#signal = options.signal;
    this.#scopes = options.scopes ?? GRAPH_SYNC_SCOPES;
    this.#limiter = mailboxLimiter(`${options.baseUrl}|${options.account.homeAccountId}`);
  }

  /** GET/POST/PATCH a Graph path ("/me/mailFolders") or a full nextLink/deltaLink URL; returns parsed JSON (null for 204/202). */
  async request<T>(pathOrUrl: string, init: GraphRequestInit = {}): Promise<T> {
    return this.#call(pathOrUrl, init, (bytes) => (bytes.byteLength > 0 ? JSON.parse(bytes.toString('utf8')) : null) as T);
  }

  /** GET a Graph path whose answer is bytes, not JSON (a message's MIME source: `/me/messages/{id}/$value`). */
  async bytes(path: string, init: Pick<GraphRequestInit, 'maxAttempts'> = {}): Promise<Buffer> {
    return this.#call(path, { ...init, headers: { accept: '*/*' } }, (bytes) => bytes);
  }

  async #call<T>(pathOrUrl: string, init: GraphRequestInit, read: (bytes: Buffer) => T): Promise<T> {
    const url = pathOrUrl.startsWith('https://') || pathOrUrl.startsWith('http://') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    try {
      return await withRetry(
        async () => {
          let token = await this.#token(false);
          for (let attempt = 0; ; attempt++) {
            const { response, body } = await this.#limiter.run(async () => {
              const response = await fetch(url, {
                method: init.method ?? 'GET',
                headers: {
                  authorization: `Bearer ${token}`,
                  accept: 'application/json',
                  prefer: ['IdType="ImmutableId"', init.headers?.prefer].filter(Boolean).join(', '),
                  ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
                  ...Object.fromEntries(Object.entries(init.headers ?? {}).filter(([k]) => k !== 'prefer')),
                },
                body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
                signal: this.#signal
                  ? AbortSignal.any([this.#signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
                  : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
              });
              return { response, body: Buffer.from(await response.arrayBuffer()) };
            }, this.#signal);
            if (response.ok) return read(body);
            const text = body.toString('utf8');
            if (response.status === 401 && attempt === 0) {
              token = await this.#token(true);
              continue;
            }
            const error = (safeJson(text) as { error?: { code?: string; message?: string } } | null)?.error;
            const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
            // Throttled: the whole mailbox waits, not only this call (its other requests would be refused too).
            if (response.status === 429 && retryAfterMs !== undefined) this.#limiter.pause(retryAfterMs);
            throw new GraphHttpError(
              response.status,
              error?.code ?? 'unknown',
              error?.message ?? text.slice(0, 200),
              retryAfterMs,
            );
          }
        },
        {
          classify: classifyGraphFailure,
          signal: this.#signal,
          maxAttempts: init.maxAttempts ?? 8,
          onRetry: logRetry(this.#log, `graph ${init.method ?? 'GET'} ${new URL(url).pathname}`),
        },
      );
    } catch (error) {
      throw toGraphProviderError(error);
    }
  }

  async #token(forceRefresh: boolean): Promise<string> {
    try {
      const result = await this.#msal.acquireTokenSilent({
        account: this.#account,
        scopes: [...this.#scopes],
        forceRefresh,
      });
      return result.accessToken;
    } catch (error) {
      // msal-node is loaded by now (it threw this): its error class, without loading it for every start.
      const { InteractionRequiredAuthError } = await import('@azure/msal-node');
      if (
        error instanceof InteractionRequiredAuthError ||
        /invalid_grant|interaction_required|no_tokens_found/i.test(String((error as Error).message))
      ) {
        throw new ProviderError(
          'needs_reauth',
          `Microsoft refused the stored sign-in (${(error as { errorCode?: string }).errorCode ?? 'interaction required'}); reconnect the account`,
        );
      }
      throw error;
    }
  }
}

function toGraphProviderError(error: unknown): Error {
  if (error instanceof ProviderError) return error;
  if (error instanceof GraphHttpError) {
    if (error.status === 410) return error; // delta token expired: the caller resyncs
    if (error.status === 401) return new ProviderError('needs_reauth', error.message, 401);
    if (error.status === 429) return new ProviderError('quota_exceeded', `Graph kept throttling: ${error.message}`, 429);
    return new ProviderError('provider_error', error.message, error.status);
  }
  return new ProviderError('network_error', `cannot reach Microsoft Graph: ${(error as Error)?.message ?? error}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
