import { ERROR_CATALOGUE, type ErrorCode, httpStatusOfCode } from '../../shared/errors.ts';
import { OutpostError } from '../core/outpostError.ts';

export type { ErrorCode };

/** Every error code with the HTTP status the API answers it with (the catalogue in shared/errors.ts). */
export const errorStatus = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).map(([code, { status }]) => [code, status]),
) as Record<ErrorCode, number>;

/** @deprecated while routes move to OutpostError: the same error, with its HTTP status at hand. */
export class ApiError extends OutpostError {
  readonly status: number;

  constructor(code: ErrorCode, message: string, options: { field?: string } = {}) {
    super(code, message, options);
    this.status = httpStatusOfCode(code);
  }
}
