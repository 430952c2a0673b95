import { describe, expect, it } from 'vitest';
import { OFFLINE_NOTICE } from '../../src/answer/answer-extractively.js';
import { summarizeTopic, SUMMARIZE_K } from '../../src/answer/summarize-topic.js';
import type { Paper } from '../../src/corpus/paper.js';
import type { PaperSearcher, SearchOptions } from '../../src/retrieval/search-types.js';
import { between, FakeChatModel, makeDeps, paperTitled } from './answer-fakes.js';

const CONTINUAL = [
  paperTitled('Learning to Prompt for Continual Learning'),
  paperTitled('DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning'),
  paperTitled('When Prompt-based Incremental Learning Does Not Meet Strong Pretraining'),
];
const REASONING = [
  paperTitled('Automatic Chain of Thought Prompting in Large Language Models'),
  paperTitled('Demystifying Long Chain-of-Thought Reasoning in LLMs'),
];
// Interleaved, as a diverse retrieval would return them.
const HITS = [CONTINUAL[0]!, REASONING[0]!, CONTINUAL[1]!, REASONING[1]!, CONTINUAL[2]!];

function fixedSearcher(papers: readonly Paper[], relevant = true): PaperSearcher & { calls: SearchOptions[] } {
  const calls: SearchOptions[] = [];
  return {
    calls,
    search: async (query, options) => {
      calls.push(options ?? {});
      return { query, relevant, hits: papers.map((paper, i) => ({ paper, score: 0.9 - i * 0.05, relevant })) };
    },
  };
}

describe('summarizeTopic', () => {
  it('retrieves widely and diversely', async () => {
    const searcher = fixedSearcher(HITS);
    await summarizeTopic(await makeDeps(HITS, undefined, { searcher }), 'prompting');
    expect(searcher.calls).toEqual([{ k: SUMMARIZE_K, diverse: true }]);
    expect(SUMMARIZE_K).toBeGreaterThanOrEqual(10);
  });

  it('offline: groups similar papers into themes with a cited one-sentence gist each', async () => {
    const result = await summarizeTopic(await makeDeps(HITS, undefined, { searcher: fixedSearcher(HITS) }), 'prompting');
    expect(result.mode).toBe('extractive');
    expect(result.notice).toBe(OFFLINE_NOTICE);
    expect(result.sources).toHaveLength(HITS.length);
    const groups = result.answer.split(/\n\n(?=\*\*)/).slice(1);
    expect(groups.length).toBe(2);
    const titleToN = new Map(result.sources.map((s) => [s.title, s.n]));
    const groupOf = (p: Paper) => groups.findIndex((g) => g.includes(`*${p.title}*`) && g.includes(`[${titleToN.get(p.title)}]`));
    expect(new Set(CONTINUAL.map(groupOf)).size).toBe(1);
    expect(new Set(REASONING.map(groupOf)).size).toBe(1);
    expect(groupOf(CONTINUAL[0]!)).not.toBe(groupOf(REASONING[0]!));
    expect(groupOf(CONTINUAL[0]!)).toBeGreaterThanOrEqual(0);
  });

  it('with a model: asks to cite every source; sources lists the cited ones; stray citations removed', async () => {
    const model = new FakeChatModel('**Continual prompts** [1][3][5]. **Chain of thought** [2][4]. Extra [6].');
    const result = await summarizeTopic(await makeDeps(HITS, model, { searcher: fixedSearcher(HITS) }), 'prompting');
    const prompt = model.calls[0]!.messages[1]!.content;
    expect(prompt).toMatch(/Cite EVERY source/);
    expect(between(prompt, 'topic').trim()).toBe('prompting');
    expect(result.sources.map((s) => s.title)).toEqual(HITS.map((p) => p.title));
    expect(result.removedCitations).toBe(1);

    const partial = new FakeChatModel('Only one [2].');
    const onlyOne = await summarizeTopic(await makeDeps(HITS, partial, { searcher: fixedSearcher(HITS) }), 'prompting');
    expect(onlyOne.sources.map((s) => s.n)).toEqual([2]);
  });

  it('refuses without a model call when nothing is relevant', async () => {
    const model = new FakeChatModel('nope');
    const result = await summarizeTopic(await makeDeps(HITS, model, { searcher: fixedSearcher(HITS, false) }), 'medieval tapestry restoration');
    expect(result.refused).toBe(true);
    expect(result.answer).toContain('The corpus has nothing on "medieval tapestry restoration"');
    expect(result.nearest).toHaveLength(3);
    expect(result.answer).toContain('The nearest papers are listed below');
    expect(model.calls).toHaveLength(0);
  });

  it('suggests rephrasing instead of promising papers when the search returns none', async () => {
    const empty = { search: async (query: string) => ({ query, relevant: false, hits: [] }) };
    const result = await summarizeTopic(await makeDeps(HITS, undefined, { searcher: empty }), 'zzz qqq');
    expect(result.refused).toBe(true);
    expect(result.nearest).toEqual([]);
    expect(result.answer).not.toMatch(/listed below/);
    expect(result.answer).toMatch(/rephras/i);
  });
});
