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

  it('serialises in chunks to the same JSON as stringifying the whole index, tombstones dropped', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      paper(`p${i}`, `Model ${i} for task ${i % 7} in 2024`, `We study ${i % 3 === 0 ? 'graphs' : 'prompts'} with 1.5B tokens, version ${i % 11}, and ${i} samples.`),
    );
    const index = LexicalIndex.build(many);
    index.remove('p3');
    index.remove('p10');
    // The former serialisation: one JSON.stringify of the whole object (integer-like terms ordered first).
    const data = JSON.parse(index.toJSON()) as { ids: (string | null)[]; postings: Record<string, [number[], number[]]> };
    const live = (d: number) => data.ids[d] !== null;
    expect(data.ids.filter((id) => id === null)).toHaveLength(2);
    expect(Object.values(data.postings).every(([docs]) => docs.length > 0 && docs.every(live))).toBe(true);
    expect(Object.keys(data.postings)).toContain('2024');
    const chunks = [...index.toJSONChunks(200)];
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(index.toJSON());
    expect(index.toJSON()).toBe(JSON.stringify(data));
    const copy = LexicalIndex.fromJSON(chunks.join(''));
    expect(copy.size).toBe(58);
    // Removed papers' postings are not stored, so the copy ranks like an index built without them.
    const rebuilt = LexicalIndex.build(many.filter((p) => p.id !== 'p3' && p.id !== 'p10'));
    for (const q of ['graphs 2024', 'prompts version 5', 'task samples', 'model 12']) {
      expect(copy.search(q, 5).length).toBeGreaterThan(0);
      expect(copy.search(q, 5)).toEqual(rebuilt.search(q, 5));
    }
    expect(LexicalIndex.fromJSON([...rebuilt.toJSONChunks(100)].join('')).search('graphs 2024', 10)).toEqual(rebuilt.search('graphs 2024', 10));
  });

  it('weights title terms above abstract terms', () => {
    const index = LexicalIndex.build([paper('a', 'Diffusion', 'graphs and more words here'), paper('b', 'Graphs', 'diffusion and more words here')]);
    expect(index.search('graphs', 2)[0]?.id).toBe('b');
  });
});
