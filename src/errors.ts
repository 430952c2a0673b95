/** What kind of problem a user-facing error is; shells react by category (the CLI's exit status). */
export type UserFacingErrorCategory =
  /** The command was called wrongly (arguments, options). */
  | 'usage'
  /** The text, file or name the user gave is empty, too long, malformed or not usable. */
  | 'bad-input'
  /** What the user named does not exist. */
  | 'not-found'
  /** The request clashes with what is there (a file of the same name, another writer, another embedder). */
  | 'conflict'
  /** The user may not do this here or now (permissions, cooldown). */
  | 'not-allowed'
  /** The service cannot do it right now (shutting down, nothing to post). */
  | 'unavailable'
  /** The configured environment does not work (a database that cannot be used, a store not available). */
  | 'configuration';

/** Every code of a `UserFacingError`, with its category. A new code is added here, once. */
export const USER_FACING_ERROR_CODES = {
  usage: 'usage',
  'unknown-command': 'usage',
  'unknown-subcommand': 'usage',

  'empty-input': 'bad-input',
  'too-long': 'bad-input',
  'bad-queries': 'bad-input',
  'unreadable-file': 'bad-input',
  'same-paper': 'bad-input',
  'ambiguous-paper': 'bad-input',
  'unknown-corpus-format': 'bad-input',
  'corpus-file-not-text': 'bad-input',
  'corpus-file-unreadable': 'bad-input',
  'corpus-file-not-regular': 'bad-input',
  'corpus-file-too-large': 'bad-input',
  'empty-corpus-file': 'bad-input',
  'bad-corpus-file-name': 'bad-input',
  'bad-cron': 'bad-input',
  'bad-timezone': 'bad-input',
  'invalid-since': 'usage',

  'unknown-paper': 'not-found',
  'corpus-missing': 'not-found',
  'index-missing': 'not-found',
  'no-digest-channel': 'not-found',
  'no-topics': 'not-found',
  'watch-not-found': 'not-found',
  'nothing-relevant': 'not-found',
  'unknown-thread': 'not-found',
  'no-sources': 'not-found',

  'corpus-file-exists': 'conflict',
  'duplicate-corpus-file-name': 'conflict',
  'index-locked': 'conflict',
  'index-corrupt': 'conflict',
  'embedder-mismatch': 'conflict',
  'feeds-file-locked': 'conflict',
  'state-locked': 'conflict',
  'watch-limit': 'conflict',

  'not-admin': 'not-allowed',
  'guild-only': 'not-allowed',
  'not-channel-manager': 'not-allowed',
  'digest-other-server': 'not-allowed',
  cooldown: 'not-allowed',
  'refused-request': 'not-allowed',

  'shutting-down': 'unavailable',
  'empty-digest': 'unavailable',
  'feeds-failed': 'unavailable',

  'database-unavailable': 'configuration',
  'paper-store-unavailable': 'configuration',
  'sharding-needs-database': 'configuration',
  'feeds-misconfigured': 'configuration',
} as const satisfies Record<string, UserFacingErrorCategory>;

/** A stable machine-readable code, e.g. `empty-input`, `too-long`, `unknown-paper`. */
export type UserFacingErrorCode = keyof typeof USER_FACING_ERROR_CODES;

/**
 * An error whose message is safe to show to an end user (CLI stderr line, Discord ephemeral reply).
 * Anything that is *not* a UserFacingError is an internal fault: log it with context and show a
 * short generic apology instead.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  readonly code: UserFacingErrorCode;
  constructor(code: UserFacingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get category(): UserFacingErrorCategory {
    return USER_FACING_ERROR_CODES[this.code];
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}

/** The text shown to users for internal faults. */
export const GENERIC_APOLOGY = 'Sorry, something went wrong on our side. The error was logged; please try again in a moment.';
