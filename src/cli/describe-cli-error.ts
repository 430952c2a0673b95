import { isUserFacingError, type UserFacingErrorCategory } from '../errors.js';

/** Exit status of a failed command: 2 for usage and configuration errors (as documented), else 1. */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

const EXIT_CODE_BY_CATEGORY: Readonly<Record<UserFacingErrorCategory, number>> = {
  usage: EXIT_USAGE,
  'bad-input': EXIT_FAILURE,
  'not-found': EXIT_FAILURE,
  conflict: EXIT_FAILURE,
  'not-allowed': EXIT_FAILURE,
  unavailable: EXIT_FAILURE,
  configuration: EXIT_USAGE,
};

/** Node file-system errno codes that mean "the user's file or folder", not a bug in paperbot. */
const ERRNO_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ENOSPC: 'no space left on device',
};

/** Errors that are the user's to fix but are not UserFacingError (matched by name: importing them would load the openai SDK). */
const USER_FACING_ERROR_NAMES = new Set(['EvalQuestionsError', 'EmbeddingRequestError']);

/** Temp files of writeFileAtomic (`<target>.tmp-<pid>-<hex>`): report the target the user named. */
const TEMP_SUFFIX = /\.tmp-\d+-[0-9a-f]+$/;

function verbFor(syscall: string | undefined, code: string): string {
  switch (syscall) {
    case 'mkdir':
      return 'create the folder';
    case 'read':
    case 'scandir':
    case 'stat':
    case 'lstat':
    case 'access':
      return 'read';
    case 'open':
      return code === 'EROFS' || code === 'ENOSPC' ? 'write' : 'open';
    default:
      return 'write';
  }
}

function findErrno(error: unknown): NodeJS.ErrnoException | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const errno = current as NodeJS.ErrnoException;
    if (typeof errno.code === 'string' && Object.hasOwn(ERRNO_REASONS, errno.code) && (errno.syscall || errno.path)) return errno;
  }
  return undefined;
}

/**
 * The one line (without the `paperbot: ` prefix) to show for an error the user can act on, or
 * undefined for an internal fault: UserFacingError, eval-question and embedding-request errors,
 * and ordinary file-system errors (`cannot write /x/y: read-only file system (EROFS)`).
 */
export function describeCliError(error: unknown): string | undefined {
  if (isUserFacingError(error)) return error.message;
  if (error instanceof Error && USER_FACING_ERROR_NAMES.has(error.name)) return error.message;
  const errno = findErrno(error);
  if (errno?.code) {
    // A temp file of an atomic write: the user named its target, and it was being written.
    const temp = errno.path !== undefined && TEMP_SUFFIX.test(errno.path);
    const where = errno.path ? ` ${errno.path.replace(TEMP_SUFFIX, '')}` : '';
    return `cannot ${temp ? 'write' : verbFor(errno.syscall, errno.code)}${where}: ${ERRNO_REASONS[errno.code]} (${errno.code})`;
  }
  return undefined;
}

/** Exit status for an error the user can act on: by the category of a UserFacingError, else 1. */
export function exitCodeFor(error: unknown): number {
  return isUserFacingError(error) ? EXIT_CODE_BY_CATEGORY[error.category] : EXIT_FAILURE;
}
