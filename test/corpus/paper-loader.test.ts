import { describe, expect, it } from 'vitest';
import type { Paper, PaperEntry } from '../../src/corpus/paper.js';
import { createPaperLoader, loadNamedPapers, wholePaperLoader } from '../../src/corpus/paper-loader.js';
import { UserFacingError } from '../../src/errors.js';

function paper(id: string): Paper {
  return { id, title: `Title ${id}`, abstract: `Abstract of ${id}.`, url: `https://example.org/${id}`, links: [], contentHash: id, source: { file: 'f', line: 1 } };
}

/** A catalogue entry (a paper without its abstract), with names. */
function entry(id: string): PaperEntry {
  const { abstract: _abstract, contentHash: _contentHash, source: _source, ...rest } = paper(id);
  return { ...rest, aliases: [`N-${id}`], acronyms: [] };
}

/** A store's whole papers that records every call (ids asked), holding the papers `held`. */
function recordingStore(held: readonly string[]) {
  const calls: string[][] = [];
  return {
    calls,
    wholePapers: async (ids: readonly string[]) => {
      calls.push([...ids]);
      return new Map(ids.filter((id) => held.includes(id)).map((id) => [id, paper(id)]));
    },
  };
}


describe('createPaperLoader', () => {
  it('gives whole papers in the order asked, one store call for the missing ids, ids the store does not hold left out', async () => {
    const store = recordingStore(['a', 'b']);
    const load = createPaperLoader(store.wholePapers);
    const papers = await load(['b', 'x', 'a', 'c', 'b']);
    expect(papers).toEqual([paper('b'), paper('a'), paper('b')]);
    expect(papers[0]).toBe(papers[2]);
    expect(store.calls).toEqual([['b', 'x', 'a', 'c']]);
  });

  it('keeps loaded papers: the same objects again without asking the store, up to its bound (least recently used go first)', async () => {
    const store = recordingStore(['a', 'b', 'c']);
    const load = createPaperLoader(store.wholePapers, 2);
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

  it('loadNamedPapers: the whole papers of named entries, or a clear user error naming one another process removed', async () => {
    const store = recordingStore(['a']);
    const load = createPaperLoader(store.wholePapers);
    expect(await loadNamedPapers(load, [entry('a')])).toEqual([paper('a')]);
    const gone = loadNamedPapers(load, [entry('a'), entry('b')]);
    await expect(gone).rejects.toBeInstanceOf(UserFacingError);
    await expect(gone).rejects.toThrow('"Title b" is no longer in the corpus.');
  });
});
