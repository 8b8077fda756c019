/**
 * Errors a provider call can end in, with the stable codes jobs and the API
 * report. Only these leave a provider module; raw HTTP client errors are
 * classified into them first.
 */
export class ProviderError extends Error {
  readonly code: 'needs_reauth' | 'not_connected' | 'quota_exceeded' | 'provider_error' | 'network_error';
  readonly status: number | undefined;
  constructor(code: ProviderError['code'], message: string, status?: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** The stored sync position is too old for the provider (Gmail history 404, Graph/Calendar 410): resync. */
export class CursorExpiredError extends Error {
  readonly code = 'cursor_expired';
}
