import { OutpostError } from '../core/outpostError.ts';

/** Wrong usage (exit 2, like most Unix tools), pointing at the help. */
export function usageError(message: string): OutpostError {
  return new OutpostError('usage_error', `${message} (see outpost --help)`);
}

/** The exit code of a failed command: 2 for wrong usage, 1 for anything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof OutpostError && error.code === 'usage_error' ? 2 : 1;
}
