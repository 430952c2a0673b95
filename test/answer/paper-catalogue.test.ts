import { describe, expect, it } from 'vitest';
import { lazyCatalogue, paperCatalogue } from '../../src/answer/paper-catalogue.js';
import type { PaperEntry } from '../../src/corpus/paper.js';

const entry = (id: string, title: string): PaperEntry => ({ id, title, url: `https://example.org/${id}`, links: [], aliases: [], acronyms: [] });
const papers = [entry('a', 'Scaling Video Masked Autoencoders'), entry('b', 'Learning to Prompt for Continual Learning')];

describe('paperCatalogue', () => {
  it('lists the papers, by id, with a resolver over them', () => {
    const catalogue = paperCatalogue(papers);
    expect(catalogue.papers).toBe(papers);
    expect(catalogue.byId.get('b')).toBe(papers[1]);
    expect(catalogue.resolver.resolve('learning to prompt for continual learning').id).toBe('b');
  });
});

describe('lazyCatalogue', () => {
  it('reads nothing until asked; concurrent callers share one read; later calls reuse it', async () => {
    let reads = 0;
    const catalogue = lazyCatalogue(async () => {
      reads += 1;
      return papers;
    });
    expect(reads).toBe(0);
    const [first, second] = await Promise.all([catalogue(), catalogue()]);
    expect(first).toBe(second);
    expect(await catalogue()).toBe(first);
    expect(reads).toBe(1);
  });

  it('a failed read is not kept: the next call reads again', async () => {
    let reads = 0;
    const catalogue = lazyCatalogue(async () => {
      reads += 1;
      if (reads === 1) throw new Error('connection lost');
      return papers;
    });
    await expect(catalogue()).rejects.toThrow('connection lost');
    expect((await catalogue()).papers).toHaveLength(2);
    expect(reads).toBe(2);
  });
});
