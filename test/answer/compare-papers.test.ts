import { describe, expect, it } from 'vitest';
import { comparePapers } from '../../src/answer/compare-papers.js';
import { OFFLINE_NOTICE } from '../../src/answer/answer-extractively.js';
import { AmbiguousPaperError } from '../../src/answer/resolve-paper.js';
import { UserFacingError } from '../../src/errors.js';
import { ModelUnavailableError } from '../../src/model/chat-model.js';
import { between, corpusPapers, FakeChatModel, makeDeps, paperTitled } from './answer-fakes.js';

const L2P = paperTitled('Learning to Prompt for Continual Learning');
const DUAL = paperTitled('DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning');

describe('comparePapers', () => {
  it('offline: the two papers side by side per aspect, cited [1] and [2], clearly labelled', async () => {
    const deps = await makeDeps(corpusPapers());
    const result = await comparePapers(deps, 'L2P', 'DualPrompt');
    expect(result.mode).toBe('extractive');
    expect(result.notice).toBe(OFFLINE_NOTICE);
    expect(result.sources).toEqual([
      { n: 1, id: L2P.id, title: L2P.title, url: L2P.url },
      { n: 2, id: DUAL.id, title: DUAL.title, url: DUAL.url },
    ]);
    for (const heading of ['**Problem**', '**Approach**', '**Results**']) expect(result.answer).toContain(heading);
    const cited = [...result.answer.matchAll(/^- \*[^*]+\*: (.*) \[(1|2)\]$/gm)];
    expect(cited).toHaveLength(6);
    for (const [, sentence, n] of cited) expect((n === '1' ? L2P : DUAL).abstract).toContain(sentence);
  });

  it('with a model: a structured comparison of exactly the two resolved papers, stray citations removed', async () => {
    const model = new FakeChatModel('**Problem** L2P [1] vs DualPrompt [2]. Also see [3].');
    const deps = await makeDeps(corpusPapers(), model);
    const result = await comparePapers(deps, 'the L2P paper', 'DualPrompt: Complementary Prompting for Rehearsal-free Continual Learning');
    expect(model.calls).toHaveLength(1);
    const prompt = model.calls[0]!.messages[1]!.content;
    const sources = between(prompt, 'sources');
    expect(sources).toContain(`[1] Title: ${L2P.title}`);
    expect(sources).toContain(`[2] Title: ${DUAL.title}`);
    expect(sources).not.toContain('[3]');
    expect(prompt).toMatch(/When to use which/);
    expect(result.mode).toBe('llm');
    expect(result.answer).toBe('**Problem** L2P [1] vs DualPrompt [2]. Also see.');
    expect(result.removedCitations).toBe(1);
    expect(result.sources.map((s) => s.id)).toEqual([L2P.id, DUAL.id]);
  });

  it('falls back to the side-by-side comparison when the model fails', async () => {
    const model = new FakeChatModel(new ModelUnavailableError('model server returned 503 after 2 retries', { kind: 'server' }));
    const result = await comparePapers(await makeDeps(corpusPapers(), model), 'L2P', 'DualPrompt');
    expect(result.mode).toBe('extractive');
    expect(result.notice).toBe('The language model is unavailable right now (it reported an error); here are the most relevant passages instead.');
    expect(result.answer).toContain('**Approach**');
  });

  it('never compares against an invented paper: unknown, ambiguous and same-paper inputs are user errors', async () => {
    const model = new FakeChatModel('x');
    const deps = await makeDeps(corpusPapers(), model);
    await expect(comparePapers(deps, 'L2P', 'Quantum chromodynamics on the lattice')).rejects.toMatchObject({ code: 'unknown-paper' });
    await expect(comparePapers(deps, 'continual learning', 'L2P')).rejects.toBeInstanceOf(AmbiguousPaperError);
    const same = comparePapers(deps, 'L2P', 'Learning to Prompt for Continual Learning');
    await expect(same).rejects.toBeInstanceOf(UserFacingError);
    await expect(comparePapers(deps, 'L2P', 'learning to prompt')).rejects.toMatchObject({ code: 'same-paper' });
    await expect(comparePapers(deps, '', 'L2P')).rejects.toMatchObject({ code: 'empty-input' });
    expect(model.calls).toHaveLength(0);
  });
});
