import { describe, expect, it } from 'vitest';
import { countCharacters, cutAtGraphemeBoundary, truncateText } from '../../src/text/truncate-text.js';

/** True when the text has an unpaired UTF-16 surrogate (half an emoji). */
const hasLoneSurrogate = (text: string) => /\p{Cs}/u.test(text);

describe('countCharacters', () => {
  it('counts what a reader sees: an emoji, a flag, a family and an accented letter are one each', () => {
    expect(countCharacters('😀')).toBe(1);
    expect(countCharacters('🇫🇷')).toBe(1);
    expect(countCharacters('👨‍👩‍👧')).toBe(1);
    expect(countCharacters('e\u0301')).toBe(1);
    expect(countCharacters('😀'.repeat(600))).toBe(600);
    expect(countCharacters('plain text')).toBe(10);
  });
});

describe('cutAtGraphemeBoundary', () => {
  it('never keeps half an emoji or a letter without its accent', () => {
    expect(cutAtGraphemeBoundary('ab😀cd', 3)).toBe('ab');
    expect(cutAtGraphemeBoundary('ab😀cd', 4)).toBe('ab😀');
    expect(cutAtGraphemeBoundary('xe\u0301y', 2)).toBe('x');
    expect(cutAtGraphemeBoundary('a👨‍👩‍👧', 5)).toBe('a');
    expect(cutAtGraphemeBoundary('short', 10)).toBe('short');
    expect(cutAtGraphemeBoundary('short', 0)).toBe('');
  });

  it('cuts a long emoji text within the length, on whole emoji', () => {
    const cut = cutAtGraphemeBoundary('😀'.repeat(100), 51);
    expect(cut).toBe('😀'.repeat(25));
    expect(hasLoneSurrogate(cut)).toBe(false);
  });
});

describe('truncateText', () => {
  it('keeps text that fits, else cuts on a word boundary and adds an ellipsis within the limit', () => {
    expect(truncateText('fits', 4)).toBe('fits');
    const cut = truncateText('masked video autoencoders scale to a billion parameters', 30);
    expect(cut).toBe('masked video autoencoders…');
    expect(cut.length).toBeLessThanOrEqual(30);
  });

  it('cuts a text without spaces on a grapheme boundary', () => {
    const cut = truncateText('🙂'.repeat(50), 20);
    expect(hasLoneSurrogate(cut)).toBe(false);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(20);
  });

  it('cuts a 5 MB text to the limit', () => {
    const huge = 'word '.repeat(1_000_000);
    expect(truncateText(huge, 100).length).toBeLessThanOrEqual(100);
  });
});
