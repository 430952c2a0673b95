import { describe, expect, it } from 'vitest';
import { InMemoryVectorIndex } from '../../src/retrieval/in-memory-vector-index.js';

describe('InMemoryVectorIndex', () => {
  const index = new InMemoryVectorIndex([
    { id: 'x', vector: [1, 0, 0] },
    { id: 'y', vector: [0, 2, 0] },
    { id: 'xy', vector: [1, 1, 0] },
  ]);

  it('returns the top-k by cosine, best first', async () => {
    const matches = await index.query([1, 0.1, 0], 2);
    expect(matches.map((m) => m.id)).toEqual(['x', 'xy']);
    expect(matches[0]?.score).toBeCloseTo(1 / Math.hypot(1, 0.1), 5);
    expect(await index.query([0, 1, 0], 10)).toHaveLength(3);
  });

  it('returns nothing for a zero query vector and rejects a wrong dimension', async () => {
    expect(await index.query([0, 0, 0], 3)).toEqual([]);
    await expect(index.query([1, 0], 3)).rejects.toThrow(/dimensions/);
    expect(() => new InMemoryVectorIndex([{ id: 'a', vector: [1, 2] }, { id: 'b', vector: [1] }])).toThrow(/dimensions/);
  });
});
