import { describe, expect, it } from 'vitest';
import { createOfflineEmbedder } from '../../src/embedding/offline-embedder.js';
import { createWordSimilarity, hasWordSimilarity } from '../../src/embedding/word-neighbours.js';
import type { WordVectors } from '../../src/embedding/word-vector-asset.js';

/** A 4-word, 2-d asset: cat ≈ kitten, dog at 45°, car orthogonal to cat. */
function tinyAsset(): WordVectors {
  const words = ['cat', 'kitten', 'dog', 'car'];
  const vectors = Int8Array.from([100, 0, 99, 10, 70, 70, 0, 100]);
  return {
    manifest: { format: 'paperbot-word-vectors', version: 1, source: 'test', licence: 'test', dims: 2, count: 4, sourceVocabularySize: 4, commonComponents: [] },
    words,
    index: new Map(words.map((w, i) => [w, i])),
    ranks: Uint32Array.from([3, 1, 0, 2]),
    scales: Float32Array.from([1, 1, 1, 1]),
    vectors,
  };
}

describe('createWordSimilarity', () => {
  it('finds the nearest covered words, best first, without the word itself, above the similarity floor', () => {
    const ws = createWordSimilarity(tinyAsset());
    const all = ws.neighbourIndex(() => true);
    expect(all.size).toBe(4);
    const near = all.nearest('cat', 3, 0.5);
    expect(near.map((n) => n.word)).toEqual(['kitten', 'dog']);
    expect(near[0]!.similarity).toBeGreaterThan(near[1]!.similarity);
    expect(near[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 2);
    expect(all.nearest('cat', 1, 0.5).map((n) => n.word)).toEqual(['kitten']);
    expect(all.nearest('cat', 3, 0.5).map((n) => n.word)).toEqual(['kitten', 'dog']);
    expect(all.nearest('unknown', 3, 0)).toEqual([]);
  });

  it('covers only the words the filter accepts, and reports frequency ranks', () => {
    const ws = createWordSimilarity(tinyAsset());
    const some = ws.neighbourIndex((w) => w !== 'kitten');
    expect(some.size).toBe(3);
    expect(some.nearest('cat', 3, 0.5).map((n) => n.word)).toEqual(['dog']);
    expect(ws.frequencyRank('dog')).toBe(0);
    expect(ws.frequencyRank('nope')).toBeUndefined();
  });

  it('is offered by the offline embedder (and detected), not by a plain embedder', async () => {
    const embedder = await createOfflineEmbedder();
    expect(hasWordSimilarity(embedder)).toBe(true);
    expect(hasWordSimilarity({ id: 'x', dimensions: 1, embed: async () => [] })).toBe(false);
    const near = embedder.wordSimilarity.neighbourIndex(() => true).nearest('shrinking', 10, 0.5).map((n) => n.word);
    expect(near).toContain('shrink');
  });

  it('looks up the same neighbours in slices, letting the event loop run in between (more words than one slice)', async () => {
    const embedder = await createOfflineEmbedder();
    const [sliced, whole] = [embedder.wordSimilarity.neighbourIndex(() => true), embedder.wordSimilarity.neighbourIndex(() => true)];
    expect(sliced.size).toBeGreaterThan(8_192 * 2);
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 0);
    try {
      for (const word of ['shrinking', 'transformer', 'grasping']) {
        const before = ticks;
        const got = await sliced.nearestYielding(word, 20, 0.4);
        expect(got).toEqual(whole.nearest(word, 20, 0.4));
        expect(got.length).toBeGreaterThan(0);
        // Timers ran while the first (uncached) look-up of the word was under way.
        expect(ticks).toBeGreaterThan(before);
      }
      // Memoised: the same answer again (and from the synchronous look-up too).
      expect(await sliced.nearestYielding('shrinking', 20, 0.4)).toEqual(sliced.nearest('shrinking', 20, 0.4));
      expect(await sliced.nearestYielding('unknownword', 5, 0)).toEqual([]);
    } finally {
      clearInterval(ticking);
    }
  });
});
