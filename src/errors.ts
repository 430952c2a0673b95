/**
 * An error whose message is safe to show to an end user (CLI stderr line, Discord ephemeral reply).
 * Anything that is *not* a UserFacingError is an internal fault: log it with context and show a
 * short generic apology instead.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  /** A stable machine-readable code, e.g. `empty-input`, `too-long`, `unknown-paper`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}

/** The text shown to users for internal faults. */
export const GENERIC_APOLOGY = 'Sorry, something went wrong on our side. The error was logged; please try again in a moment.';
