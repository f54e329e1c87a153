/**
 * An error the user can fix (bad flag, bad config, missing file, malformed module or data).
 * The CLI prints only its one-line message, which names the problem and the fix, and exits
 * with `exitCode` (2 by convention); any other error is a bug and keeps its stack trace.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}
