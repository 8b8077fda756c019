import type { ErrorCode } from '../../shared/errors.ts';

export type { ErrorCode };

/**
 * An error with a stable code from the catalogue (shared/errors.ts). Code
 * inside the core throws these; the edges turn them into what their callers
 * read, each in one place: the API's error handler (status and JSON body),
 * the job runner (the job's error), the CLI (one line and an exit code).
 */
export class OutpostError extends Error {
  readonly code: ErrorCode;
  /** For validation errors: the request field at fault (`to[1]`, `label_id`). */
  readonly field: string | undefined;
  /** What a caller can act on beyond the message (a provider's status and words); shown in the API's error body. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { field?: string | undefined; details?: Record<string, unknown> | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutpostError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** The catalogue code an error carries: its own when it is coded, internal_error for anything else. */
export function codeOf(error: unknown): ErrorCode {
  return error instanceof OutpostError ? error.code : 'internal_error';
}
