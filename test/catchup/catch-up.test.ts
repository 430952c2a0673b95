import { describe, expect, it } from 'vitest';
import { summarizeExtractively, threadExchanges, type CatchUpExchange } from '../../src/catchup/catch-up.js';
import type { StoredAnswer } from '../../src/state/feedback-store.js';

const src = (n: number, id: string) => ({ n, id, title: `Paper ${id}`, url: `https://x.example/${id}` });

describe('the offline catch-up', () => {
  it('says who asked what and the gist of each answer, citations re-checked and renumbered over the thread', () => {
    const answers: StoredAnswer[] = [
      { answerId: 'a1', question: 'What is VideoMAE V2?', answer: 'VideoMAE V2 scales masked autoencoders [1]. It uses dual masking [2]. More detail here.', sources: [src(1, 'v'), src(2, 'd')], mode: 'llm', shownAt: 1 },
      { answerId: 'a2', question: 'And DualPrompt?', answer: '- DualPrompt attaches prompts [1] and also [7].\n- Second bullet [2].', sources: [src(1, 'p'), src(2, 'd')], mode: 'extractive', shownAt: 2 },
    ];
    const turns = [
      { role: 'user' as const, content: 'What is VideoMAE V2?', author: 'Ada' },
      { role: 'assistant' as const, content: '…' },
      { role: 'user' as const, content: 'And DualPrompt?', author: 'Grace' },
    ];
    const catchUp = summarizeExtractively(threadExchanges(answers, turns), { maxChars: 4000, gistChars: 200 });
    expect(catchUp.items).toEqual([
      { author: 'Ada', question: 'What is VideoMAE V2?', gist: 'VideoMAE V2 scales masked autoencoders [1]. It uses dual masking [2]. More detail here.' },
      { author: 'Grace', question: 'And DualPrompt?', gist: 'DualPrompt attaches prompts [3] and also. Second bullet [2].' },
    ]);
    expect(catchUp.sources.map((s) => [s.n, s.id])).toEqual([[1, 'v'], [2, 'd'], [3, 'p']]);
    expect(catchUp.omitted).toBe(0);
  });

  it('keeps the newest exchanges within the limit and says how many were left out; nothing → nothing', () => {
    const many: CatchUpExchange[] = Array.from({ length: 50 }, (_, i) => ({ author: `u${i}`, question: `question ${i} ${'x'.repeat(150)}`, answer: `answer ${i} [1]. ${'y'.repeat(300)}`, sources: [src(1, `p${i}`)] }));
    const catchUp = summarizeExtractively(many, { maxChars: 3000 });
    expect(catchUp.omitted).toBeGreaterThan(0);
    expect(catchUp.items.length + catchUp.omitted).toBe(50);
    expect(catchUp.items.at(-1)!.author).toBe('u49');
    expect(catchUp.sources).toHaveLength(catchUp.items.length);
    expect(summarizeExtractively([], { maxChars: 3000 })).toEqual({ items: [], sources: [], exchanges: 0, omitted: 0 });
  });
});
