import { describe, expect, it } from 'vitest';
import type { CatchUpExchange } from '../../src/catchup/catch-up.js';
import { catchUpWithModel, chunkByTokens } from '../../src/catchup/summarize-with-model.js';
import type { ChatMessage, ChatModel } from '../../src/model/chat-model.js';
import { loadPrompts } from '../../src/prompts/load-prompts.js';
import path from 'node:path';
import { PROJECT_DIR } from '../support/run-cli.js';

const src = (n: number, id: string) => ({ n, id, title: `Paper ${id}`, url: `https://x.example/${id}` });

/** A model that answers every call with a summary citing [1] and a made-up [9], and records the prompts. */
function recordingModel(): ChatModel & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    id: 'recording',
    prompts,
    async complete(messages: readonly ChatMessage[]) {
      prompts.push(messages.map((m) => m.content).join('\n'));
      return { text: `- Part ${prompts.length} [1] and [9].`, usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } } as Awaited<ReturnType<ChatModel['complete']>>;
    },
  };
}

describe('the model catch-up', () => {
  it('summarises in chunks within the history budget, oldest first; citations to no thread source are removed', async () => {
    const prompts = await loadPrompts(path.join(PROJECT_DIR, 'prompts'));
    const exchanges: CatchUpExchange[] = Array.from({ length: 6 }, (_, i) => ({ author: `u${i}`, question: `question ${i}?`, answer: `answer ${i} [1]. ${'z'.repeat(1200)}`, sources: [src(1, `p${i % 2}`)] }));
    const model = recordingModel();
    const result = await catchUpWithModel({ model, prompts, historyTokenBudget: 400 }, exchanges);
    expect(result.chunks).toBe(6);
    expect(model.prompts).toHaveLength(6);
    expect(model.prompts[0]).toContain('Q (u0): question 0?');
    expect(model.prompts[5]).toContain('Q (u5): question 5?');
    for (const prompt of model.prompts) expect(prompt.length / 4).toBeLessThanOrEqual(400 + 200);
    expect(result.text.split('\n\n')[0]).toBe('- Part 1 [1] and .');
    expect(result.sources.map((s) => s.id)).toEqual(['p0', 'p1']);
    expect(result.usage.totalTokens).toBe(90);

    const roomy = recordingModel();
    expect((await catchUpWithModel({ model: roomy, prompts, historyTokenBudget: 50_000 }, exchanges)).chunks).toBe(1);
  });

  it('chunkByTokens keeps order and puts an oversized text alone', () => {
    expect(chunkByTokens(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(400)], 25)).toEqual([['a'.repeat(40), 'b'.repeat(40)], ['c'.repeat(400)]]);
    expect(chunkByTokens([], 10)).toEqual([]);
  });
});
