import { describe, expect, it } from 'vitest';
import { checkCitations } from '../../src/answer/check-citations.js';

describe('checkCitations', () => {
  it('keeps valid citations untouched', () => {
    const r = checkCitations('L2P prompts a frozen model [1]. DualPrompt adds two prompts [2].', 3);
    expect(r).toEqual({ text: 'L2P prompts a frozen model [1]. DualPrompt adds two prompts [2].', cited: [1, 2], removed: 0 });
  });

  it('removes citations to numbers that were not given and counts them', () => {
    const r = checkCitations('A claim [4]. Another [0]. A third [2].', 3);
    expect(r.text).toBe('A claim. Another. A third [2].');
    expect(r.cited).toEqual([2]);
    expect(r.removed).toBe(2);
  });

  it('handles lists [1, 3] and [1; 5], keeping only valid numbers', () => {
    const r = checkCitations('Both do this [1, 3], unlike that [1; 5].', 3);
    expect(r.text).toBe('Both do this [1, 3], unlike that [1].');
    expect(r.cited).toEqual([1, 3]);
    expect(r.removed).toBe(1);
  });

  it('handles adjacent groups [1][2][7]', () => {
    const r = checkCitations('Shared idea [1][2][7].', 2);
    expect(r.text).toBe('Shared idea [1][2].');
    expect(r.removed).toBe(1);
    expect(r.cited).toEqual([1, 2]);
  });

  it('expands valid ranges [1-3] and removes a range reaching past the given sources [2–5] whole', () => {
    expect(checkCitations('Seen in [1-3].', 3)).toEqual({ text: 'Seen in [1-3].', cited: [1, 2, 3], removed: 0 });
    const r = checkCitations('Seen in [2–5] and [1, 2-5].', 3);
    expect(r.text).toBe('Seen in and [1].');
    expect(r.cited).toEqual([1]);
    expect(r.removed).toBe(2);
  });

  it('removes and counts oversized and reversed ranges [1-100], [5-2], [3-1]', () => {
    const r = checkCitations('A [1-100]. B [5-2]. C [3-1]. D [2-3].', 3);
    expect(r.text).toBe('A. B. C. D [2-3].');
    expect(r.cited).toEqual([2, 3]);
    expect(r.removed).toBe(3);
  });

  it('leaves [0-1] as text, like the comma interval [0, 1]', () => {
    const text = 'Scores lie in [0-1], [0–1] or [0, 1] as shown [1].';
    expect(checkCitations(text, 3)).toEqual({ text, cited: [1], removed: 0 });
  });

  it('leaves years like [2023] as text, not as removed citations', () => {
    const text = 'Released in [2023] and extended in [2024, 2025], building on [2].';
    expect(checkCitations(text, 3)).toEqual({ text, cited: [2], removed: 0 });
  });

  it('treats a group glued to a word as a citation, but leaves inline code alone', () => {
    const text = 'It improves accuracy[7] as claimed[2]; the code reads `array[10]` and `x[7]`.';
    expect(checkCitations(text, 3)).toEqual({ text: 'It improves accuracy as claimed[2]; the code reads `array[10]` and `x[7]`.', cited: [2], removed: 1 });
  });

  it('never joins lines when removing a citation at a line start', () => {
    const r = checkCitations('Line one\n[7] next [1].\n  [9] indented', 3);
    expect(r.text).toBe('Line one\nnext [1].\n  indented');
    expect(r.removed).toBe(2);
  });

  it('tidies only the gap left by a removed citation, keeping nested-list indentation and other spacing', () => {
    const text = '- Top claim [7].\n  - Nested  item [1] , kept as written.\n    - Deeper [8] item\tand [2].';
    const r = checkCitations(text, 3);
    expect(r.text).toBe('- Top claim.\n  - Nested  item [1] , kept as written.\n    - Deeper item\tand [2].');
    expect(r.removed).toBe(2);
    expect(r.cited).toEqual([1, 2]);
  });

  it('leaves intervals like [0, 1] and non-citations alone', () => {
    const r = checkCitations('Scores lie in [0, 1] and see array[i] [1].', 1);
    expect(r.text).toBe('Scores lie in [0, 1] and see array[i] [1].');
    expect(r.removed).toBe(0);
  });
});
