import { normalizeUserText } from '../text/normalize-input.js';

/**
 * User text checked and cleaned exactly as the core and the CLI do (`normalizeUserText`: characters
 * counted as code points; invisible, bidi and control characters removed): throws
 * `UserFacingError('empty-input' | 'too-long')`, shown ephemerally before any work.
 */
export function validateUserText(text: string, maxChars: number, what = 'question', multiline = true): string {
  return normalizeUserText(text, { maxChars, what, multiline });
}
