import type { Static } from 'typebox';
import type {
  AccountListResponseBody,
  AccountRemovalResponseBody,
  AccountResponseBody,
  UpdateAccountBodyType,
} from '../../shared/api/accounts.ts';
import type {
  Calendar,
  CalendarEvent,
  CalendarListResponse,
  CalendarUpdateBody,
  EventApplyToQuery,
  EventCreateBody,
  EventListResponse,
  EventRsvpBody,
  EventUpdateBody,
} from '../../shared/api/calendar.ts';
import type { ComposeDraftBodyType, ComposeDraftListResponseBody } from '../../shared/api/composeDrafts.ts';
import type { ConnectAccountBody, ConnectAccountResponseBody } from '../../shared/api/connect.ts';
import type { ContactListResponseBody } from '../../shared/api/contacts.ts';
import type { HealthResponse } from '../../shared/api/health.ts';
import type { CreatedKeyResponseBody, KeyListResponseBody, Scope } from '../../shared/api/keys.ts';
import type { OutboxListResponseBody } from '../../shared/api/outbox.ts';
import type { SearchResponse } from '../../shared/api/search.ts';
import type { EmailSendRequestBody, EmailSendResponseBody } from '../../shared/api/send.ts';
import type {
  BulkThreadActionResponse,
  LabelCreateBody,
  LabelListResponse,
  LabelResponse,
  ThreadActionBody,
  ThreadListResponse,
  ThreadResponse,
  ThreadView,
  ViewThreadActionResponse,
} from '../../shared/api/threads.ts';
import type { TrustedSenderListResponseBody } from '../../shared/api/trustedSenders.ts';
import type {
  CreatedWebhookResponseBody,
  DeliveryListResponseBody,
  WebhookEvent,
  WebhookListResponseBody,
} from '../../shared/api/webhooks.ts';
import type { DesktopBridge } from '../../shared/desktopBridge.ts';
import { type ErrorCode, isErrorCode } from '../../shared/errors.ts';
import type { JobSnapshot } from '../../shared/events.ts';

declare global {
  interface Window {
    outpost?: DesktopBridge;
  }
}

/** The printed link's one-time `#session=` token, kept in memory for this page only (the cookie carries it after). */
let linkToken: string | null = null;

/**
 * Where the API is and how to authenticate: from the desktop preload; in a browser, by the
 * HttpOnly session cookie that POST /v1/session set (the browser sends it by itself), or on the
 * first visit by the `#session=` token of the link `outpost serve` prints (establishSession).
 */
function connection(): { baseUrl: string; token: string | null } {
  if (window.outpost) return { baseUrl: window.outpost.apiBaseUrl, token: window.outpost.sessionToken() };
  return { baseUrl: '', token: linkToken };
}

/**
 * Before the UI asks anything: in a browser, takes the `#session=` token out of the address bar and
 * has the core keep it in the session cookie, so a reload or a new tab is signed in without it.
 * 'none' when the page has neither (the UI then says how to get a session); a core that cannot be
 * reached is not a missing session ('ok': the UI shows it offline).
 */
export async function establishSession(): Promise<'ok' | 'none'> {
  if (window.outpost) return 'ok';
  const fromLink = new URLSearchParams(window.location.hash.slice(1)).get('session');
  if (fromLink) {
    linkToken = fromLink;
    history.replaceState(history.state, '', window.location.pathname + window.location.search);
  }
  try {
    await getJson('/v1/session', undefined, { method: 'POST' });
    return 'ok';
  } catch (error) {
    return error instanceof ApiRequestError && error.code === 'invalid_key' ? 'none' : 'ok';
  }
}

/**
 * A refusal or failure the core answered with: its catalogue code (shared/errors.ts), for code to
 * decide on, and its message, for people. A code this build does not know (a newer core) reads as
 * internal_error, its message kept.
 */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** For validation_error: the request field at fault. */
  readonly field: string | null;
  constructor(status: number, code: string | undefined, message: string, field: string | null = null) {
    super(message);
    this.status = status;
    this.code = isErrorCode(code) ? code : 'internal_error';
    this.field = field;
  }
}

/** The error an answer that is not 2xx stands for, from its JSON body (`{code, message, field}`) when it has one. */
async function errorFrom(response: Response): Promise<ApiRequestError> {
  const body = (await response.json().catch(() => null)) as { code?: string; message?: string; field?: string } | null;
  return new ApiRequestError(response.status, body?.code, body?.message ?? `HTTP ${response.status}`, body?.field ?? null);
}

function authorization(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function getJson<T>(
  path: string,
  signal?: AbortSignal,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const { baseUrl, token } = connection();
  const headers: Record<string, string> = { ...authorization(token), ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal,
  });
  if (!response.ok) throw await errorFrom(response);
  return (await response.json().catch(() => null)) as T;
}

/** An attachment's bytes (authenticated, so not a plain link). */
async function fetchBlob(path: string): Promise<Blob> {
  const { baseUrl, token } = connection();
  const response = await fetch(baseUrl + path, { headers: authorization(token) });
  if (!response.ok) throw await errorFrom(response);
  return response.blob();
}

export const api = {
  /** GET /v1/events as a streaming response (fetch, not EventSource, which cannot send the Authorization header). */
  async eventStream(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const { baseUrl, token } = connection();
    const response = await fetch(`${baseUrl}/v1/events`, {
      headers: { Accept: 'text/event-stream', ...authorization(token) },
      signal,
    });
    if (!response.ok) throw await errorFrom(response);
    if (!response.body) throw new ApiRequestError(response.status, 'internal_error', 'the event stream has no body');
    return response.body;
  },
  /** The message as it came (message/rfc822); 409 raw_not_available when only its parse was kept. */
  messageRaw(id: string): Promise<Blob> {
    return fetchBlob(`/v1/email/messages/${encodeURIComponent(id)}/raw`);
  },
  attachment(id: string): Promise<Blob> {
    return fetchBlob(`/v1/email/attachments/${encodeURIComponent(id)}`);
  },
  /** GET /v1/jobs/{id}: a sync job as it now is (one queued before the page opened, met through its progress). */
  job(id: string): Promise<{ data: JobSnapshot }> {
    return getJson(`/v1/jobs/${encodeURIComponent(id)}`);
  },
  /** GET /v1/health (public): the core's version and whether its index is damaged. */
  health(signal?: AbortSignal): Promise<HealthResponse> {
    return getJson<HealthResponse>('/v1/health', signal);
  },
  listThreads(params: {
    label: string;
    account?: string | undefined;
    cursor?: string | null;
    limit?: number;
  }): Promise<ThreadListResponse> {
    const query = new URLSearchParams({ label: params.label, limit: String(params.limit ?? 50) });
    if (params.account) query.set('account_id', params.account);
    if (params.cursor) query.set('cursor', params.cursor);
    return getJson(`/v1/email/threads?${query}`);
  },
  /**
   * The summaries of up to 100 threads by id, in the order asked; threads that no longer exist
   * are left out. What the list's cache patches itself with when the core says they changed.
   */
  async threadsByIds(ids: readonly string[]): Promise<ThreadListResponse> {
    const page = await getJson<ThreadListResponse>(`/v1/email/threads?${new URLSearchParams({ ids: ids.join(',') })}`);
    // A core without the lookup ignores `ids` and lists the inbox: that answer must not read as "the others are gone".
    const asked = new Set(ids);
    if (page.data.some((t) => !asked.has(t.id)))
      throw new ApiRequestError(200, 'not_supported', 'this core does not look threads up by id');
    return page;
  },
  getThread(id: string): Promise<ThreadResponse> {
    return getJson(`/v1/email/threads/${encodeURIComponent(id)}`);
  },
  /** One action on up to 1,000 threads in one request (ticked threads, select all). */
  bulkThreadAction(ids: string[], action: ThreadActionBody['action'], labelId?: string): Promise<BulkThreadActionResponse> {
    return getJson('/v1/email/threads/actions', undefined, {
      method: 'POST',
      body: { thread_ids: ids, action, ...(labelId === undefined ? {} : { label_id: labelId }) },
    });
  },
  /** One action on every conversation of a view, however many are loaded ("Select all N conversations"). */
  viewThreadAction(view: ThreadView, action: ThreadActionBody['action'], labelId?: string): Promise<ViewThreadActionResponse> {
    return getJson('/v1/email/views/actions', undefined, {
      method: 'POST',
      body: { view, action, ...(labelId === undefined ? {} : { label_id: labelId }) },
    });
  },
  threadAction(id: string, action: ThreadActionBody['action'], labelId?: string): Promise<ThreadResponse> {
    return getJson(`/v1/email/threads/${encodeURIComponent(id)}/actions`, undefined, {
      method: 'POST',
      body: labelId === undefined ? { action } : { action, label_id: labelId },
    });
  },
  /** One send per Idempotency-Key: a double click or a retry after a lost answer sends once. */
  sendEmail(body: EmailSendRequestBody, idempotencyKey: string): Promise<EmailSendResponseBody> {
    return getJson('/v1/email/send', undefined, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
  },
  /** People from the index for a recipient field, best first. */
  contacts(q: string, signal?: AbortSignal): Promise<ContactListResponseBody> {
    return getJson(`/v1/email/contacts?${new URLSearchParams({ q, limit: '6' })}`, signal);
  },
  composeDrafts(): Promise<ComposeDraftListResponseBody> {
    return getJson('/v1/email/compose-drafts');
  },
  saveComposeDraft(id: string, draft: ComposeDraftBodyType): Promise<unknown> {
    return getJson(`/v1/email/compose-drafts/${encodeURIComponent(id)}`, undefined, { method: 'PUT', body: draft });
  },
  async deleteComposeDraft(id: string): Promise<void> {
    const { baseUrl, token } = connection();
    await fetch(`${baseUrl}/v1/email/compose-drafts/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: authorization(token),
    });
  },
  outbox(): Promise<OutboxListResponseBody> {
    return getJson('/v1/email/outbox');
  },
  retryOutbox(id: string): Promise<unknown> {
    return getJson(`/v1/email/outbox/${encodeURIComponent(id)}/retry`, undefined, { method: 'POST' });
  },
  async cancelOutbox(id: string): Promise<void> {
    await getJson(`/v1/email/outbox/${encodeURIComponent(id)}`, undefined, { method: 'DELETE' });
  },
  listAccounts(): Promise<AccountListResponseBody> {
    return getJson('/v1/accounts');
  },
  updateAccount(id: string, change: UpdateAccountBodyType): Promise<AccountResponseBody> {
    return getJson(`/v1/accounts/${encodeURIComponent(id)}`, undefined, { method: 'PATCH', body: change });
  },
  removeAccount(id: string): Promise<AccountRemovalResponseBody> {
    return getJson(`/v1/accounts/${encodeURIComponent(id)}`, undefined, { method: 'DELETE' });
  },
  /** Starts a sign-in flow (an account's capabilities.connect_with names its flow). */
  connectAccount(provider: Static<typeof ConnectAccountBody>['provider']): Promise<ConnectAccountResponseBody> {
    return getJson('/v1/accounts/connect', undefined, { method: 'POST', body: { provider } });
  },
  listKeys(): Promise<KeyListResponseBody> {
    return getJson('/v1/keys');
  },
  createKey(name: string, scopes: readonly Scope[]): Promise<CreatedKeyResponseBody> {
    return getJson('/v1/keys', undefined, { method: 'POST', body: { name, scopes } });
  },
  revokeKey(id: string): Promise<unknown> {
    return getJson(`/v1/keys/${encodeURIComponent(id)}`, undefined, { method: 'DELETE' });
  },
  trustedSenders(): Promise<TrustedSenderListResponseBody> {
    return getJson('/v1/email/trusted-senders');
  },
  async trustSender(email: string): Promise<void> {
    const { baseUrl, token } = connection();
    const response = await fetch(`${baseUrl}/v1/email/trusted-senders/${encodeURIComponent(email)}`, {
      method: 'PUT',
      headers: authorization(token),
    });
    if (!response.ok) throw await errorFrom(response);
  },
  listWebhooks(): Promise<WebhookListResponseBody> {
    return getJson('/v1/webhooks');
  },
  createWebhook(url: string, events: readonly WebhookEvent[]): Promise<CreatedWebhookResponseBody> {
    return getJson('/v1/webhooks', undefined, { method: 'POST', body: { url, events } });
  },
  deleteWebhook(id: string): Promise<unknown> {
    return getJson(`/v1/webhooks/${encodeURIComponent(id)}`, undefined, { method: 'DELETE' });
  },
  webhookDeliveries(id: string): Promise<DeliveryListResponseBody> {
    return getJson(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`);
  },
  /** Syncs every account's mail now, or only `accountId`'s. */
  syncNow(accountId?: string): Promise<unknown> {
    return getJson('/v1/email/sync', undefined, { method: 'POST', body: accountId ? { account_id: accountId } : {} });
  },
  syncCalendarsNow(): Promise<unknown> {
    return getJson('/v1/calendar/sync', undefined, { method: 'POST', body: {} });
  },
  listLabels(): Promise<LabelListResponse> {
    return getJson('/v1/email/labels');
  },
  createLabel(body: LabelCreateBody): Promise<LabelResponse> {
    return getJson('/v1/email/labels', undefined, { method: 'POST', body });
  },
  renameLabel(id: string, name: string): Promise<LabelResponse> {
    return getJson(`/v1/email/labels/${encodeURIComponent(id)}`, undefined, { method: 'PATCH', body: { name } });
  },
  async deleteLabel(id: string): Promise<void> {
    await getJson(`/v1/email/labels/${encodeURIComponent(id)}`, undefined, { method: 'DELETE' });
  },
  listEvents(from: Date, to: Date): Promise<EventListResponse> {
    return getJson(`/v1/calendar/events?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString() })}`);
  },
  respondToEvent(id: string, response: EventRsvpBody['response']): Promise<{ data: CalendarEvent }> {
    return getJson(`/v1/calendar/events/${encodeURIComponent(id)}/respond`, undefined, { method: 'POST', body: { response } });
  },
  listCalendars(): Promise<Static<typeof CalendarListResponse>> {
    return getJson('/v1/calendar/calendars');
  },
  updateCalendar(id: string, body: CalendarUpdateBody): Promise<{ data: Calendar }> {
    return getJson(`/v1/calendar/calendars/${encodeURIComponent(id)}`, undefined, { method: 'PATCH', body });
  },
  /** One event per Idempotency-Key: a double click on Save creates one. */
  createEvent(body: EventCreateBody, idempotencyKey: string): Promise<{ data: CalendarEvent }> {
    return getJson('/v1/calendar/events', undefined, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
  },
  /** A change of an event; of an instance of a series, `applyTo` says whether the following ones or all change too. */
  updateEvent(id: string, body: EventUpdateBody, applyTo: ApplyTo = 'this'): Promise<{ data: CalendarEvent }> {
    return getJson(`/v1/calendar/events/${encodeURIComponent(id)}${applyToQuery(applyTo)}`, undefined, { method: 'PATCH', body });
  },
  async deleteEvent(id: string, applyTo: ApplyTo = 'this'): Promise<void> {
    await getJson(`/v1/calendar/events/${encodeURIComponent(id)}${applyToQuery(applyTo)}`, undefined, { method: 'DELETE' });
  },
  /** Conversations matching a query as it is typed: its last word matches the words it starts (prefix=true). */
  search(
    q: string,
    options: { cursor?: string | null; signal?: AbortSignal; limit?: number; account?: string | undefined } = {},
  ): Promise<SearchResponse> {
    const query = new URLSearchParams({ q, limit: String(options.limit ?? 50), prefix: 'true' });
    if (options.account) query.set('account_id', options.account);
    if (options.cursor) query.set('cursor', options.cursor);
    return getJson(`/v1/email/search?${query}`, options.signal);
  },
};

/** Which events of a recurring series a change or delete reaches (the API's apply_to). */
export type ApplyTo = NonNullable<EventApplyToQuery['apply_to']>;
const applyToQuery = (applyTo: ApplyTo) => (applyTo === 'this' ? '' : `?apply_to=${applyTo}`);
