import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.js';
import { LexicalIndex } from '../../src/retrieval/lexical-index.js';

const paper = (id: string, title: string, abstract: string): Paper => ({
  id,
  title,
  abstract,
  url: `https://example.org/${id}`,
  links: [],
  contentHash: id,
  source: { file: 'test.txt', line: 1 },
});

const papers = [
  paper('dual', 'DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning', 'We attach task-specific prompts to a frozen transformer.'),
  paper('rlhf', 'Secrets of RLHF', 'Proximal policy optimization for aligning chat models with human feedback.'),
  paper('graphs', 'Large Generative Graph Models', 'We generate graphs with a pretrained diffusion model over many domains.'),
];

describe('LexicalIndex', () => {
  it('ranks by BM25 over stemmed title + abstract terms', () => {
    const index = LexicalIndex.build(papers);
    expect(index.search('rehearsal free prompting', 3)[0]?.id).toBe('dual');
    expect(index.search('aligning with human feedback', 3)[0]?.id).toBe('rlhf');
    expect(index.search('generating graphs', 3).map((m) => m.id)).toEqual(['graphs']);
  });

  it('reports coverage of the query IDF mass', () => {
    const index = LexicalIndex.build(papers);
    const [full] = index.search('graph diffusion', 1);
    expect(full?.coverage).toBeCloseTo(1, 6);
    const [partial] = index.search('graph sourdough', 1);
    expect(partial?.coverage).toBeGreaterThan(0);
    expect(partial?.coverage).toBeLessThan(0.6);
  });

  it('returns nothing for an empty or stop-word-only query, or k = 0', () => {
    const index = LexicalIndex.build(papers);
    expect(index.search('', 5)).toEqual([]);
    expect(index.search('which of the', 5)).toEqual([]);
    expect(index.search('graphs', 0)).toEqual([]);
  });

  it('round-trips through JSON with identical results', () => {
    const index = LexicalIndex.build(papers);
    const copy = LexicalIndex.fromJSON(index.toJSON());
    for (const q of ['prompting continual', 'human feedback policy', 'pretrained model']) {
      expect(copy.search(q, 3)).toEqual(index.search(q, 3));
    }
    expect(copy.size).toBe(3);
    expect(() => LexicalIndex.fromJSON('{"format":"other"}')).toThrow(/not a paperbot lexical index/);
  });

  it('supports add and remove', () => {
    const index = LexicalIndex.build(papers);
    expect(index.remove('graphs')).toBe(true);
    expect(index.remove('graphs')).toBe(false);
    expect(index.search('graphs', 3)).toEqual([]);
    index.add(paper('music', 'NotaGen', 'Symbolic music generation with language model training.'));
    expect(index.search('music generation', 3)[0]?.id).toBe('music');
    expect(index.size).toBe(3);
    const copy = LexicalIndex.fromJSON(index.toJSON());
    expect(copy.search('graphs', 3)).toEqual([]);
    expect(copy.search('music', 3)[0]?.id).toBe('music');
  });

  it('weights title terms above abstract terms', () => {
    const index = LexicalIndex.build([paper('a', 'Diffusion', 'graphs and more words here'), paper('b', 'Graphs', 'diffusion and more words here')]);
    expect(index.search('graphs', 2)[0]?.id).toBe('b');
  });
});
