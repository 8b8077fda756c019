import { OutpostError } from '../core/outpostError.ts';

/** Wrong usage (exit 2, like most Unix tools), pointing at the help. */
export function usageError(message: string): OutpostError {
  return new OutpostError('usage_error', `${message} (see outpost --help)`);
}

/**
 * The exit code of a failed command: 2 for wrong usage, 1 for anything else.
 * Told by its code, not its class: a command's bundle has its own OutpostError (scripts/build.mjs).
 */
export function exitCodeOf(error: unknown): number {
  return error instanceof Error && (error as Partial<OutpostError>).code === 'usage_error' ? 2 : 1;
}
