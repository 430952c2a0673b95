import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalIndex } from 'vectra';
import { describe, expect, it } from 'vitest';
import { PackedVectorIndex } from '../../src/store/packed-vector-index.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32 - 0.5;
  };
}

const DIMS = 24;
const random = seeded(7);
const items = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, vector: Array.from({ length: DIMS }, () => random() * (1 + (i % 5))) }));
const queries = Array.from({ length: 20 }, () => Array.from({ length: DIMS }, () => random()));

describe('PackedVectorIndex', () => {
  it('returns the same ids and cosine scores as vectra queryItems', async () => {
    const vectra = new LocalIndex(path.join(mkdtempSync(path.join(tmpdir(), 'paperbot-packed-')), 'index'));
    await vectra.createIndex();
    await vectra.batchInsertItems(items.map((item) => ({ id: item.id, vector: item.vector, metadata: {} })));
    const packed = new PackedVectorIndex(items, DIMS);
    for (const query of queries) {
      const expected = await vectra.queryItems(query, '', 10);
      const actual = await packed.query(query, 10);
      expect(actual.map((m) => m.id)).toEqual(expected.map((r) => r.item.id));
      actual.forEach((match, i) => expect(match.score).toBeCloseTo(expected[i]!.score, 5));
    }
  });

  it('returns scores best first, at most k and at most the number of items', async () => {
    const packed = new PackedVectorIndex(items.slice(0, 4), DIMS);
    const all = await packed.query(queries[0]!, 10);
    expect(all.map((m) => m.id).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
    for (let i = 1; i < all.length; i++) expect(all[i]!.score).toBeLessThanOrEqual(all[i - 1]!.score);
    expect(await packed.query(queries[0]!, 2)).toEqual(all.slice(0, 2));
    expect(await packed.query(queries[0]!, 0)).toEqual([]);
  });

  it('finds an item by its own vector with cosine 1, skips zero vectors and rejects a wrong dimension', async () => {
    const packed = new PackedVectorIndex([...items.slice(0, 50), { id: 'zero', vector: new Array<number>(DIMS).fill(0) }], DIMS);
    const [best] = await packed.query(items[33]!.vector.map((x) => x * 3), 1);
    expect(best).toEqual({ id: 'p33', score: expect.closeTo(1, 6) as unknown as number });
    expect((await packed.query(queries[1]!, 100)).map((m) => m.id)).not.toContain('zero');
    expect(await packed.query(new Array<number>(DIMS).fill(0), 5)).toEqual([]);
    await expect(packed.query([1, 2, 3], 5)).rejects.toThrow(/dimensions/);
    expect(() => new PackedVectorIndex([{ id: 'x', vector: [1, 2] }], DIMS)).toThrow(/dimensions/);
  });
});
