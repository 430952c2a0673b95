import { UserFacingError } from '../errors.js';
import { countCharacters, cutAtGraphemeBoundary } from './truncate-text.js';

export interface NormalizeOptions {
  /** Longest accepted text, in characters (graphemes, see `countCharacters`) after normalisation. */
  maxChars: number;
  /** What the text is, for messages: "question", "topic", "paper name". */
  what: string;
  /** Keep line breaks (default true); false folds them into spaces (names, topics). */
  multiline?: boolean;
}

/**
 * Invisible format characters (Cf: zero-width space/joiners, LRM/RLM, LRE…RLO overrides, LRI…PDI isolates,
 * BOM, soft hyphen, tag characters…) except the zero-width joiner, unpaired surrogates, and fillers that
 * render as nothing.
 */
const INVISIBLE = /(?!\u200D)[\p{Cf}\p{Cs}\u034F\u115F\u1160\u3164\uFFA0\u180B-\u180D]/gu;
/** A zero-width joiner is kept only inside an emoji sequence (👩‍💻); anywhere else it is invisible padding. */
const STRAY_JOINER = /(?<![\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
/** Control characters except tab / line feed / carriage return (handled below). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LINE_BREAK = /\r\n?|[\u2028\u2029\u0085]/g;

/** Raw inputs far above the limit are rejected before any work (cheap guard against huge pastes). */
const RAW_FACTOR = 8;
const RAW_SLACK = 1_000;

/** NFKC, invisible and control characters removed, spaces and tabs folded to one space. */
function cleanCharacters(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(STRAY_JOINER, '')
    .replace(LINE_BREAK, '\n')
    .replace(CONTROL, ' ')
    .replace(/[\t\p{Zs}]+/gu, ' ');
}

/**
 * Clean user text before it is searched, put into a prompt or shown again — the one place that defines
 * what a user's text is and how long it is: NFKC, invisible / bidi / control characters removed,
 * whitespace collapsed (line breaks kept, at most one blank line, when `multiline`); length counted in
 * characters as readers see them (graphemes: an emoji or an accented letter is one).
 * Throws `UserFacingError('empty-input')` when nothing visible is left and
 * `UserFacingError('too-long')` above `maxChars`.
 */
export function normalizeUserText(text: string, options: NormalizeOptions): string {
  const { maxChars, what } = options;
  const raw = String(text ?? '');
  if (raw.length > maxChars * RAW_FACTOR + RAW_SLACK) throw tooLong(what, maxChars);

  let out = cleanCharacters(raw)
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (options.multiline === false) out = out.replace(/\s*\n\s*/g, ' ');

  if (!out) throw new UserFacingError('empty-input', `Please type a ${what} — it was empty.`);
  const length = countCharacters(out);
  if (length > maxChars) throw tooLong(what, maxChars, length);
  return out;
}

function tooLong(what: string, maxChars: number, length?: number): UserFacingError {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const label = what.charAt(0).toUpperCase() + what.slice(1);
  const size = length === undefined ? 'far over the limit' : `${fmt(length)} characters`;
  return new UserFacingError(
    'too-long',
    `${label} is too long: ${size} (the limit is ${fmt(maxChars)} characters; a letter, space or emoji counts as one). Please shorten it.`,
  );
}

/**
 * Lighter clean-up for text that is not typed now (conversation history, model output shown again):
 * same character hygiene, never throws, cut to `maxLength` UTF-16 units on a grapheme boundary.
 */
export function sanitizeText(text: string, maxLength = 4_000): string {
  const out = cleanCharacters(cutAtGraphemeBoundary(String(text ?? ''), maxLength * 2))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cutAtGraphemeBoundary(out, maxLength);
}
