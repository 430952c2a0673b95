import { UserFacingError } from '../errors.js';

/** Reject empty or too-long user text before any work (shown as an ephemeral error). */
export function validateUserText(text: string, maxChars: number, what = 'question'): string {
  const trimmed = text.trim();
  if (!trimmed) throw new UserFacingError('empty-input', `Please type a ${what}.`);
  if (trimmed.length > maxChars) {
    throw new UserFacingError('too-long', `That ${what} is too long (${trimmed.length} characters; the limit is ${maxChars}). Please shorten it.`);
  }
  return trimmed;
}
