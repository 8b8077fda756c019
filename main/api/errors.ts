/**
 * The API's error catalogue: every error a client can see, with its status.
 * Codes are stable; messages are for people.
 */
export const errorStatus = {
  validation_error: 400,
  invalid_key: 401,
  insufficient_permissions: 403,
  forbidden_host: 403,
  not_found: 404,
  method_not_allowed: 405,
  sync_in_progress: 409,
  not_connected: 409,
  provider_not_configured: 409,
  attachment_not_available: 409,
  raw_not_available: 409,
  needs_reauth: 409,
  idempotency_conflict: 409,
  already_sent: 409,
  send_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  network_error: 503,
  quota_exceeded: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string } = {}) {
    super(message);
    this.code = code;
    this.status = errorStatus[code];
    this.field = options.field;
  }
}
