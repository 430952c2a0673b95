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

  it('expands ranges [1-3] and [2–5]', () => {
    expect(checkCitations('Seen in [1-3].', 3)).toEqual({ text: 'Seen in [1-3].', cited: [1, 2, 3], removed: 0 });
    const r = checkCitations('Seen in [2–5].', 3);
    expect(r.text).toBe('Seen in [2, 3].');
    expect(r.removed).toBe(2);
  });

  it('leaves intervals like [0, 1] and non-citations alone', () => {
    const r = checkCitations('Scores lie in [0, 1] and see array[i] [1].', 1);
    expect(r.text).toBe('Scores lie in [0, 1] and see array[i] [1].');
    expect(r.removed).toBe(0);
  });
});
