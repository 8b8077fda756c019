/**
 * The one catalogue of error codes Outpost reports: in API error bodies
 * (`{code, message, request_id}`), on failed jobs, in the CLI's one-line
 * errors and in the renderer. Codes are stable; messages are for people.
 * `status` is the HTTP status the local API answers the code with, mapped in
 * one place (the API's error handler); codes that never reach HTTP still
 * carry the status they would have, so nothing needs a second table.
 */
export const ERROR_CATALOGUE = {
  // The caller's request
  validation_error: { status: 400, summary: 'the request is malformed or asks for something not allowed' },
  usage_error: { status: 400, summary: 'the command line is wrong (CLI: exit 2)' },
  invalid_key: { status: 401, summary: 'missing, invalid, revoked or expired credentials' },
  insufficient_permissions: { status: 403, summary: 'the credentials lack the scope or admin right the route declares' },
  forbidden_host: { status: 403, summary: "the Host header is not this server's loopback address" },
  cross_origin_refused: {
    status: 403,
    summary: 'a page of another origin (another host or port) sent a session or the session cookie; only the UI’s own pages may',
  },
  not_found: { status: 404, summary: 'no such route, thread, message, account, job, key or event' },
  method_not_allowed: { status: 405, summary: 'the route exists for other methods' },
  payload_too_large: { status: 413, summary: 'the body is larger than the route accepts' },
  header_too_large: { status: 431, summary: 'the request line and headers are larger than the server reads' },
  request_timeout: { status: 408, summary: 'the request did not arrive in full in time' },
  unsupported_media_type: { status: 415, summary: 'the body is not in the media type the route takes' },
  rate_limited: { status: 429, summary: 'a rate limit or cap was reached; X-RateLimit-Reset says when it resets' },
  // State that refuses the request
  sync_in_progress: { status: 409, summary: 'a sync of the same kind is already running or queued for the account' },
  not_connected: { status: 409, summary: 'the account is not connected (or has no stored sign-in)' },
  needs_reauth: { status: 409, summary: 'the provider refused the stored sign-in: reconnect the account' },
  provider_not_configured: { status: 409, summary: 'no OAuth client is configured for that provider' },
  attachment_not_available: { status: 409, summary: 'only the attachment’s name and size were kept' },
  raw_not_available: { status: 409, summary: 'the original bytes of the message were not kept' },
  idempotency_conflict: {
    status: 409,
    summary: 'the Idempotency-Key was used with another payload, or its first request is still running',
  },
  already_sent: { status: 409, summary: 'the outbox message was sent already' },
  send_in_progress: { status: 409, summary: 'the outbox message is being sent right now' },
  send_cancelled: { status: 409, summary: 'the message was cancelled before it was sent' },
  data_dir_busy: { status: 409, summary: 'another Outpost holds the data directory' },
  // Outpost or its providers
  internal_error: { status: 500, summary: 'a bug or an unexpected failure; the log has the details' },
  index_corrupt: {
    status: 500,
    summary: 'the index is damaged: Outpost left it untouched and writes nothing until `outpost repair` rebuilds it',
  },
  index_unwritable: { status: 500, summary: 'the data directory or index cannot be written' },
  index_too_new: { status: 500, summary: 'the index was written by a newer Outpost' },
  index_outdated: { status: 500, summary: 'the index needs an upgrade that a read-only command does not make' },
  index_missing: { status: 404, summary: 'there is no index in the data directory yet' },
  index_locked: { status: 503, summary: 'another process holds the index locked' },
  vault_unreadable: { status: 500, summary: 'a stored secret cannot be decrypted (wrong key or tampered data)' },
  port_in_use: { status: 500, summary: 'the port is taken by another program' },
  not_supported: { status: 501, summary: 'this process or build cannot do that' },
  cursor_expired: { status: 500, summary: 'a stored sync position is too old for the provider (the sync starts over)' },
  oauth_denied: { status: 400, summary: 'the user or the provider refused the sign-in' },
  oauth_state_mismatch: { status: 400, summary: 'the sign-in came back with a state it was not given' },
  oauth_timeout: { status: 408, summary: 'the sign-in was not finished in time' },
  oauth_cancelled: { status: 499, summary: 'the sign-in was abandoned' },
  provider_error: { status: 502, summary: 'the provider refused or failed the request' },
  network_error: { status: 503, summary: 'the provider could not be reached' },
  quota_exceeded: { status: 503, summary: 'the provider kept throttling after every retry' },
  service_unavailable: { status: 503, summary: 'this server does not offer that service right now' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

/** The HTTP status the local API answers a code with. */
export function httpStatusOfCode(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}
