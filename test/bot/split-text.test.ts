import { describe, expect, it } from 'vitest';
import { splitText, truncate } from '../../src/bot/split-text.js';

const MARKER = /\[\d+(?:\s*,\s*\d+)*\]/g;

function sentences(n: number, withMarkers = true): string {
  return Array.from({ length: n }, (_, i) => `Sentence number ${i} says something about transformers${withMarkers ? ` [${(i % 9) + 1}]` : ''}.`).join(' ');
}

describe('splitText', () => {
  it('returns the text whole when it fits', () => {
    expect(splitText('Short answer [1].', 100)).toEqual(['Short answer [1].']);
  });

  it('keeps every chunk within the limit and loses no words', () => {
    const text = sentences(200);
    const chunks = splitText(text, 500);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(500);
    expect(chunks.join(' ').split(/\s+/)).toEqual(text.split(/\s+/));
  });

  it('cuts at sentence ends, keeping [n] markers with their sentence', () => {
    const chunks = splitText(sentences(100), 400);
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toMatch(/\]\.$/);
    const markers = chunks.flatMap((chunk) => chunk.match(MARKER) ?? []);
    expect(markers).toEqual(sentences(100).match(MARKER));
  });

  it('prefers paragraph boundaries', () => {
    const paragraph = (label: string) => `${label} ${'word '.repeat(60).trim()}.`;
    const text = [paragraph('A'), paragraph('B'), paragraph('C')].join('\n\n');
    const chunks = splitText(text, 700);
    expect(chunks[0]).toBe(`${paragraph('A')}\n\n${paragraph('B')}`);
    expect(chunks[1]).toBe(paragraph('C'));
  });

  it('never cuts inside a URL or a markdown link when a space is available', () => {
    const url = 'https://github.com/some-org/some-really-long-repository-name/tree/main/src/models';
    const text = `${'lorem '.repeat(30)}see [the code](${url}) and ${url} ${'ipsum '.repeat(30)}`;
    for (const limit of [150, 190, 200, 230, 260]) {
      const chunks = splitText(text, limit);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
      const joined = chunks.join(' ');
      expect(joined).toContain(`[the code](${url})`);
      expect(joined.split(url).length - 1).toBe(2);
    }
  });

  it('does not split a citation marker like [12] or [1, 2] without spaces around', () => {
    const text = `${'x'.repeat(95)}[12, 13]${'y'.repeat(95)}`;
    const chunks = splitText(text, 100);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100);
    expect(chunks.some((chunk) => chunk.includes('[12, 13]'))).toBe(true);
  });

  it('hard-cuts a single word longer than the limit', () => {
    const chunks = splitText('a'.repeat(250), 100);
    expect(chunks.map((chunk) => chunk.length)).toEqual([100, 100, 50]);
  });
});

describe('truncate', () => {
  it('leaves short text alone and marks a cut with an ellipsis within the limit', () => {
    expect(truncate('abc', 5)).toBe('abc');
    const cut = truncate('The quick brown fox jumps over the lazy dog', 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('surrogate pairs (emoji)', () => {
  const isWhole = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

  it('a hard cut never splits an emoji between two chunks', () => {
    // No spaces: only a hard cut is possible; 'a' + emojis puts the limit between the two halves of one.
    const text = `a${'😀'.repeat(30)}`;
    const chunks = splitText(text, 10);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(10);
      expect(isWhole(chunk), JSON.stringify(chunk)).toBe(true);
    }
    expect(chunks.join('')).toBe(text);
  });

  it('truncate never leaves half an emoji before the ellipsis', () => {
    const out = truncate(`${'😀'.repeat(20)}`, 10);
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out.endsWith('…')).toBe(true);
    expect(isWhole(out)).toBe(true);
  });
});
