import { describe, expect, it } from 'vitest';
import { describeCliError, exitCodeFor } from '../../src/cli/describe-cli-error.js';
import { USER_FACING_ERROR_CODES, UserFacingError, type UserFacingErrorCode } from '../../src/errors.js';

describe('exitCodeFor', () => {
  it('is 2 for every usage- and configuration-category code and 1 for every other code', () => {
    for (const code of Object.keys(USER_FACING_ERROR_CODES) as UserFacingErrorCode[]) {
      const category: string = USER_FACING_ERROR_CODES[code];
      const expected = category === 'usage' || category === 'configuration' ? 2 : 1;
      expect([code, exitCodeFor(new UserFacingError(code, 'x'))]).toEqual([code, expected]);
    }
    expect(exitCodeFor(new UserFacingError('usage', 'x'))).toBe(2);
    expect(exitCodeFor(new UserFacingError('unknown-paper', 'x'))).toBe(1);
    expect(exitCodeFor(new UserFacingError('database-unavailable', 'x'))).toBe(2);
  });

  it('is 1 for errors that are not UserFacingError', () => {
    expect(exitCodeFor(Object.assign(new Error('no such file'), { code: 'ENOENT', syscall: 'open', path: '/x' }))).toBe(1);
  });
});

describe('describeCliError', () => {
  it('shows a UserFacingError message, a file-system error as one line, and nothing for an internal fault', () => {
    expect(describeCliError(new UserFacingError('empty-input', 'Please type a question.'))).toBe('Please type a question.');
    expect(describeCliError(Object.assign(new Error('EROFS'), { code: 'EROFS', syscall: 'open', path: '/data/x.tmp-12-ab12' }))).toBe(
      'cannot write /data/x: read-only file system (EROFS)',
    );
    expect(describeCliError(new TypeError('undefined is not a function'))).toBeUndefined();
  });
});
