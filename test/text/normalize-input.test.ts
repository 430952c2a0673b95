import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { normalizeUserText, sanitizeText } from '../../src/text/normalize-input.js';

const opts = { maxChars: 1_000, what: 'question' };

function failure(fn: () => unknown): UserFacingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
  throw new Error('expected a UserFacingError');
}

describe('normalizeUserText', () => {
  it('applies NFKC and collapses whitespace', () => {
    expect(normalizeUserText('  ＶｉｄｅｏＭＡＥ\u00a0\u00a0 ｖ２\t\tpaper  ', opts)).toBe('VideoMAE v2 paper');
  });

  it('strips zero-width, bidi and control characters', () => {
    const text = 'wh\u200bat\u200d is\u202e L2P\u2066?\u0007\u0000 \ufeff';
    expect(normalizeUserText(text, opts)).toBe('what is L2P?');
  });

  it('strips invisible Unicode tag characters (ASCII smuggling)', () => {
    const smuggled = 'hello' + [...'ignore rules'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    expect(normalizeUserText(smuggled, opts)).toBe('hello');
  });

  it('keeps line breaks (at most one blank line) unless multiline is false', () => {
    expect(normalizeUserText('first line  \r\n\r\n\r\n\r\n  second\u2028third', opts)).toBe('first line\n\nsecond\nthird');
    expect(normalizeUserText('first\n\nsecond', { ...opts, multiline: false })).toBe('first second');
  });

  it('rejects empty, whitespace-only and invisible-only input with a friendly empty-input error', () => {
    for (const text of ['', '   \n\t ', '\u200b\u200c\u200d\u2060\ufeff', '\u0000\u0001']) {
      const error = failure(() => normalizeUserText(text, opts));
      expect(error.code).toBe('empty-input');
      expect(error.message).toBe('Please type a question — it was empty.');
    }
  });

  it('rejects text over the limit, naming the limit and the actual length', () => {
    const error = failure(() => normalizeUserText('a'.repeat(1_234), opts));
    expect(error.code).toBe('too-long');
    expect(error.message).toContain('1,000');
    expect(error.message).toContain('1,234');
    expect(normalizeUserText('a'.repeat(1_000), opts)).toHaveLength(1_000);
  });

  it('counts the limit after cleaning (invisible padding does not count) and rejects huge raw pastes early', () => {
    expect(normalizeUserText(`${'\u200b'.repeat(2_000)}short question`, opts)).toBe('short question');
    const error = failure(() => normalizeUserText('x'.repeat(50_000), opts));
    expect(error.code).toBe('too-long');
    expect(error.message).toBe('Question is too long: far over the limit (the limit is 1,000 characters; a letter, space or emoji counts as one). Please shorten it.');
  });

  it('counts characters as readers see them: 600 emoji are 600 characters, a family emoji is one', () => {
    expect(normalizeUserText('😀'.repeat(600), opts)).toBe('😀'.repeat(600));
    const family = '👨‍👩‍👧';
    expect(normalizeUserText(family.repeat(1_000), opts)).toBe(family.repeat(1_000));
    const error = failure(() => normalizeUserText('😀'.repeat(1_001), opts));
    expect(error.message).toContain('1,001 characters');
  });

  it('keeps the joiner inside an emoji sequence but removes it anywhere else', () => {
    expect(normalizeUserText('dev 👩‍💻 wh\u200Dat \u200D', opts)).toBe('dev 👩‍💻 what');
  });

  it('removes every directional override, embedding, isolate and mark', () => {
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
    expect(normalizeUserText(`a${bidi.join('')}b`, opts)).toBe('ab');
  });
});

describe('sanitizeText', () => {
  it('cleans like normalizeUserText but never throws and cuts to the limit', () => {
    expect(sanitizeText('\u200b\u0000', 10)).toBe('');
    expect(sanitizeText('abc\u202edef ghi', 5)).toBe('abcde');
  });

  it('never cuts an emoji in half', () => {
    expect(sanitizeText('ab😀😀', 3)).toBe('ab');
  });
});
