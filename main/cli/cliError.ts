/** An error the CLI reports as one line ("outpost: <message>") with a non-zero exit. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Wrong usage: exit 2, like most Unix tools. */
export function usageError(message: string): CliError {
  return new CliError(`${message} (see outpost --help)`, 2);
}
