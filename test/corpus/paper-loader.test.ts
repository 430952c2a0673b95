import { describe, expect, it } from 'vitest';
import type { Paper, PaperEntry } from '../../src/corpus/paper.js';
import { createPaperLoader, wholePaperLoader } from '../../src/corpus/paper-loader.js';

function paper(id: string): Paper {
  return { id, title: `Title ${id}`, abstract: `Abstract of ${id}.`, url: `https://example.org/${id}`, links: [], contentHash: id, source: { file: 'f', line: 1 } };
}

function entry(id: string): PaperEntry {
  const { abstract: _abstract, ...rest } = paper(id);
  return rest;
}

/** A store's abstracts that records every call (ids asked), holding the abstracts of `held`. */
function recordingAbstracts(held: readonly string[]) {
  const calls: string[][] = [];
  return {
    calls,
    abstracts: async (ids: readonly string[]) => {
      calls.push([...ids]);
      return new Map(ids.filter((id) => held.includes(id)).map((id) => [id, paper(id).abstract]));
    },
  };
}

describe('createPaperLoader', () => {
  it('gives whole papers in the order asked, one call for the missing abstracts, unknown and vanished ids left out', async () => {
    const store = recordingAbstracts(['a', 'b']);
    const load = createPaperLoader(new Map(['a', 'b', 'c'].map((id) => [id, entry(id)])), store.abstracts);
    const papers = await load(['b', 'x', 'a', 'c', 'b']);
    expect(papers).toEqual([paper('b'), paper('a'), paper('b')]);
    expect(store.calls).toEqual([['b', 'a', 'c']]);
  });

  it('keeps loaded papers: the same objects again without asking the store, up to its bound (least recently used go first)', async () => {
    const store = recordingAbstracts(['a', 'b', 'c']);
    const load = createPaperLoader(new Map(['a', 'b', 'c'].map((id) => [id, entry(id)])), store.abstracts, 2);
    const [a] = await load(['a']);
    await load(['b']);
    expect((await load(['a']))[0]).toBe(a);
    expect(store.calls).toEqual([['a'], ['b']]);
    await load(['c']); // b was used least recently: it goes.
    await load(['a', 'b']);
    expect(store.calls).toEqual([['a'], ['b'], ['c'], ['b']]);
  });

  it('returns whole papers it was given as they are, never asking the store', async () => {
    const whole = [paper('a'), paper('b')];
    const load = wholePaperLoader(whole);
    const got = await load(['b', 'a', 'z']);
    expect(got).toEqual([whole[1], whole[0]]);
    expect(got[0]).toBe(whole[1]);
  });
});
