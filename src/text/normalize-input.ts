import { UserFacingError } from '../errors.js';

export interface NormalizeOptions {
  /** Longest accepted text, in characters (code points) after normalisation. */
  maxChars: number;
  /** What the text is, for messages: "question", "topic", "paper name". */
  what: string;
  /** Keep line breaks (default true); false folds them into spaces (names, topics). */
  multiline?: boolean;
}

/** Zero-width, bidi and other invisible format characters (Cf: ZWSP/ZWJ/LRM/RLO/BOM/soft hyphen/tag chars…), unpaired surrogates. */
const INVISIBLE = /[\p{Cf}\p{Cs}\u034F\u115F\u1160\u3164\uFFA0\u180B-\u180D]/gu;
/** Control characters except tab / line feed / carriage return (handled below). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Raw inputs far above the limit are rejected before any work (cheap guard against huge pastes). */
const RAW_FACTOR = 8;

/**
 * Clean user text before it is searched or put into a prompt: NFKC, invisible / bidi / control
 * characters removed, whitespace collapsed (line breaks kept, at most one blank line, when `multiline`).
 * Throws `UserFacingError('empty-input')` when nothing visible is left and
 * `UserFacingError('too-long')` above `maxChars`.
 */
export function normalizeUserText(text: string, options: NormalizeOptions): string {
  const { maxChars, what } = options;
  const multiline = options.multiline ?? true;
  const raw = String(text ?? '');
  if (raw.length > maxChars * RAW_FACTOR + 1_000) throw tooLong(what, maxChars, raw.length);

  let out = raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(CONTROL, ' ')
    .replace(/[\t\p{Zs}]+/gu, ' ');
  out = out
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (!multiline) out = out.replace(/\s*\n\s*/g, ' ');

  if (!out) throw new UserFacingError('empty-input', `Please type a ${what} — it was empty.`);
  const length = [...out].length;
  if (length > maxChars) throw tooLong(what, maxChars, length);
  return out;
}

function tooLong(what: string, maxChars: number, length: number): UserFacingError {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const label = what.charAt(0).toUpperCase() + what.slice(1);
  return new UserFacingError('too-long', `${label} is too long: ${fmt(length)} characters (the limit is ${fmt(maxChars)}). Please shorten it.`);
}

/**
 * Lighter clean-up for text that is not typed now (conversation history, model output shown again):
 * same character hygiene, never throws, cut to `maxChars`.
 */
export function sanitizeText(text: string, maxChars = 4_000): string {
  const out = String(text ?? '')
    .slice(0, maxChars * 2)
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(CONTROL, ' ')
    .replace(/[\t\p{Zs}]+/gu, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return [...out].slice(0, maxChars).join('');
}
