import { OutpostError } from '../core/outpostError.ts';
/**
 * Errors a provider call can end in, with the stable codes jobs and the API
 * report. Only these leave a provider module; raw HTTP client errors are
 * classified into them first.
 */
export class ProviderError extends OutpostError {
  declare readonly code: 'needs_reauth' | 'not_connected' | 'quota_exceeded' | 'provider_error' | 'network_error';
  /** The provider's HTTP status, when it answered. */
  readonly status: number | undefined;
  constructor(code: ProviderError['code'], message: string, status?: number) {
    super(code, message);
    this.status = status;
  }
}

/** The stored sync position is too old for the provider (Gmail history 404, Graph/Calendar 410): resync. */
export class CursorExpiredError extends OutpostError {
  constructor(message: string) {
    super('cursor_expired', message);
  }
}
