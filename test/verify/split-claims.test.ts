import { describe, expect, it } from 'vitest';
import { claimText, splitCitedSentences } from '../../src/verify/split-claims.js';

const texts = (answer: string, count = 5) => splitCitedSentences(answer, count).map((s) => [s.text, s.citations]);

describe('splitCitedSentences', () => {
  it('splits sentences and finds each one’s citations, with offsets into the answer', () => {
    const answer = 'VideoMAE V2 masks the decoder too [1]. L2P learns prompts [2].';
    const sentences = splitCitedSentences(answer, 2);
    expect(sentences.map((s) => [s.text, s.citations])).toEqual([
      ['VideoMAE V2 masks the decoder too [1].', [1]],
      ['L2P learns prompts [2].', [2]],
    ]);
    for (const s of sentences) expect(answer.slice(s.start, s.end)).toBe(s.text);
  });

  it('does not split on abbreviations or decimals', () => {
    expect(texts('Wang et al. report 86.6% on K400, e.g. with a ViT [1]. Next one [2].')).toEqual([
      ['Wang et al. report 86.6% on K400, e.g. with a ViT [1].', [1]],
      ['Next one [2].', [2]],
    ]);
  });

  it('reads lists [1, 2], runs [1][3], ranges [1-2] and citations glued to a word', () => {
    expect(texts('Both agree [1, 2]. All three do[1][3]. A range [1-2]. Glued claim[4].')).toEqual([
      ['Both agree [1, 2].', [1, 2]],
      ['All three do[1][3].', [1, 3]],
      ['A range [1-2].', [1, 2]],
      ['Glued claim[4].', [4]],
    ]);
  });

  it('splits list items and headings line by line, leaving their markers out', () => {
    const answer = '**Approach**\n- First point [1]\n* Second point. Third point [2]\n1. Numbered point [3]';
    expect(texts(answer)).toEqual([
      ['**Approach**', []],
      ['First point [1]', [1]],
      ['Second point.', []],
      ['Third point [2]', [2]],
      ['Numbered point [3]', [3]],
    ]);
  });

  it('gives a citation written after the full stop to the sentence it follows', () => {
    expect(texts('The decoder is masked. [1] Then another claim [2]. Tail [2]. [3]')).toEqual([
      ['The decoder is masked. [1]', [1]],
      ['Then another claim [2].', [2]],
      ['Tail [2]. [3]', [2, 3]],
    ]);
  });

  it('treats inline code as code: no citation and no sentence end inside it', () => {
    expect(texts('Call `model.train_on(x[1]). Then` to train [2].')).toEqual([['Call `model.train_on(x[1]). Then` to train [2].', [2]]]);
  });

  it('ignores citations to numbers beyond the sources given, and years', () => {
    expect(texts('Claim [7] from [2023] and [2].', 3)).toEqual([['Claim [7] from [2023] and [2].', [2]]]);
  });

  it('returns nothing for an empty answer', () => {
    expect(splitCitedSentences('', 3)).toEqual([]);
    expect(splitCitedSentences('\n\n', 3)).toEqual([]);
  });
});

describe('claimText', () => {
  it('drops citations and Markdown marks but keeps the words', () => {
    expect(claimText('**L2P** learns `prompts` [1, 2].')).toBe('L2P learns prompts.');
    expect(claimText('A year [2023] stays [1].')).toBe('A year [2023] stays.');
  });
});
